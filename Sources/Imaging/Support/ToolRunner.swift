import Foundation

/// Runs a helper program (the poppler tools) with a deadline and collects its output.
/// A child process also keeps a crash inside a PDF parser away from our own process.
struct ToolRunner {
    struct Output {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    var timeout: Double

    func run(_ tool: String, _ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.locate(tool))
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw ImagingError.pdfToolFailed(tool: tool, detail: "could not start: \(error)")
        }
        // Drain both pipes concurrently so that a large page image cannot block the child.
        let collected = OutputBox()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { collected.setOut(out.fileHandleForReading.readDataToEndOfFile()) }
        DispatchQueue.global().async(group: group) { collected.setErr(err.fileHandleForReading.readDataToEndOfFile()) }
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
            _ = finished.wait(timeout: .now() + 5)
            _ = group.wait(timeout: .now() + 5)
            throw ImagingError.pdfToolFailed(tool: tool, detail: "no answer within \(Int(timeout)) s")
        }
        _ = group.wait(timeout: .now() + 30)
        let (stdout, stderr) = collected.values
        return Output(
            status: process.terminationStatus, stdout: stdout,
            stderr: String(decoding: stderr.prefix(2000), as: UTF8.self))
    }

    static func locate(_ tool: String) throws -> String {
        for dir in ["/usr/bin", "/usr/local/bin", "/bin"] {
            let path = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw ImagingError.pdfToolFailed(tool: tool, detail: "not installed (apt-get install poppler-utils)")
    }
}

private final class OutputBox: @unchecked Sendable {
    private let lock = NSLock()
    private var out = Data(), err = Data()
    func setOut(_ d: Data) { lock.withLock { out = d } }
    func setErr(_ d: Data) { lock.withLock { err = d } }
    var values: (Data, Data) { lock.withLock { (out, err) } }
}

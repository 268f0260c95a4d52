import ChildProcesses
import Foundation

/// Runs a helper program (the poppler tools) with a deadline and collects its output, through
/// `ChildProcesses` (killed at the deadline; returns the moment the tool ends).
/// A child process also keeps a crash inside a PDF parser away from our own process.
struct ToolRunner {
    struct Output {
        var status: Int32
        var stdout: Data
        /// The start of its standard error (2000 bytes at most), for messages.
        var stderr: String
    }

    var timeout: Double

    func run(_ tool: String, _ arguments: [String]) throws -> Output {
        do {
            let output = try ChildProcesses.ChildProcess(tool, arguments, timeout: timeout, package: "poppler-utils").run()
            return Output(status: output.status, stdout: output.stdout, stderr: String(decoding: output.stderr.prefix(2000), as: UTF8.self))
        } catch let error as ChildProcessError {
            switch error.reason {
            case .notInstalled: throw ImagingError.pdfToolFailed(tool: tool, detail: "not installed (apt-get install poppler-utils)")
            case .timedOut: throw ImagingError.pdfToolFailed(tool: tool, detail: "no answer within \(Int(timeout)) s")
            case .cannotStart, .failed: throw ImagingError.pdfToolFailed(tool: tool, detail: error.description)
            }
        }
    }
}

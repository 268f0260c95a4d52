import ArgumentParser
import Foundation
import Imaging

/// `posteingang decode FILE…`: decodes only (no OCR) and prints pages and time per file, in
/// this process or isolated; the yardstick for what isolation costs (bench/isolation.sh).
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode", abstract: "Decode files (no OCR) and print pages, notes and time; --isolated as the daemon does.")

    @OptionGroup var limitOptions: LimitOptions
    @Flag(help: "Decode in a child process with resource limits, as the daemon does.") var isolated = false
    @Option(help: "Decode each file this many times (for timing).") var `repeat`: Int = 1
    @Option(help: "Threads a decoder may use for one file (HEIC grid tiles); default: all cores, as one daemon worker has.")
    var threads: Int = DocumentDecoder.threadShare(workers: 1)
    @Argument(help: "Files to decode.") var files: [String]

    func run() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("posteingang-decode-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: work) }
        let decoder = DocumentDecoder(
            limits: limitOptions.limits, isolation: isolated ? DecoderIsolation(workDirectory: work) : nil, threads: threads)
        var failed = false
        for file in files {
            let started = Date()
            var line: [String: Any] = ["file": file, "isolated": isolated]
            for _ in 0..<max(`repeat`, 1) {
                do {
                    let document = try decoder.decode(fileAt: URL(fileURLWithPath: file))
                    line["format"] = document.format.rawValue
                    line["pages"] = document.pages.count
                    line["notes"] = document.pages.flatMap(\.notes)
                } catch let error as ImagingError {
                    line["error"] = error.description
                    line["code"] = error.code
                    failed = true
                    break
                }
            }
            line["ms_per_decode"] = (Date().timeIntervalSince(started) * 1000 / Double(max(`repeat`, 1))).rounded()
            let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
        if failed { throw ExitCode(1) }
    }
}

import ArgumentParser
import Foundation
import OCR

/// `posteingang version`: what runs here, and the OpenMP thread limit the process really has.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the version, the linked libtesseract and the OpenMP thread limit in effect.")

    static let version = "0.1.0"

    func run() throws {
        print("posteingang \(Self.version)")
        print("libtesseract \(TesseractEngine.version)")
        print("OMP_THREAD_LIMIT=\(ProcessInfo.processInfo.environment["OMP_THREAD_LIMIT"] ?? "unset")")
    }
}

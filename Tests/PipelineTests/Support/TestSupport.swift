import Foundation
import PosteingangTestKit

/// Paths and helpers shared by the pipeline tests: fixtures, the built command, temporary
/// data directories, and small real documents made on the fly.
enum TestSupport {
    static var repositoryRoot: URL { TestKit.repositoryRoot }
    static var fixtures: URL { TestKit.fixtures }
    static var pipelineYML: URL { TestKit.pipelineYML }
    static func fixture(_ path: String) -> URL { TestKit.fixture(path) }
    static var executable: URL { TestKit.executable }
    static func temporaryDirectory(_ name: String = "test") throws -> URL { try TestKit.temporaryDirectory(name) }

    /// Runs the command line to the end and returns its exit status and output.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        try TestKit.run(arguments, in: directory)
    }

    /// Puts `data` into the inbox as a sender should: written as NAME.part, then renamed.
    static func deliver(_ data: Data, as name: String, to inbox: URL) throws {
        let part = inbox.appendingPathComponent(name + ".part")
        try data.write(to: part)
        try FileManager.default.moveItem(at: part, to: inbox.appendingPathComponent(name))
    }

    static func textPDF(lines: [String]) -> Data { TestKit.textPDF(lines: lines) }

    /// A realistic born-digital payslip for household `name`, distinct per `serial`.
    static func payslip(serial: Int, name: String = "Petra Pfiffig", street: String = "Friedrich-Ebert-Allee 114", city: String = "53113 Bonn") -> Data {
        textPDF(lines: [
            "Muster Logistik GmbH, Hafenstrasse 3, 44147 Dortmund",
            "", "Frau", name, street, city, "",
            "Entgeltabrechnung fuer Maerz 2025",
            "Personalnummer \(10000 + serial)",
            "Steuerklasse 1",
            "Gesamtbrutto 2.\(100 + serial % 800),00 EUR",
            "Nettoverdienst 1.\(500 + serial % 400),50 EUR",
            "Auszahlungsbetrag 1.\(500 + serial % 400),50 EUR",
            "Beleg \(serial)",
        ])
    }
}

/// A daemon started as a child process, with its log collected.
final class DaemonProcess {
    let process = Process()
    let log: URL

    init(dataDir: URL, arguments extra: [String] = [], workers: Int = 2) throws {
        log = dataDir.appendingPathComponent("daemon-\(UUID().uuidString.prefix(6)).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = TestSupport.executable
        process.arguments = ["run", "--data-dir", dataDir.path, "--config", TestSupport.pipelineYML.path,
                             "--workers", "\(workers)", "--settle-delay", "0.3", "--rescan-interval", "1"] + extra
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    func terminate() { kill(process.processIdentifier, SIGTERM) }
    func kill9() { kill(process.processIdentifier, SIGKILL) }
    func hangUp() { kill(process.processIdentifier, SIGHUP) }

    /// Waits for the process to end, at most `timeout` seconds; returns its exit status or nil.
    func wait(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(timeout: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        usleep(200_000)
    }
    return try condition()
}

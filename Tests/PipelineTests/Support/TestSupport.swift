import Foundation

/// Paths and helpers shared by the pipeline tests: fixtures, the built command, temporary
/// data directories, and small real documents made on the fly.
enum TestSupport {
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("repository root not found above \(#filePath)")
    }()

    /// The committed fixtures (POSTEINGANG_FIXTURES points elsewhere, e.g. at a freshly generated set).
    static var fixtures: URL {
        if let override = ProcessInfo.processInfo.environment["POSTEINGANG_FIXTURES"] {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        return repositoryRoot.appendingPathComponent("fixtures", isDirectory: true)
    }
    static var pipelineYML: URL { repositoryRoot.appendingPathComponent("pipeline.yml") }

    static func fixture(_ path: String) -> URL { fixtures.appendingPathComponent(path) }

    /// The `posteingang` binary built beside the test bundle (`swift build --build-tests`).
    static var executable: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("posteingang"),
            repositoryRoot.appendingPathComponent(".build/debug/posteingang"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[1]
    }

    static func temporaryDirectory(_ name: String = "test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("posteingang-\(name)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs the command line to the end and returns its exit status and output.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// Puts `data` into the inbox as a sender should: written as NAME.part, then renamed.
    static func deliver(_ data: Data, as name: String, to inbox: URL) throws {
        let part = inbox.appendingPathComponent(name + ".part")
        try data.write(to: part)
        try FileManager.default.moveItem(at: part, to: inbox.appendingPathComponent(name))
    }

    /// A one-page born-digital PDF with a real text layer (Helvetica, WinAnsi), for tests that
    /// need many distinct, quickly read documents.
    static func textPDF(lines: [String]) -> Data {
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(of: ")", with: "\\)")
        }
        var content = "BT /F1 11 Tf 14 TL 60 780 Td\n"
        for line in lines { content += "(\(escape(line))) '\n" }
        content += "ET\n"
        let contentBytes = Array(content.data(using: .windowsCP1252) ?? Data(content.utf8))
        var objects: [[UInt8]] = [
            Array("<< /Type /Catalog /Pages 2 0 R >>".utf8),
            Array("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".utf8),
            Array("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".utf8),
            Array("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".utf8),
        ]
        objects.append(Array("<< /Length \(contentBytes.count) >>\nstream\n".utf8) + contentBytes + Array("endstream".utf8))
        var pdf = Array("%PDF-1.4\n".utf8)
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(pdf.count)
            pdf += Array("\(index + 1) 0 obj\n".utf8) + object + Array("\nendobj\n".utf8)
        }
        let xref = pdf.count
        pdf += Array("xref\n0 \(objects.count + 1)\n0000000000 65535 f \n".utf8)
        for offset in offsets { pdf += Array(String(format: "%010d 00000 n \n", offset).utf8) }
        pdf += Array("trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        return Data(pdf)
    }

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

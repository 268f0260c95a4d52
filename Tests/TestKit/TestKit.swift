@_exported import ChildProcesses
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What the test targets that run the real command share (test targets cannot import each
/// other): the repository's paths, the built `posteingang`, temporary folders, running a program,
/// and small born-digital PDFs made on the fly.
public enum TestKit {
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("repository root not found above \(#filePath)")
    }()

    /// The committed fixtures (POSTEINGANG_FIXTURES points elsewhere, e.g. at a freshly generated set).
    public static var fixtures: URL {
        if let override = ProcessInfo.processInfo.environment["POSTEINGANG_FIXTURES"] {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        return repositoryRoot.appendingPathComponent("fixtures", isDirectory: true)
    }

    public static var pipelineYML: URL { repositoryRoot.appendingPathComponent("pipeline.yml") }

    public static func fixture(_ path: String) -> URL { fixtures.appendingPathComponent(path) }

    public static func fixtureData(_ path: String) throws -> Data { try Data(contentsOf: fixture(path)) }

    /// The truth text of a fixture, from fixtures/truth.jsonl.
    public static func truthText(_ path: String) throws -> String {
        let lines = try String(contentsOf: fixture("truth.jsonl"), encoding: .utf8).split(separator: "\n")
        for line in lines {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["file"] as? String == path
            else { continue }
            return object["text"] as? String ?? ""
        }
        throw TestKitError("\(path) is not in fixtures/truth.jsonl")
    }

    /// The `posteingang` binary built beside the test bundle (`swift build --build-tests`).
    public static var executable: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("posteingang"),
            repositoryRoot.appendingPathComponent(".build/debug/posteingang"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[1]
    }

    public static func temporaryDirectory(_ name: String = "test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "posteingang-\(name)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `posteingang` to the end, with `input` on standard input; its exit status and output.
    @discardableResult
    public static func run(
        _ arguments: [String], in directory: URL? = nil, input: String? = nil, environment: [String: String]? = nil,
        timeout: Double = 900
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        try run(executable.path, arguments, in: directory, input: input, environment: environment, timeout: timeout)
    }

    /// Runs `program` (a path, or a name looked up in PATH) to the end (see `ChildProcess`).
    @discardableResult
    public static func run(
        _ program: String, _ arguments: [String], in directory: URL? = nil, input: String? = nil,
        environment: [String: String]? = nil, timeout: Double = 900
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let result = try ChildProcess(
            program, arguments, environment: environment, directory: directory, input: input.map { Data($0.utf8) },
            timeout: timeout
        ).run()
        return (result.status, result.standardOutput, result.standardError)
    }

    /// Starts a program (by default `posteingang`) that keeps running, its output appended to `log`.
    public static func start(
        _ arguments: [String], executable: URL = TestKit.executable, log: URL, in directory: URL? = nil,
        environment: [String: String]? = nil
    ) throws -> RunningChild {
        try ChildProcess(executable.path, arguments, environment: environment, directory: directory).start(log: log)
    }

    /// Puts `data` into the inbox as a sender should: written as NAME.part, then renamed.
    public static func deliver(_ data: Data, as name: String, to inbox: URL) throws {
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let part = inbox.appendingPathComponent(name + ".part")
        try data.write(to: part)
        try FileManager.default.moveItem(at: part, to: inbox.appendingPathComponent(name))
    }

    /// A free TCP port on loopback (bound by the kernel's choice, read, released).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestKitError("socket() failed: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw TestKitError("no free loopback port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The number of pages of a PDF, by poppler's `pdfinfo`.
    public static func pdfPageCount(_ url: URL) throws -> Int {
        let text = try ChildProcess("pdfinfo", [url.path], package: "poppler-utils").run().check("pdfinfo").standardOutput
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Pages:") }),
            let count = Int(line.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces))
        else { throw TestKitError("pdfinfo cannot count the pages of \(url.path): \(text)") }
        return count
    }

    /// A realistic born-digital payslip (read without OCR), distinct per `serial`; by default for
    /// Petra Pfiffig, whose household is in fixtures/cases.csv.
    public static func payslip(
        serial: Int, salutation: String = "Frau", name: String = "Petra Pfiffig", street: String = "Friedrich-Ebert-Allee 114",
        city: String = "53113 Bonn"
    ) -> Data {
        textPDF(lines: [
            "Muster Logistik GmbH, Hafenstrasse 3, 44147 Dortmund",
            "", salutation, name, street, city, "",
            "Entgeltabrechnung fuer Maerz 2025",
            "Personalnummer \(10000 + serial)",
            "Steuerklasse 1",
            "Gesamtbrutto 2.\(100 + serial % 800),00 EUR",
            "Nettoverdienst 1.\(500 + serial % 400),50 EUR",
            "Auszahlungsbetrag 1.\(500 + serial % 400),50 EUR",
            "Beleg \(serial)",
        ])
    }

    /// A one-page born-digital PDF with a real text layer (Helvetica, WinAnsi): read without OCR.
    public static func textPDF(lines: [String]) -> Data {
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(")
                .replacingOccurrences(of: ")", with: "\\)")
        }
        var content = "BT /F1 11 Tf 14 TL 60 780 Td\n"
        for line in lines { content += "(\(escape(line))) '\n" }
        content += "ET\n"
        let contentBytes = Array(content.data(using: .windowsCP1252) ?? Data(content.utf8))
        var objects: [[UInt8]] = [
            Array("<< /Type /Catalog /Pages 2 0 R >>".utf8),
            Array("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".utf8),
            Array(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
                    .utf8),
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
}

/// Polls `condition` until it holds or `timeout` seconds pass; whether it held.
public func eventually(timeout: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        usleep(200_000)
    }
    return try condition()
}

import Akte
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Paths, the built command and small real documents for the web tests.
enum WebTestSupport {
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("repository root not found above \(#filePath)")
    }()

    static var fixtures: URL { repositoryRoot.appendingPathComponent("fixtures", isDirectory: true) }

    /// The `posteingang` binary built beside the test bundle (`swift build --build-tests`).
    static var executable: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("posteingang"),
            repositoryRoot.appendingPathComponent(".build/debug/posteingang"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[1]
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "posteingang-web-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs a program to the end with `input` on standard input.
    @discardableResult
    static func run(_ executable: URL, _ arguments: [String], input: String? = nil, environment: [String: String]? = nil)
        throws -> (status: Int32, stdout: String, stderr: String)
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        // Output goes to files, so that a chatty child never blocks on a full pipe.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("posteingang-run-\(UUID().uuidString)")
        let outFile = scratch.appendingPathExtension("out"), errFile = scratch.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: outFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outFile)
            try? FileManager.default.removeItem(at: errFile)
        }
        let inPipe = Pipe()
        process.standardOutput = try FileHandle(forWritingTo: outFile)
        process.standardError = try FileHandle(forWritingTo: errFile)
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        process.waitUntilExit()
        let outData = (try? Data(contentsOf: outFile)) ?? Data()
        let errData = (try? Data(contentsOf: errFile)) ?? Data()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// Runs `posteingang` and expects success.
    @discardableResult
    static func posteingang(_ arguments: [String], input: String? = nil) throws -> String {
        let result = try run(executable, arguments, input: input)
        guard result.status == 0 else {
            throw WebTestError("posteingang \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
        return result.stdout
    }

    /// A free TCP port on loopback (bound, read, released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw WebTestError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw WebTestError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Puts `data` into the inbox as a sender should: written as NAME.part, then renamed.
    static func deliver(_ data: Data, as name: String, to dataDir: URL) throws {
        let inbox = dataDir.appendingPathComponent("spool/inbox", isDirectory: true)
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let part = inbox.appendingPathComponent(name + ".part")
        try data.write(to: part)
        try FileManager.default.moveItem(at: part, to: inbox.appendingPathComponent(name))
    }

    /// A one-page born-digital PDF with a real text layer (Helvetica, WinAnsi): read without OCR.
    static func textPDF(lines: [String]) -> Data {
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

    /// A payslip of Peter Schmidt (household 96301BG0012345 in fixtures/cases.csv): filed by name.
    static let payslip = textPDF(lines: [
        "Muster Logistik GmbH, Hafenstrasse 3, 44147 Dortmund", "", "Herrn", "Peter Schmidt", "Lindenstraße 12",
        "44137 Dortmund", "", "Entgeltabrechnung für März 2025", "Personalnummer 10077", "Steuerklasse 1",
        "Gesamtbrutto 2.345,00 EUR", "Nettoverdienst 1.612,50 EUR", "Auszahlungsbetrag 1.612,50 EUR",
    ])

    /// A sick note of Peter Schmidt: health data.
    static let sickNote = textPDF(lines: [
        "Arbeitsunfähigkeitsbescheinigung", "Erstbescheinigung", "Krankenkasse AOK NordWest", "", "Peter Schmidt",
        "Lindenstraße 12", "44137 Dortmund", "", "arbeitsunfähig seit 03.03.2025",
        "voraussichtlich arbeitsunfähig bis einschließlich 14.03.2025", "festgestellt am 03.03.2025", "Vertragsarztstempel",
    ])

    /// A bank statement naming two households' BG-Nummern: the machine cannot decide, so it goes
    /// to review with both as candidates.
    static let ambiguousStatement = textPDF(lines: [
        "Sparkasse Dortmund", "Kontoauszug Nr. 3/2025", "IBAN DE89 3704 0044 0532 0130 00", "Zeitraum 01.03.2025 bis 31.03.2025",
        "Verwendungszweck Jobcenter BG 96301BG0012345", "Verwendungszweck Jobcenter BG 96301BG0012388",
        "alter Kontostand 120,00 EUR", "neuer Kontostand 85,20 EUR",
    ])
}

extension WebTestSupport {
    /// A bank statement of Peter Schmidt whose IBAN fails its checksum: a doubtful field.
    static let statementWithBadIBAN = textPDF(lines: [
        "Sparkasse Dortmund", "Kontoauszug Nr. 4/2025", "Peter Schmidt, Lindenstraße 12, 44137 Dortmund",
        "IBAN DE89 3704 0044 0532 0130 01", "Zeitraum 01.04.2025 bis 30.04.2025", "alter Kontostand 85,20 EUR",
        "neuer Kontostand 12,40 EUR",
    ])
}

struct WebTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

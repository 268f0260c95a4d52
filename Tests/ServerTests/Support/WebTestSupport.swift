import Akte
import Foundation
import PosteingangTestKit

#if canImport(Glibc)
    import Glibc
#endif

/// Paths, the built command and small real documents for the web tests.
enum WebTestSupport {
    static var repositoryRoot: URL { TestKit.repositoryRoot }
    static var fixtures: URL { TestKit.fixtures }
    static var executable: URL { TestKit.executable }
    static func temporaryDirectory() throws -> URL { try TestKit.temporaryDirectory("web") }

    /// Runs a program to the end with `input` on standard input.
    @discardableResult
    static func run(_ executable: URL, _ arguments: [String], input: String? = nil, environment: [String: String]? = nil)
        throws -> (status: Int32, stdout: String, stderr: String)
    {
        try TestKit.run(arguments, executable: executable, input: input, environment: environment)
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

    static func textPDF(lines: [String]) -> Data { TestKit.textPDF(lines: lines) }

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

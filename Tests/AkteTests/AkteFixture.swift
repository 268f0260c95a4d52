import Foundation
import PosteingangTestKit
import Testing

@testable import Akte

/// The E-Akte's backends; the store tests run against each (`@Test(arguments: AkteBackend.allCases)`).
enum AkteBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    /// A real PostgreSQL started by the tests (`PostgresServer`), a fresh database per fixture.
    case postgres

    var testDescription: String { rawValue }
}

/// A fresh E-Akte on one backend (a data directory with `akte.sqlite`, or a new PostgreSQL
/// database) and a blob store; the folder is removed when dropped.
final class AkteFixture {
    let backend: AkteBackend
    let directory: URL
    /// The PostgreSQL database's URL (postgres backend only).
    let databaseURL: String?
    var databasePath: String { directory.appendingPathComponent("akte.sqlite").path }
    var blobs: FolderBlobStore { FolderBlobStore(root: directory.appendingPathComponent("blobs")) }
    private(set) lazy var store: any AkteStore = try! openStore()

    static let now = Date(timeIntervalSince1970: 1_740_000_000)  // 2025-02-19T21:20:00Z

    init(_ backend: AkteBackend = .sqlite) throws {
        self.backend = backend
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("akte-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        databaseURL = backend == .postgres ? try PostgresServer.shared().makeDatabase() : nil
    }

    deinit {
        // Blobs are read-only (0400); the folders are not, so removal works.
        try? FileManager.default.removeItem(at: directory)
    }

    /// Opens the store again (a second process, or a restart).
    func openStore() throws -> any AkteStore {
        switch backend {
        case .sqlite: return try SQLiteAkte(path: databasePath, clock: { AkteFixture.now })
        case .postgres: return try PostgresAkte(url: PostgresURL(databaseURL!), clock: { AkteFixture.now })
        }
    }

    /// Runs SQL on the database behind the store's back (an attacker with access to it).
    func rawSQL(_ sql: String) throws {
        switch backend {
        case .sqlite: try SQLiteAkte.executeRawSQL(sql, inDatabaseAt: databasePath)
        case .postgres: try PostgresServer.shared().psql(sql, database: databaseURL!)
        }
    }

    /// Everything the database holds, as bytes: the SQLite file and its WAL, or a `pg_dump`.
    func storedBytes() throws -> Data {
        switch backend {
        case .sqlite:
            return try Data(contentsOf: URL(fileURLWithPath: databasePath))
                + ((try? Data(contentsOf: URL(fileURLWithPath: databasePath + "-wal"))) ?? Data())
        case .postgres:
            return Data(try PostgresServer.shared().dump(database: databaseURL!).utf8)
        }
    }

    /// `sql` run with the audit trail's append-only triggers taken away first.
    func rawSQLWithoutAuditGuards(_ sql: String) throws {
        switch backend {
        case .sqlite: try rawSQL("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; " + sql)
        case .postgres: try rawSQL("ALTER TABLE audit DISABLE TRIGGER USER; " + sql)
        }
    }

    /// Two households: Müller (two persons) and Özdemir (one).
    static let register = [
        RegisterPerson(
            bgNummer: "96301BG0012345", kundennummer: "963D123456", nachname: "Müller", vorname: "Jürgen",
            geburtsdatum: "1980-04-01", strasse: "Hauptstraße 5", plz: "10115", ort: "Berlin"),
        RegisterPerson(
            bgNummer: "96301BG0012345", kundennummer: "963D123457", nachname: "Müller", vorname: "Anna",
            geburtsdatum: "1982-07-12", strasse: "Hauptstraße 5", plz: "10115", ort: "Berlin"),
        RegisterPerson(
            bgNummer: "96301BG0099999", kundennummer: "963D654321", nachname: "Özdemir", vorname: "Ayşe",
            geburtsdatum: "1975-01-30", strasse: "Gärtnerweg 2", plz: "10117", ort: "Berlin"),
    ]

    static func sha(_ text: String) -> String { SHA256Hex.of(text) }

    /// A rent contract for the Müller household, filed with confidence.
    static func mietvertrag(
        uploadID: String = "upload-1", bytes: String = "mietvertrag-bytes", caseID: String? = "96301BG0012345",
        status: DocumentStatus = .filed, receivedAt: Date = Date(timeIntervalSince1970: 1_739_000_000),
        text: String = "Mietvertrag über Wohnraum zwischen Vermieter Schröder und Jürgen Müller, Grundmiete 450,00 €",
        sensitive: Bool = false
    ) -> NewDocument {
        NewDocument(
            uploadID: uploadID, sha256: sha(bytes), originalFilename: "IMG_0042.jpeg", channel: "app",
            receivedAt: receivedAt, documentClass: "mietvertrag", classConfidence: 0.93, status: status,
            caseID: caseID, pageCount: 2, pageTexts: ["Seite eins", "Seite zwei"],
            fields: [
                NewField(key: "kaltmiete", value: "450.00"),
                NewField(
                    key: "gesamtmiete", value: "640.00", doubtful: true, reason: "450.00 + 120.00 + 60.00 ≠ 640.00"),
            ],
            text: text, reviewReasons: status == .filed ? [] : ["class confidence below 0.8"], sensitive: sensitive,
            archivePDFSha256: sha(bytes + "-archive"), format: "jpeg", detailsJSON: #"{"rules":["mietvertrag.title"]}"#,
            actor: "worker-1")
    }
}

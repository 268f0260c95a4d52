import Foundation

@testable import Akte

/// A fresh data directory with a real `akte.sqlite` and blob store; removed when dropped.
final class AkteFixture {
    let directory: URL
    var databasePath: String { directory.appendingPathComponent("akte.sqlite").path }
    var blobs: FolderBlobStore { FolderBlobStore(root: directory.appendingPathComponent("blobs")) }
    private(set) lazy var store: SQLiteAkte = try! SQLiteAkte(path: databasePath, clock: { AkteFixture.now })

    static let now = Date(timeIntervalSince1970: 1_740_000_000)  // 2025-02-19T21:20:00Z

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("akte-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        // Blobs are read-only (0400); the folders are not, so removal works.
        try? FileManager.default.removeItem(at: directory)
    }

    func openStore() throws -> SQLiteAkte {
        try SQLiteAkte(path: databasePath, clock: { AkteFixture.now })
    }

    func rawSQL(_ sql: String) throws {
        try SQLiteAkte.executeRawSQL(sql, inDatabaseAt: databasePath)
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

import Foundation
import Testing

@testable import Akte

@Suite("Schema migrations")
struct MigrationTests {
    /// The schema as release v1 wrote it, typed out by hand (not taken from `AkteMigrations`),
    /// with one household, one filed document and no full-text index.
    static let v1DataDirectory = """
        CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
        INSERT INTO grdb_migrations VALUES ('v1');
        CREATE TABLE households (bgNummer TEXT PRIMARY KEY NOT NULL, importedAt DATETIME NOT NULL, updatedAt DATETIME NOT NULL);
        CREATE TABLE persons (kundennummer TEXT PRIMARY KEY NOT NULL, bgNummer TEXT NOT NULL REFERENCES households(bgNummer),
            nachname TEXT NOT NULL, vorname TEXT NOT NULL, geburtsdatum TEXT, strasse TEXT, plz TEXT, ort TEXT,
            importedAt DATETIME NOT NULL, updatedAt DATETIME NOT NULL);
        CREATE INDEX persons_bgNummer ON persons(bgNummer);
        CREATE TABLE documents (id TEXT PRIMARY KEY NOT NULL, sha256 TEXT NOT NULL UNIQUE, originalFilename TEXT NOT NULL,
            channel TEXT NOT NULL, receivedAt DATETIME NOT NULL, format TEXT NOT NULL, documentClass TEXT NOT NULL,
            classConfidence DOUBLE NOT NULL, status TEXT NOT NULL, caseID TEXT, pageCount INTEGER NOT NULL, text TEXT NOT NULL,
            reviewReasons TEXT NOT NULL, sensitive BOOLEAN NOT NULL, archivePDFSha256 TEXT, detailsJSON TEXT NOT NULL,
            filedAt DATETIME NOT NULL, filedBy TEXT NOT NULL);
        CREATE INDEX documents_caseID ON documents(caseID, receivedAt);
        CREATE TABLE uploads (id TEXT PRIMARY KEY NOT NULL, sha256 TEXT NOT NULL, filename TEXT NOT NULL, channel TEXT NOT NULL,
            receivedAt DATETIME NOT NULL, submitter TEXT, state TEXT NOT NULL, reason TEXT, stage TEXT,
            documentID TEXT REFERENCES documents(id), updatedAt DATETIME NOT NULL);
        CREATE INDEX uploads_sha256 ON uploads(sha256);
        CREATE TABLE receipts (uploadID TEXT PRIMARY KEY NOT NULL, documentID TEXT NOT NULL REFERENCES documents(id),
            filename TEXT NOT NULL, channel TEXT NOT NULL, receivedAt DATETIME NOT NULL, submitter TEXT);
        CREATE INDEX receipts_documentID ON receipts(documentID);
        CREATE TABLE pages (documentID TEXT NOT NULL REFERENCES documents(id), number INTEGER NOT NULL, text TEXT,
            PRIMARY KEY (documentID, number));
        CREATE TABLE fields (documentID TEXT NOT NULL REFERENCES documents(id), key TEXT NOT NULL, value TEXT NOT NULL,
            doubtful BOOLEAN NOT NULL, reason TEXT, PRIMARY KEY (documentID, key));
        CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
            documentID TEXT, uploadID TEXT, details TEXT NOT NULL, previousHash TEXT NOT NULL, hash TEXT NOT NULL);
        CREATE INDEX audit_documentID ON audit(documentID);
        CREATE INDEX audit_uploadID ON audit(uploadID);
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be changed'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be deleted'); END;

        INSERT INTO households VALUES ('96301BG0012345', '2024-01-01 00:00:00.000', '2024-01-01 00:00:00.000');
        INSERT INTO persons VALUES ('963D123456', '96301BG0012345', 'Müller', 'Jürgen', '1980-04-01', 'Hauptstraße 5',
            '10115', 'Berlin', '2024-01-01 00:00:00.000', '2024-01-01 00:00:00.000');
        INSERT INTO documents VALUES ('doc-v1', '\(AkteFixture.sha("old"))', 'scan.pdf', 'scanner', '2024-02-01 08:00:00.000',
            'pdf', 'kontoauszug', 0.88, 'filed', '96301BG0012345', 1, 'Kontoauszug Sparkasse Jürgen Müller neuer Kontostand',
            '[]', 0, NULL, '{}', '2024-02-01 08:05:00.000', 'worker-1');
        INSERT INTO receipts VALUES ('upload-v1', 'doc-v1', 'scan.pdf', 'scanner', '2024-02-01 08:00:00.000', NULL);
        INSERT INTO uploads VALUES ('upload-v1', '\(AkteFixture.sha("old"))', 'scan.pdf', 'scanner', '2024-02-01 08:00:00.000',
            NULL, 'filed', NULL, NULL, 'doc-v1', '2024-02-01 08:05:00.000');
        INSERT INTO fields VALUES ('doc-v1', 'saldo_neu', '12.34', 0, NULL);
        """

    @Test("a v1 data directory is migrated on open: its documents are searchable and correctable")
    func migratesV1() throws {
        let fixture = try AkteFixture()
        try fixture.rawSQL(Self.v1DataDirectory)

        let store = try fixture.openStore()

        #expect(try store.appliedMigrations().starts(with: ["v1", "v2"]))
        #expect(try store.search("Müller Kontostand", cases: ["96301BG0012345"]).map(\.document.id) == ["doc-v1"])
        #expect(try store.uploadStatus(idOrSha: "upload-v1")?.state == .filed)
        try store.reclassify(documentID: "doc-v1", to: "lohnabrechnung", by: "sb-1")
        let document = try store.document(id: "doc-v1", viewer: "sb-1")
        #expect(
            document.machine == DocumentDecision(documentClass: "kontoauszug", status: .filed, caseID: "96301BG0012345")
        )
        #expect(document.effective.documentClass == "lohnabrechnung")
        #expect(document.receivedAt == Date(timeIntervalSince1970: 1_706_774_400))
        #expect(document.fields.map(\.value) == ["12.34"])
        #expect(try store.verifyAuditChain().isIntact)
        // Opening again changes nothing.
        #expect(try fixture.openStore().appliedMigrations() == store.appliedMigrations())
    }

    @Test("a data directory from a newer version is refused, not opened")
    func refusesNewerSchema() throws {
        let fixture = try AkteFixture()
        _ = try fixture.openStore()
        try fixture.rawSQL("INSERT INTO grdb_migrations VALUES ('v9-from-the-future')")

        #expect(throws: AkteError.schemaTooNew(path: fixture.databasePath, unknownMigrations: ["v9-from-the-future"])) {
            try fixture.openStore()
        }
    }

    @Test("the migrations create the v1 schema exactly as typed out above")
    func v1Unchanged() {
        func normalized(_ sql: String) -> String {
            sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                .replacingOccurrences(of: "( ", with: "(").replacingOccurrences(of: " )", with: ")")
        }
        let handWritten = Self.v1DataDirectory.components(separatedBy: "INSERT INTO households")[0]
            .components(separatedBy: "INSERT INTO grdb_migrations VALUES ('v1');")[1]
        #expect(normalized(AkteMigrations.v1) == normalized(handWritten))
    }
}

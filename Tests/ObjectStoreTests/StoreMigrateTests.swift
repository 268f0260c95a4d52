import Akte
import Foundation
import PosteingangTestKit
import Testing

@testable import ObjectStore

/// `posteingang store migrate`: an embedded installation made by the real daemon and the real
/// store (documents filed, one in review, one refused, a split upload, corrections, users and a
/// session, API tokens and uploads, requests, work and notes, a finding's review, views, cached
/// page images) moves to a real PostgreSQL and a real SeaweedFS; every row and blob is there
/// afterwards, the audit chain verifies, a second run changes nothing, and a target holding
/// other data is refused before anything is written.
@Suite("store migrate", .serialized)
struct StoreMigrateTests {
    static let caseID = "96301BG0012345"

    @Test("an embedded installation moves to PostgreSQL + SeaweedFS whole, checked; again: nothing copied, nothing changed")
    func migratesEverything() async throws {
        let weed = try SeaweedFS()
        defer { weed.kill() }
        let s3 = try await weed.store()
        let postgres = try PostgresServer.shared()
        let url = try postgres.makeDatabase()
        let dataDir = try TestKit.temporaryDirectory("migrate-source")
        defer { try? FileManager.default.removeItem(at: dataDir) }
        var environment = ProcessInfo.processInfo.environment
        environment.merge(weed.environment) { $1 }
        environment["POSTEINGANG_BLOBS"] = nil
        environment["POSTEINGANG_DATABASE_URL"] = nil

        let installation = try await Self.makeInstallation(dataDir, environment: environment)
        let source = try SQLiteAkte(path: dataDir.appendingPathComponent("akte.sqlite").path)
        // Read before the move: opening a document is audited, and the source must not change after it.
        let originals = try installation.documentIDs.map { try source.document(id: $0, viewer: "pruefer") }
        // Every kind of record is there to be copied.
        let sourceRows = try Self.rowCounts(source)
        for table in StoreTables.all {
            #expect(sourceRows[table.name, default: 0] > 0, "the source has no \(table.name) rows: the test would not show they are copied")
        }
        let sourceBlobs = try FolderBlobStore(root: dataDir.appendingPathComponent("blobs")).storedHashes()
        #expect(sourceBlobs.count >= 8)

        let arguments = ["store", "migrate", "--from", dataDir.path, "--to", url, "--blobs", weed.address]
        let clock = ContinuousClock()
        var first: (status: Int32, stdout: String, stderr: String) = (0, "", "")
        let firstTime = try clock.measure { first = try TestKit.run(arguments + ["--json"], environment: environment) }
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        let report = try Self.json(first.stdout)
        #expect(report["ok"] as? Bool == true)
        let figures = try #require(report["report"] as? [String: Any])
        let tables = try #require(figures["tables"] as? [[String: Any]])
        for table in tables {
            let name = table["table"] as! String
            #expect(table["source_rows"] as? Int == sourceRows[name, default: 0], "\(name)")
            #expect(table["copied"] as? Int == sourceRows[name, default: 0], "\(name)")
            #expect(table["verified"] as? Int == sourceRows[name, default: 0], "\(name)")
            #expect(table["sha256"] as? String == table["target_sha256"] as? String, "\(name)")
        }
        let blobs = try #require(figures["blobs"] as? [String: Any])
        #expect(blobs["copied"] as? Int == sourceBlobs.count)
        #expect((blobs["verified"] as? Int ?? 0) >= sourceBlobs.count)
        #expect((blobs["target_problems"] as? [Any])?.isEmpty == true)
        #expect((figures["page_images"] as? [String: Any])?["copied"] as? Int == 1)
        let message = try #require(report["message"] as? [String: String])
        #expect(message["de"]?.contains("Migration vollständig.") == true, "\(message)")
        #expect(message["en"]?.contains("Copied") == true)
        // The refused upload's file stays in the source's quarantine, and the command says so.
        #expect((report["spool_not_copied"] as? [String: Int])?["quarantine"] == 1, "\(report)")
        #expect(message["de"]?.contains("1 abgewiesene Dateien in spool/quarantine werden nicht kopiert") == true)
        print("store migrate: \(installation.documents) documents, \(sourceRows.values.reduce(0, +)) rows, \(sourceBlobs.count) blobs in \(firstTime)")

        // Again: nothing copied, and the database is byte for byte what it was.
        let before = try Self.dump(postgres, url)
        let second = try TestKit.run(arguments, environment: environment)
        #expect(second.status == 0, "\(second.stdout)\n\(second.stderr)")
        #expect(second.stdout.contains("Nichts zu kopieren"), "\(second.stdout)")
        #expect(try Self.dump(postgres, url) == before)

        // Independently of the command's own check: the target answers as the source did.
        let target = try PostgresAkte(url: PostgresURL(url))
        for original in originals {
            let copied = try target.document(id: original.id, viewer: "pruefer")
            #expect(copied.text == original.text && copied.pageTexts == original.pageTexts)
            #expect(copied.fields == original.fields)
            #expect(copied.effective == original.effective && copied.machine == original.machine)
            #expect(copied.receipts.map(\.uploadID) == original.receipts.map(\.uploadID))
            #expect(copied.corrections.map(\.newValue) == original.corrections.map(\.newValue))
            #expect(Self.ms(copied.filedAt) == Self.ms(original.filedAt) && Self.ms(copied.receivedAt) == Self.ms(original.receivedAt))
            #expect(try await s3.read(sha256: original.sha256) == (try FolderBlobStore(root: dataDir.appendingPathComponent("blobs")).read(sha256: original.sha256)))
        }
        #expect(originals.contains { !$0.corrections.isEmpty })
        #expect(try target.corrections(since: nil).count == (try source.corrections(since: nil).count))
        #expect(try target.caseworkers().map(\.username) == (try source.caseworkers().map(\.username)))
        #expect(try target.apiTokens().map(\.id).sorted() == (try source.apiTokens().map(\.id).sorted()))
        #expect(try target.requests(inCase: Self.caseID, includeClosed: true).count == 2)
        #expect(try target.parts(ofUpload: installation.splitUpload).count == 2)
        #expect(try target.session(sessionID: installation.sessionID) != nil, "a caseworker stays logged in")
        #expect(try target.apiToken(secret: installation.tokenSecret) != nil, "a client's token works on the target")

        let verified = try TestKit.run(["audit", "verify", "--database", url], environment: environment)
        #expect(verified.status == 0 && verified.stdout.contains("intact"), "\(verified.stdout) \(verified.stderr)")
        let complete = try TestKit.run(
            ["store", "verify", "--data-dir", dataDir.path, "--database", url, "--blobs", weed.address], environment: environment)
        #expect(complete.status == 0, "\(complete.stdout) \(complete.stderr)")
        #expect(complete.stdout.contains("mit richtigem SHA-256"), "\(complete.stdout)")

        // The target goes on where the source stopped: numbers and the chain continue.
        let next = try target.addNote(documentID: installation.documentIDs[0], text: "nach dem Umzug", by: "sb-1")
        #expect(next.id > installation.lastNoteID)
        try target.setField(documentID: installation.documentIDs[0], key: "netto", value: "1234.56", by: "sb-1")
        #expect(try target.verifyAuditChain().isIntact)
        // A run after the target was used copies nothing and overwrites nothing.
        let used = try Self.dump(postgres, url)
        let third = try TestKit.run(arguments, environment: environment)
        #expect(third.status == 0 && third.stdout.contains("weiter benutzt"), "\(third.stdout)\n\(third.stderr)")
        #expect(try Self.dump(postgres, url) == used)

        // A blob gone from a store is listed by store verify (here the source's folder).
        let missing = installation.firstSha
        try FileManager.default.removeItem(at: FolderBlobStore(root: dataDir.appendingPathComponent("blobs")).url(for: missing))
        let incomplete = try TestKit.run(["store", "verify", "--data-dir", dataDir.path], environment: environment)
        #expect(incomplete.status == 1)
        #expect(incomplete.stdout.contains("fehlt: Dokument") && incomplete.stdout.contains(missing), "\(incomplete.stdout)")
        try await s3.shutdown()
    }

    @Test("a target with other data under the same keys is refused in German before anything is written; so is a source that is not a data directory")
    func refusesConflictingTarget() async throws {
        let postgres = try PostgresServer.shared()
        let url = try postgres.makeDatabase()
        let dataDir = try TestKit.temporaryDirectory("migrate-refused")
        defer { try? FileManager.default.removeItem(at: dataDir) }
        let source = try SQLiteAkte(path: dataDir.appendingPathComponent("akte.sqlite").path)
        _ = try source.importRegister([
            RegisterPerson(bgNummer: Self.caseID, kundennummer: "963D123456", nachname: "Schmidt", vorname: "Peter")
        ])
        let target = try PostgresAkte(url: PostgresURL(url))
        _ = try target.importRegister([
            RegisterPerson(bgNummer: Self.caseID, kundennummer: "963D123456", nachname: "Schmitt", vorname: "Petra")
        ])
        let before = try Self.dump(postgres, url)
        let blobs = dataDir.appendingPathComponent("target-blobs").path
        let refused = try TestKit.run(["store", "migrate", "--from", dataDir.path, "--to", url, "--blobs", blobs])
        #expect(refused.status == 65, "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stderr.contains("andere Daten unter denselben Schlüsseln"), "\(refused.stderr)")
        #expect(refused.stderr.contains("persons") && refused.stderr.contains("nachname"), "\(refused.stderr)")
        #expect(refused.stderr.contains("Nichts wurde kopiert"))
        #expect(try Self.dump(postgres, url) == before, "nothing was written")

        let json = try TestKit.run(["store", "migrate", "--from", dataDir.path, "--to", url, "--blobs", blobs, "--json"])
        let answer = try Self.json(json.stdout)
        let error = try #require(answer["error"] as? [String: String])
        #expect(error["code"] == "target_holds_other_data")
        #expect(error["en"]?.contains("nothing was copied") == true)

        let notEmbedded = try TestKit.run(["store", "migrate", "--from", url, "--to", dataDir.path + "-copy"])
        #expect(notEmbedded.status == 65)
        #expect(notEmbedded.stderr.contains("keine eingebettete Installation") && notEmbedded.stderr.contains("akte.sqlite"), "\(notEmbedded.stderr)")
        let noAkte = try TestKit.run(["store", "migrate", "--from", dataDir.appendingPathComponent("nothing").path, "--to", url, "--blobs", blobs])
        #expect(noAkte.status == 65 && noAkte.stderr.contains("keine E-Akte"), "\(noAkte.stderr)")
        let password = try TestKit.run(["store", "migrate", "--from", dataDir.path, "--to", "postgres://akte:geheim@127.0.0.1:5432/akte", "--blobs", blobs])
        #expect(password.status == 65 && password.stderr.contains("PGPASSWORD") && !password.stderr.contains("geheim@"), "\(password.stderr)")
        let noBlobs = try TestKit.run(["store", "migrate", "--from", dataDir.path, "--to", url], environment: ["PATH": "/usr/bin:/bin"])
        #expect(noBlobs.status == 65 && noBlobs.stderr.contains("--blobs fehlt"), "\(noBlobs.stderr)")
    }

    @Test("to another data directory (SQLite and a blob folder) the same way")
    func migratesToAnotherDataDirectory() async throws {
        let dataDir = try TestKit.temporaryDirectory("migrate-sqlite-source")
        let copy = try TestKit.temporaryDirectory("migrate-sqlite-target")
        defer {
            try? FileManager.default.removeItem(at: dataDir)
            try? FileManager.default.removeItem(at: copy)
        }
        let source = try SQLiteAkte(path: dataDir.appendingPathComponent("akte.sqlite").path)
        _ = try source.importRegister([RegisterPerson(bgNummer: Self.caseID, kundennummer: "963D123456", nachname: "Schmidt", vorname: "Peter")])
        let blobs = FolderBlobStore(root: dataDir.appendingPathComponent("blobs"))
        let sha = try blobs.put(Data("Mietvertrag".utf8))
        _ = try source.file(Self.document(uploadID: "u-1", sha256: sha))
        try source.setField(documentID: try #require(source.uploadStatus(idOrSha: "u-1")?.documentID), key: "kaltmiete", value: "500.00", by: "sb")

        let run = try TestKit.run(["store", "migrate", "--from", dataDir.path, "--to", copy.path])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains("Migration vollständig."), "\(run.stdout)")
        #expect(try FolderBlobStore(root: copy.appendingPathComponent("blobs")).read(sha256: sha) == Data("Mietvertrag".utf8))
        let verified = try TestKit.run(["audit", "verify", "--data-dir", copy.path])
        #expect(verified.status == 0, "\(verified.stdout)")
        let again = try TestKit.run(["store", "migrate", "--from", dataDir.path, "--to", copy.path])
        #expect(again.status == 0 && again.stdout.contains("Nichts zu kopieren"), "\(again.stdout) \(again.stderr)")
        // The source goes on after the move. A correction of a field only adds rows (the correction,
        // its audit entry): they are copied. A reclassification changes the document's row: refused.
        let id = try #require(source.uploadStatus(idOrSha: "u-1")?.documentID)
        try source.setField(documentID: id, key: "kaltmiete", value: "510.00", by: "sb")
        let added = try TestKit.run(["store", "migrate", "--from", dataDir.path, "--to", copy.path])
        #expect(added.status == 0 && added.stdout.contains("Kopiert: 2 von"), "\(added.stdout) \(added.stderr)")
        try source.reclassify(documentID: id, to: "mietbescheinigung", by: "sb")
        let older = try TestKit.run(["store", "migrate", "--from", dataDir.path, "--to", copy.path])
        #expect(older.status == 65 && older.stderr.contains("frühere Migration dieser Quelle"), "\(older.stdout) \(older.stderr)")
        #expect(older.stderr.contains("documents") && older.stderr.contains("Nichts wurde kopiert"), "\(older.stderr)")
        let same = try TestKit.run(["store", "migrate", "--from", dataDir.path, "--to", dataDir.path])
        #expect(same.status == 65 && same.stderr.contains("dieselbe E-Akte"), "\(same.stderr)")
    }

    // MARK: - The installation

    struct Installation {
        var documentIDs: [String]
        var documents: Int { documentIDs.count }
        var splitUpload: String
        var sessionID: String
        var tokenSecret: String
        var lastNoteID: Int64
        var firstSha: String
    }

    /// A data directory with every kind of record: the daemon files born-digital payslips (one
    /// into review, a broken file refused), then the store takes a split upload, corrections,
    /// accounts, a session, tokens, API uploads, requests, work, notes, a finding's review and views.
    static func makeInstallation(_ dataDir: URL, environment: [String: String]) async throws -> Installation {
        let imported = try TestKit.run(
            ["cases", "import", "--data-dir", dataDir.path, TestKit.fixture("cases.csv").path], environment: environment)
        #expect(imported.status == 0, "\(imported.stderr)")
        let log = dataDir.appendingPathComponent("daemon.log")
        let daemon = try TestKit.start(
            [
                "run", "--data-dir", dataDir.path, "--config", TestKit.pipelineYML.path, "--workers", "1", "--settle-delay", "0.2",
                "--rescan-interval", "1",
            ], log: log, environment: environment)
        defer { daemon.stop(grace: 0) }
        let inbox = dataDir.appendingPathComponent("spool/inbox")
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: inbox.path) { usleep(100_000) }
        let uploads: [(String, Data)] = [
            ("lohn-maerz.pdf", payslip(month: "Maerz", bg: true)),
            ("lohn-april.pdf", payslip(month: "April", bg: true)),
            ("unbekannt.pdf", payslip(month: "Mai", bg: false)),
            ("kaputt.pdf", Data("das ist kein PDF".utf8)),
        ]
        for (name, data) in uploads { try TestKit.deliver(data, as: name, to: inbox) }
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, S3FilingTests.pending(dataDir) { try await Task.sleep(nanoseconds: 200_000_000) }
        daemon.stop(grace: 60)
        #expect(!S3FilingTests.pending(dataDir), "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")

        let akte = try SQLiteAkte(path: dataDir.appendingPathComponent("akte.sqlite").path)
        let blobs = FolderBlobStore(root: dataDir.appendingPathComponent("blobs"))
        var ids = try akte.inbox(since: nil, caseID: nil, limit: 100).map(\.id)
        #expect(ids.count == 3, "two payslips filed, one in review")
        #expect(try akte.reviewQueue().count == 1)

        // A split upload: its original once, a PDF per part.
        let original = try blobs.put(Data("Stapel aus zwei Dokumenten".utf8))
        let parts = try (1...2).map { number -> NewPart in
            let sha = try blobs.put(Data("Teil \(number)".utf8))
            return NewPart(
                document: document(uploadID: "stapel-1", sha256: sha, archive: sha), number: number, firstPage: number,
                lastPage: number, reason: "Deckblatt")
        }
        let outcomes = try akte.fileParts(
            uploadID: "stapel-1", uploadSha256: original, filename: "stapel.pdf", channel: "scan", receivedAt: Date(),
            method: "cover_sheet", parts: parts, actor: "worker-1")
        ids += outcomes.map(\.documentID)
        let first = ids[0]

        try akte.setField(documentID: first, key: "netto", value: "1500.50", by: "sb-1")
        try akte.reclassify(documentID: ids[1], to: "kontoauszug", by: "sb-1")
        let inReview = try akte.reviewQueue()[0].id
        try akte.assign(documentID: inReview, caseID: caseID, by: "sb-2")
        try akte.addCaseworker(username: "sb-1", roles: [.sachbearbeitung], passwordHash: try PasswordHash.make("geheim-1234"), by: "admin")
        let sessionID = "sitzung-\(UUID().uuidString)"
        try akte.openSession(sessionID: sessionID, username: "sb-1", csrfToken: "csrf-1")
        let token = try akte.issueAPIToken(client: "portal", caseID: nil, ratePerMinute: 60, by: "admin")
        let revoked = try akte.issueAPIToken(client: "alt", caseID: caseID, ratePerMinute: 10, by: "admin")
        _ = try akte.revokeAPIToken(id: revoked.token.id, by: "admin")
        let pageOne = try blobs.put(Data("Seite 1 als Datei".utf8))
        let pageTwo = try blobs.put(Data("Seite 2 als Datei".utf8))
        _ = try akte.recordAPIUpload(
            APIUpload(
                uploadID: "u-api-1", tokenID: token.token.id, client: "portal", caseID: nil, fileName: "seiten.pdf", bytes: 34,
                sha256: SHA256Hex.of("zusammen"), acceptedAt: Date(),
                parts: [
                    APIUploadPart(fileName: "s1.jpg", format: "jpeg", bytes: 17, sha256: pageOne),
                    APIUploadPart(fileName: "s2.jpg", format: "jpeg", bytes: 17, sha256: pageTwo),
                ]),
            idempotencyKey: "schluessel-1",
            answer: StoredAPIAnswer(requestSha256: "r1", uploadID: "u-api-1", httpStatus: 202, responseJSON: #"{"status":"received"}"#))
        let request = try akte.addRequest(
            NewDocumentRequest(bgNummer: caseID, documentClass: "kontoauszug", period: nil, dueDate: "2026-12-31", note: "bitte"),
            by: "sb-1")
        _ = try akte.closeRequest(id: request.id, note: "erledigt", by: "sb-1")
        _ = try akte.addRequest(
            NewDocumentRequest(bgNummer: caseID, documentClass: "lohnabrechnung", period: nil, dueDate: "2027-01-15"), by: "sb-1")
        try akte.setWorkState(documentID: first, to: .inProgress, by: "sb-1")
        try akte.assignWork(documentID: first, to: "sb-1", by: "sb-1")
        try akte.setFollowUp(documentID: first, day: "2027-01-10", by: "sb-1")
        let note = try akte.addNote(documentID: first, text: "Rückfrage beim Arbeitgeber", by: "sb-1")
        try akte.markFindingReviewed(
            bgNummer: caseID, findingKey: "income_changed:\(first)", code: "income_changed", documentIDs: [first],
            note: "geprüft", by: "sb-1")
        _ = try akte.document(id: first, viewer: "sb-1")
        let firstSha = try akte.document(id: first, viewer: "sb-1").sha256
        try blobs.cacheImage(Data("PNG-Seite-1".utf8), named: "\(firstSha)-p1-large.png")
        return Installation(
            documentIDs: ids, splitUpload: "stapel-1", sessionID: sessionID, tokenSecret: token.secret, lastNoteID: note.id,
            firstSha: firstSha)
    }

    static func payslip(month: String, bg: Bool) -> Data {
        TestKit.textPDF(
            lines: [
                "Muster Logistik GmbH, Hafenstrasse 3, 44147 Dortmund", "", "Herrn", bg ? "Peter Schmidt" : "Erika Unbekannt",
                bg ? "Lindenstrasse 12" : "Nirgendweg 1", bg ? "44137 Dortmund" : "99999 Irgendwo", "",
                "Entgeltabrechnung fuer \(month) 2025", "Steuerklasse 1", "Gesamtbrutto 2.300,00 EUR",
                "Nettoverdienst 1.700,50 EUR", "Auszahlungsbetrag 1.700,50 EUR",
            ] + (bg ? ["BG-Nummer 96301BG0012345"] : []))
    }

    static func document(uploadID: String, sha256: String, archive: String? = nil) -> NewDocument {
        NewDocument(
            uploadID: uploadID, sha256: sha256, originalFilename: "stapel.pdf", channel: "scan", receivedAt: Date(),
            documentClass: "mietvertrag", classConfidence: 0.91, status: .filed, caseID: caseID, pageCount: 1,
            pageTexts: ["Mietvertrag Seite"], fields: [NewField(key: "kaltmiete", value: "450.00")],
            text: "Mietvertrag über Wohnraum, Grundmiete 450,00 €", reviewReasons: [], sensitive: false,
            archivePDFSha256: archive, format: "pdf", detailsJSON: "{}", actor: "worker-1")
    }

    /// The database's rows as `pg_dump` prints them, without its per-run `\restrict` key.
    static func dump(_ server: PostgresServer, _ url: String) throws -> String {
        try server.dump(database: url).split(separator: "\n").filter { !$0.hasPrefix("\\restrict") && !$0.hasPrefix("\\unrestrict") }
            .joined(separator: "\n")
    }

    static func rowCounts(_ source: SQLiteAkte) throws -> [String: Int] {
        try StoreTables.all.reduce(into: [String: Int]()) { counts, table in
            var cursor: Int64 = 0
            while true {
                let (rows, next) = try source.exportRows(table, after: cursor, limit: 1000)
                if rows.isEmpty { break }
                counts[table.name, default: 0] += rows.count
                cursor = next
            }
        }
    }

    static func ms(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }
}

import Akte
import Foundation
import PosteingangTestKit
import Testing

/// Figures for `store migrate`, not a check: `MIGRATE_BENCH=1000 swift test --filter StoreMigrateBenchmark`
/// files that many documents (2 pages, 4 fields, a 100 kB original and a 50 kB archive PDF each,
/// a correction on every tenth) into a new data directory, moves it to a real PostgreSQL and
/// SeaweedFS with the command, and prints the time of the first and of the second run.
@Suite("store migrate benchmark", .serialized)
struct StoreMigrateBenchmark {
    static let count = Int(ProcessInfo.processInfo.environment["MIGRATE_BENCH"] ?? "") ?? 0

    @Test("time to migrate MIGRATE_BENCH documents to PostgreSQL + SeaweedFS", .enabled(if: count > 0))
    func migrateDocuments() async throws {
        let weed = try SeaweedFS()
        defer { weed.kill() }
        let s3 = try await weed.store()
        try await s3.shutdown()
        let url = try PostgresServer.shared().makeDatabase()
        let dataDir = try TestKit.temporaryDirectory("migrate-bench")
        defer { try? FileManager.default.removeItem(at: dataDir) }
        let akte = try SQLiteAkte(path: dataDir.appendingPathComponent("akte.sqlite").path)
        _ = try akte.importRegister([RegisterPerson(bgNummer: "96301BG0012345", kundennummer: "963D123456", nachname: "Schmidt", vorname: "Peter")])
        let blobs = FolderBlobStore(root: dataDir.appendingPathComponent("blobs"))
        var filler = Data(count: 100_000)
        for index in stride(from: 0, to: filler.count, by: 97) { filler[index] = UInt8(truncatingIfNeeded: index) }
        let filing = ContinuousClock().measure {
            for number in 0..<Self.count {
                var original = filler
                original.replaceSubrange(0..<16, with: Data(String(format: "beleg-%010d", number).utf8))
                let sha = try! blobs.put(original)
                let archive = try! blobs.put(original.prefix(50_000) + Data("archiv".utf8))
                let document = NewDocument(
                    uploadID: "u-\(number)", sha256: sha, originalFilename: "lohn-\(number).pdf", channel: "scan",
                    receivedAt: Date(), documentClass: "lohnabrechnung", classConfidence: 0.9, status: .filed,
                    caseID: "96301BG0012345", pageCount: 2, pageTexts: ["Entgeltabrechnung \(number)", "Seite zwei"],
                    fields: [
                        NewField(key: "brutto", value: "2300.00"), NewField(key: "netto", value: "1700.50"),
                        NewField(key: "auszahlung", value: "1700.50"), NewField(key: "abrechnungsmonat", value: "2025-03"),
                    ],
                    text: "Entgeltabrechnung Nummer \(number) Gesamtbrutto 2.300,00 EUR Auszahlungsbetrag 1.700,50 EUR",
                    reviewReasons: [], sensitive: false, archivePDFSha256: archive, format: "pdf", detailsJSON: "{}",
                    actor: "worker-1")
                let id = try! akte.file(document).documentID
                if number % 10 == 0 { try! akte.setField(documentID: id, key: "netto", value: "1701.50", by: "sb-1") }
            }
        }
        var environment = ProcessInfo.processInfo.environment
        environment.merge(weed.environment) { $1 }
        let arguments = ["store", "migrate", "--from", dataDir.path, "--to", url, "--blobs", weed.address]
        var first: (status: Int32, stdout: String, stderr: String) = (0, "", "")
        let firstTime = try ContinuousClock().measure { first = try TestKit.run(arguments, environment: environment) }
        #expect(first.status == 0, "\(first.stdout) \(first.stderr)")
        var second: (status: Int32, stdout: String, stderr: String) = (0, "", "")
        let secondTime = try ContinuousClock().measure { second = try TestKit.run(arguments, environment: environment) }
        #expect(second.status == 0 && second.stdout.contains("Nichts zu kopieren"), "\(second.stdout) \(second.stderr)")
        print("migrate benchmark: \(Self.count) documents filed in \(filing)")
        print("migrate benchmark: first run \(firstTime), second run \(secondTime)")
        print(first.stdout)
    }
}

import Foundation
import PosteingangTestKit
import Testing

@testable import Akte

/// The transfer side of the backends (`store migrate`): `StoreTables` is the whole schema of each
/// backend after all its migrations, so a migration that adds a column without adding it there
/// fails here, and a source with a column the list does not know is refused before copying.
@Suite("Store transfer")
struct StoreTransferTests {
    @Test("StoreTables names every table and column of the store, no more, no less", arguments: AkteBackend.allCases)
    func tablesCoverTheSchema(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        let store = try #require(fixture.store as? any StoreImport)
        let expected = Dictionary(
            uniqueKeysWithValues: StoreTables.all.map { ($0.name.lowercased(), Set($0.columns.map { $0.name.lowercased() })) })
        #expect(try store.tableColumns() == expected)
    }

    @Test("a source with a column this version does not know is refused, and nothing is copied")
    func unknownColumnRefused() async throws {
        let source = try AkteFixture(.sqlite)
        _ = try source.store.importRegister(AkteFixture.register)
        try SQLiteAkte.executeRawSQL("ALTER TABLE documents ADD COLUMN retentionClass TEXT", inDatabaseAt: source.databasePath)
        let target = try AkteFixture(.sqlite)
        let migration = StoreMigration(
            source: try #require(try source.openStore() as? SQLiteAkte), sourceBlobs: source.blobs,
            target: try #require(target.store as? any StoreImport), targetBlobs: target.blobs)
        do {
            _ = try await migration.run()
            Issue.record("a column that would be lost was not refused")
        } catch let refusal as StoreMigrationRefusal {
            #expect(refusal.code == "schema_mismatch")
            #expect(refusal.german.contains("documents.retentionclass") && refusal.german.contains("Nichts wurde kopiert"), "\(refusal.german)")
        }
        #expect(try target.store.households().isEmpty)
    }

    @Test("times keep their millisecond, numbers their digits, copied from SQLite to PostgreSQL")
    func valuesSurviveBothBackends() async throws {
        let source = try AkteFixture(.sqlite)
        _ = try source.store.importRegister(AkteFixture.register)
        _ = try source.store.file(AkteFixture.mietvertrag())
        let target = try AkteFixture(.postgres)
        let migration = StoreMigration(
            source: try #require(try source.openStore() as? SQLiteAkte), sourceBlobs: source.blobs,
            target: try #require(target.store as? any StoreImport), targetBlobs: target.blobs)
        let report = try await migration.run()
        #expect(report.rowMismatches.isEmpty && report.rowsVerified == report.sourceRows)
        let documents = try #require(StoreTables.all.first { $0.name == "documents" })
        let exported = try #require(try (source.openStore() as? SQLiteAkte)?.exportRows(documents, after: 0, limit: 10).rows.first)
        let copied = try #require(try (target.store as? any StoreImport)?.rows(documents, keys: [documents.key(of: exported)]).values.first)
        #expect(copied == exported)
        #expect(exported.values.contains(.real(0.93)))
        #expect(exported.values.contains(.time(milliseconds: 1_739_000_000_000)))
    }

    @Test("a time as UTC text, from its milliseconds exactly", arguments: [
        (Int64(0), "1970-01-01 00:00:00.000"), (1_739_000_000_123, "2025-02-08 07:33:20.123"),
        (951_782_400_999, "2000-02-29 00:00:00.999"), (-1, "1969-12-31 23:59:59.999"),
    ])
    func utcText(_ milliseconds: Int64, _ text: String) {
        #expect(StoreValue.time(milliseconds: milliseconds).utcText == text)
    }
}

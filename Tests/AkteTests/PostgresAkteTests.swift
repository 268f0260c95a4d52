import Foundation
import PosteingangTestKit
import Testing

@testable import Akte

/// What only the PostgreSQL backend has: several hosts on one database, its migrations, its
/// connection settings. The behaviour both backends share is in the other suites, run on both.
@Suite("PostgreSQL E-Akte", .tags(.postgres), .slow)
struct PostgresAkteTests {
    /// Stores opened separately on one database, as worker processes on different hosts do.
    private func hosts(_ count: Int, _ fixture: AkteFixture) throws -> [PostgresAkte] {
        try (0..<count).map { _ in try PostgresAkte(url: PostgresURL(fixture.databaseURL!), clock: { AkteFixture.now }) }
    }

    @Test("writers on four hosts keep one verifiable audit chain, and the same upload is filed once")
    func manyHostsOneChain() throws {
        let fixture = try AkteFixture(.postgres)
        _ = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        let hosts = try hosts(4, fixture)
        let before = try fixture.store.verifyAuditChain().checkedEntries
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 32) { index in
            let host = hosts[index % hosts.count]
            do {
                // Every host files the same upload (a retried job taken over) and one of its own.
                _ = try host.file(AkteFixture.mietvertrag(uploadID: "shared-upload", bytes: "shared"))
                _ = try host.file(AkteFixture.mietvertrag(uploadID: "own-\(index)", bytes: "own-\(index)"))
                try host.recordLoginThrottled(username: "u\(index)", address: nil, scope: "name", waitSeconds: 1)
            } catch {
                failures.add("\(error)")
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
        let report = try fixture.store.verifyAuditChain()
        #expect(report.isIntact)
        // shared: received, classified, filed once; each own upload: 3; each throttle: 1.
        #expect(report.checkedEntries == before + 3 + 32 * 3 + 32)
        let shared = try #require(try fixture.store.uploadStatus(idOrSha: "shared-upload")?.documentID)
        #expect(try fixture.store.document(id: shared, viewer: "t").receipts.map(\.uploadID) == ["shared-upload"])
        #expect(try fixture.store.inbox(since: nil, caseID: nil, limit: 100).count == 33)
    }

    @Test("opening migrates once and again changes nothing; a database from a newer version is refused")
    func migrations() throws {
        let fixture = try AkteFixture(.postgres)
        #expect(try fixture.store.appliedMigrations() == PostgresMigrations.all.map(\.identifier))
        _ = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        let again = try fixture.openStore()
        #expect(try again.appliedMigrations() == PostgresMigrations.all.map(\.identifier))
        #expect(try again.households().count == 2)
        try fixture.rawSQL("INSERT INTO schema_migrations (identifier, appliedAt) VALUES ('pg-v99-future', now())")
        #expect(throws: AkteError.schemaTooNew(path: fixture.databaseURL!, unknownMigrations: ["pg-v99-future"])) {
            try fixture.openStore()
        }
    }

    @Test("URLs: a password in them, another scheme or no database is refused with what to use instead")
    func urls() throws {
        #expect(throws: AkteError.self) { try PostgresURL("postgres://akte:geheim@db:5432/akte") }
        #expect(throws: AkteError.self) { try PostgresURL("postgres://akte@db:5432/") }
        #expect(throws: AkteError.self) { try AkteStores.location(database: "mysql://db/akte", dataDirectory: URL(fileURLWithPath: "/d")) }
        #expect(
            try AkteStores.location(database: nil, dataDirectory: URL(fileURLWithPath: "/d")) == .sqlite(path: "/d/akte.sqlite"))
        #expect(
            try AkteStores.location(database: "postgresql://akte@db/akte?sslmode=require", dataDirectory: URL(fileURLWithPath: "/d"))
                == .postgres(try PostgresURL("postgresql://akte@db/akte?sslmode=require")))
        #expect(AkteStores.configuredDatabase(nil, environment: ["POSTEINGANG_DATABASE_URL": "postgres://a@b/c"]) == "postgres://a@b/c")
        #expect(AkteStores.configuredDatabase("postgres://x@y/z", environment: ["POSTEINGANG_DATABASE_URL": "postgres://a@b/c"]) == "postgres://x@y/z")
    }

    @Test("the password comes from the file POSTEINGANG_DATABASE_PASSWORD_FILE names, without its newline")
    func passwordFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pg-password-\(UUID().uuidString)")
        try Data("s3cret\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try PostgresURL.password(environment: [PostgresURL.passwordFileVariable: file.path]) == "s3cret")
        #expect(try PostgresURL.password(environment: [:]) == nil)
        #expect(throws: AkteError.self) { try PostgresURL.password(environment: [PostgresURL.passwordFileVariable: "/nonexistent/pw"]) }
    }

    @Test("a server that is not there is a clear error naming the URL")
    func unreachable() throws {
        #expect {
            try PostgresAkte(url: PostgresURL("postgres://akte@127.0.0.1:1/akte"))
        } throws: { error in
            "\(error)".contains("cannot connect to PostgreSQL at postgres://akte@127.0.0.1:1/akte")
        }
    }

    @Test("after a restart of PostgreSQL the store carries on: cut connections are dropped and opened again")
    func survivesRestart() throws {
        let server = try PostgresServer.startDedicated()
        defer { server.stop() }
        let akte = try PostgresAkte(url: PostgresURL(server.makeDatabase()), clock: { AkteFixture.now })
        _ = try akte.importRegister(AkteFixture.register, rejected: [])
        // Eight pooled connections (more than a write's 5 tries), all of which the restart cuts.
        let group = DispatchGroup()
        for _ in 0..<8 {
            group.enter()
            Thread.detachNewThread {
                _ = try? akte.read { db in try db.query("SELECT pg_sleep(0.5)") }
                group.leave()
            }
        }
        group.wait()
        try server.restart()
        #expect(try akte.file(AkteFixture.mietvertrag()).documentID.isEmpty == false)
        #expect(try akte.verifyAuditChain().isIntact)
    }

    @Test("timestamps read back as written, to the millisecond")
    func timestamps() {
        #expect(PostgresTime.date("2025-02-19 21:20:00+00") == Date(timeIntervalSince1970: 1_740_000_000))
        #expect(PostgresTime.date("2025-02-19 21:20:00.123456+00") == Date(timeIntervalSince1970: 1_740_000_000.123))
        #expect(PostgresTime.date("2025-02-19 22:20:00+01:00") == Date(timeIntervalSince1970: 1_740_000_000))
        #expect(PostgresTime.date("1969-12-31 23:59:59+00") == Date(timeIntervalSince1970: -1))
        #expect(PostgresTime.date("gestern") == nil)
    }
}

private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ item: String) { lock.withLock { items.append(item) } }
    var all: [String] { lock.withLock { items } }
}

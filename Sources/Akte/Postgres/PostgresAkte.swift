import Foundation

/// The E-Akte on PostgreSQL 15+, for several worker and server machines on one database. The
/// same protocols and the same rules as `SQLiteAkte`: filing once per upload and per content
/// (unique keys, one transaction), corrections beside the machine's values, full-text search
/// (`german` configuration), and one hash-chained audit trail whose appends are serialised in
/// the database (the head row is locked), so that writers on any host keep one verifiable chain.
///
/// Calls block (libpq is synchronous), like the SQLite side: run them off the NIO event loops,
/// as callers already do for SQLite. Each call takes a connection from a small pool; a write
/// that loses a race (a unique key taken by another host, a serialization failure) or its
/// connection (server restarted) runs again, from the start, on a fresh one.
public final class PostgresAkte: AkteStore, @unchecked Sendable {
    public let url: PostgresURL
    let now: @Sendable () -> Date
    let password: String?
    private let lock = NSLock()
    private var idle: [PostgresConnection] = []
    /// Connections kept open between calls.
    private let keepIdle = 8

    public var location: String { url.description }

    /// Connects to `url` and migrates the database (creating the schema in an empty one); a
    /// database migrated by a newer Posteingang is refused.
    public init(url: PostgresURL, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.url = url
        self.now = clock
        self.password = try PostgresURL.password()
        try migrate()
    }

    // MARK: - Connections and transactions

    private func checkOut() throws -> PostgresConnection {
        lock.lock()
        let connection = idle.popLast()
        lock.unlock()
        if let connection, !connection.isBroken { return connection }
        return try PostgresConnection(url: url, password: password)
    }

    private func checkIn(_ connection: PostgresConnection) {
        guard !connection.isBroken else { return }
        lock.lock()
        if idle.count < keepIdle { idle.append(connection) }
        lock.unlock()
    }

    /// Runs `body` in one transaction (READ COMMITTED, rows locked where it says so); runs it
    /// again on a retryable conflict or a lost connection, up to 5 times.
    func write<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try transaction("BEGIN", body)
    }

    /// Runs `body` on one snapshot (REPEATABLE READ, READ ONLY).
    func read<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    private func transaction<T>(_ begin: String, _ body: (PostgresConnection) throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            let connection = try checkOut()
            do {
                try connection.query(begin)
                let result = try body(connection)
                try connection.query("COMMIT")
                checkIn(connection)
                return result
            } catch let error as PostgresError where error.isRetryable && attempt < 5 {
                if !connection.isBroken { _ = try? connection.query("ROLLBACK") }
                checkIn(connection)
                if error.connectionLost {
                    // The server restarted or the network broke: the other idle connections are gone too.
                    lock.lock()
                    idle.removeAll()
                    lock.unlock()
                }
                usleep(UInt32(attempt * 20_000))
                continue
            } catch {
                if !connection.isBroken { _ = try? connection.query("ROLLBACK") }
                checkIn(connection)
                throw error
            }
        }
    }

    // MARK: - Migrations

    private func migrate() throws {
        try write { db in
            try db.query("SELECT pg_advisory_xact_lock($1)", [PostgresMigrations.lockKey])
            try db.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (identifier TEXT PRIMARY KEY, appliedAt TIMESTAMPTZ NOT NULL)")
            let applied = try db.query("SELECT identifier FROM schema_migrations ORDER BY identifier").map {
                try $0.string("identifier")
            }
            let known = Set(PostgresMigrations.all.map(\.identifier))
            let unknown = applied.filter { !known.contains($0) }
            guard unknown.isEmpty else { throw AkteError.schemaTooNew(path: url.description, unknownMigrations: unknown) }
            for migration in PostgresMigrations.all where !applied.contains(migration.identifier) {
                try db.execute(script: migration.sql)
                try db.query(
                    "INSERT INTO schema_migrations (identifier, appliedAt) VALUES ($1, $2)", [migration.identifier, now()])
            }
        }
    }

    public func appliedMigrations() throws -> [String] {
        try read { db in
            try db.query("SELECT identifier FROM schema_migrations ORDER BY identifier").map { try $0.string("identifier") }
        }
    }

    // MARK: - Audit

    /// Appends to the chain: locks its head row until this transaction ends, so that appends
    /// from every host and thread follow one another.
    func audit(
        _ db: PostgresConnection, _ action: AuditAction, actor: String, documentID: String? = nil, uploadID: String? = nil,
        details: [String: AuditDetail] = [:]
    ) throws {
        guard let head = try db.query("SELECT seq, hash FROM audit_head WHERE singleton FOR UPDATE").first else {
            throw AkteError.invalidInput("the audit chain's head row is missing from \(url); the database was altered")
        }
        let record = try AuditChain.makeRecord(
            seq: try head.int64("seq") + 1, previousHash: try head.string("hash"), action: action, actor: actor,
            documentID: documentID, uploadID: uploadID, details: details, at: now())
        try db.insert(record, into: "audit")
        try db.query("UPDATE audit_head SET seq = $1, hash = $2 WHERE singleton", [record.seq, record.hash])
    }

    public func auditTrail(documentID: String) throws -> [AuditEntry] {
        try read { db in
            try db.fetchAll(
                AuditRecord.self,
                """
                SELECT * FROM audit
                WHERE documentID = $1 OR uploadID IN (SELECT uploadID FROM receipts WHERE documentID = $1)
                ORDER BY seq
                """, [documentID]
            ).map(AuditChain.entry)
        }
    }

    public func verifyAuditChain() throws -> AuditChainReport {
        try read { db in
            var batch: [AuditRecord] = []
            var index = 0
            var lastSeq: Int64 = 0
            var exhausted = false
            func next() throws -> AuditRecord? {
                if index == batch.count {
                    guard !exhausted else { return nil }
                    batch = try db.fetchAll(
                        AuditRecord.self, "SELECT * FROM audit WHERE seq > $1 ORDER BY seq LIMIT 5000", [lastSeq])
                    index = 0
                    exhausted = batch.count < 5000
                    guard !batch.isEmpty else { return nil }
                }
                let record = batch[index]
                index += 1
                lastSeq = record.seq
                return record
            }
            return try AuditChain.verify(
                next: next,
                highestIssued: {
                    let head = try db.query("SELECT seq FROM audit_head").first.map { try $0.int64("seq") } ?? 0
                    let present = try db.query("SELECT MAX(seq) AS seq FROM audit").first?["seq"].flatMap { Int64($0) } ?? 0
                    return max(head, present)
                })
        }
    }

    /// Runs SQL on the database, bypassing the store: only for tests that play an attacker with
    /// access to the database.
    func executeRawSQL(_ sql: String) throws {
        let connection = try checkOut()
        defer { checkIn(connection) }
        try connection.execute(script: sql)
    }
}

import Foundation
import GRDB

/// The E-Akte in one SQLite file (`DATA_DIR/akte.sqlite`), in WAL mode so that caseworkers read
/// while workers file. Opening it migrates an older file; a file from a newer version is refused.
public final class SQLiteAkte: AkteStore {
    /// The database file.
    public let path: String
    let dbPool: DatabasePool
    let now: @Sendable () -> Date

    /// Opens (creating, or migrating) the E-Akte at `path`.
    public convenience init(path: String) throws {
        try self.init(path: path, clock: { Date() })
    }

    /// Opens the E-Akte with its own clock for corrections, audit entries and filing times (tests).
    public init(path: String, clock: @escaping @Sendable () -> Date) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.label = "Akte"
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        dbPool = try DatabasePool(path: path, configuration: configuration)
        self.path = path
        self.now = clock

        let migrator = AkteMigrations.migrator
        let unknown: [String] = try dbPool.read { db in
            guard try migrator.hasBeenSuperseded(db) else { return [] }
            let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
            let known = Set(migrator.migrations)
            return applied.filter { !known.contains($0) }
        }
        guard unknown.isEmpty else {
            throw AkteError.schemaTooNew(path: path, unknownMigrations: unknown)
        }
        try migrator.migrate(dbPool)
    }

    public var location: String { path }

    /// The migrations applied to this file, oldest first (`["v1", "v2"]`).
    public func appliedMigrations() throws -> [String] {
        try dbPool.read { db in try AkteMigrations.migrator.completedMigrations(db) }
    }

    /// Runs raw SQL on the file, bypassing the store. Only for tests that play an attacker with
    /// access to the file, or build an old schema by hand.
    static func executeRawSQL(_ sql: String, inDatabaseAt path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
    }

    // MARK: - Audit

    public func auditTrail(documentID: String) throws -> [AuditEntry] {
        try dbPool.read { db in
            let records = try AuditRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM audit
                    WHERE documentID = ? OR uploadID IN (SELECT uploadID FROM receipts WHERE documentID = ?)
                    ORDER BY seq
                    """,
                arguments: [documentID, documentID])
            return try records.map(AuditChain.entry)
        }
    }

    public func verifyAuditChain() throws -> AuditChainReport {
        try dbPool.read { db in try AuditChain.verify(db) }
    }

    func audit(
        _ db: Database, _ action: AuditAction, actor: String, documentID: String? = nil, uploadID: String? = nil,
        details: [String: AuditDetail] = [:]
    ) throws {
        try AuditChain.append(
            db, action: action, actor: actor, documentID: documentID, uploadID: uploadID, details: details, at: now())
    }
}

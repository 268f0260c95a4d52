import Foundation
import GRDB

/// `store migrate` on the SQLite side: the source of a move up (rows in `rowid` order, which
/// every table, the FTS5 one too, has), and a target when the move goes to another data directory.
extension SQLiteAkte: StoreExport, StoreImport {
    public func exportRows(_ table: StoreTable, after cursor: Int64, limit: Int) throws -> (rows: [StoreRow], cursor: Int64) {
        try dbPool.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT rowid AS transferCursor, \(Self.columnList(table)) FROM \(table.name) WHERE rowid > ? ORDER BY rowid LIMIT ?",
                arguments: [cursor, limit])
            let values = try rows.map { row in
                StoreRow(values: try table.columns.enumerated().map { try Self.value(row[$0.offset + 1] as DatabaseValue, $0.element, table) })
            }
            return (values, rows.last.map { $0["transferCursor"] as Int64 } ?? cursor)
        }
    }

    public func rows(_ table: StoreTable, keys: [StoreKey]) throws -> [StoreKey: StoreRow] {
        guard !keys.isEmpty else { return [:] }
        let tuple = table.key.count == 1 ? "?" : "(" + table.key.map { _ in "?" }.joined(separator: ", ") + ")"
        let keyColumns = table.key.count == 1 ? table.key[0] : "(" + table.key.joined(separator: ", ") + ")"
        let list = table.key.count == 1 ? keys.map { _ in tuple }.joined(separator: ", ") : "VALUES " + keys.map { _ in tuple }.joined(separator: ", ")
        let arguments = StatementArguments(keys.flatMap { $0.values.map(Self.databaseValue) })
        return try dbPool.read { db in
            var found: [StoreKey: StoreRow] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT \(Self.columnList(table)) FROM \(table.name) WHERE \(keyColumns) IN (\(list))", arguments: arguments)
            {
                let stored = StoreRow(values: try table.columns.enumerated().map { try Self.value(row[$0.offset] as DatabaseValue, $0.element, table) })
                found[table.key(of: stored)] = stored
            }
            return found
        }
    }

    @discardableResult
    public func insertRows(_ table: StoreTable, _ rows: [StoreRow]) throws -> Int {
        guard !rows.isEmpty else { return 0 }
        let placeholders = table.columns.map { _ in "?" }.joined(separator: ", ")
        return try dbPool.write { db in
            let statement = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO \(table.name) (\(Self.columnList(table))) VALUES (\(placeholders))")
            var inserted = 0
            for row in rows {
                try statement.execute(arguments: StatementArguments(row.values.map(Self.databaseValue)))
                inserted += db.changesCount
            }
            return inserted
        }
    }

    public func tableColumns() throws -> [String: Set<String>] {
        try dbPool.read { db in
            // The FTS5 table's shadow tables (documentText_data, …) and SQLite's and GRDB's own are bookkeeping.
            let tables = try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                    AND name NOT LIKE 'grdb_%' AND name NOT LIKE 'documentText_%'
                    """)
            var columns: [String: Set<String>] = [:]
            for table in tables {
                columns[table.lowercased()] = Set(
                    try Row.fetchAll(db, sql: "PRAGMA table_info(\(table.quotedDatabaseIdentifier))").map {
                        ($0["name"] as String).lowercased()
                    })
            }
            return columns
        }
    }

    public func referencedBlobs() throws -> [BlobReference] {
        try dbPool.read { db in
            BlobReference.distinct(
                try Row.fetchAll(db, sql: BlobReference.query).map { ($0[0] as String, $0[1] as String, $0[2] as String) })
        }
    }

    private static func columnList(_ table: StoreTable) -> String {
        table.columns.map(\.name).joined(separator: ", ")
    }

    /// A stored value as both backends agree on it; a value of another kind than its column's is
    /// refused (the file was written by something else than Posteingang).
    private static func value(_ stored: DatabaseValue, _ column: StoreTable.Column, _ table: StoreTable) throws -> StoreValue {
        if stored.isNull { return .null }
        let converted: StoreValue?
        switch column.kind {
        case .text: converted = String.fromDatabaseValue(stored).map(StoreValue.text)
        case .integer: converted = Int64.fromDatabaseValue(stored).map(StoreValue.integer)
        case .real: converted = Double.fromDatabaseValue(stored).map(StoreValue.real)
        case .flag: converted = Bool.fromDatabaseValue(stored).map(StoreValue.flag)
        case .time: converted = Date.fromDatabaseValue(stored).map { StoreValue($0) }
        }
        guard let converted else {
            throw AkteError.invalidInput("\(table.name).\(column.name) holds \(stored), which is not a \(column.kind) value")
        }
        return converted
    }

    private static func databaseValue(_ value: StoreValue) -> DatabaseValue {
        switch value {
        case .null: return .null
        case .text(let text): return text.databaseValue
        case .integer(let number): return number.databaseValue
        case .real(let number): return number.databaseValue
        case .flag(let flag): return flag.databaseValue
        // GRDB's own format for a Date (UTC, milliseconds), written from the exact milliseconds.
        case .time: return value.utcText!.databaseValue
        }
    }
}

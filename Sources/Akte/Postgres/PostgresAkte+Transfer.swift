import Foundation

/// `store migrate` on the PostgreSQL side: the target of a move up. Copied rows keep their keys
/// and numbers; the sequences of numbered keys move past them, and the audit chain's head row
/// to the last copied entry, in the transaction that inserts them (the head is locked first, as
/// every append does).
extension PostgresAkte: StoreImport {
    public func rows(_ table: StoreTable, keys: [StoreKey]) throws -> [StoreKey: StoreRow] {
        guard !keys.isEmpty else { return [:] }
        let keyKinds = table.keyIndices.map { table.columns[$0].kind }
        var parameters: [any PostgresParameter] = []
        var tuples: [String] = []
        for key in keys {
            var placeholders: [String] = []
            for (value, kind) in zip(key.values, keyKinds) {
                parameters.append(Self.parameter(value))
                placeholders.append("$\(parameters.count)::\(Self.type(kind))")
            }
            tuples.append("(" + placeholders.joined(separator: ", ") + ")")
        }
        return try read { db in
            var found: [StoreKey: StoreRow] = [:]
            for row in try db.query(
                "SELECT \(Self.columnList(table)) FROM \(table.name) WHERE (\(table.key.joined(separator: ", "))) IN (\(tuples.joined(separator: ", ")))",
                parameters)
            {
                let stored = StoreRow(values: try table.columns.map { try Self.value(row, $0, table) })
                found[table.key(of: stored)] = stored
            }
            return found
        }
    }

    @discardableResult
    public func insertRows(_ table: StoreTable, _ rows: [StoreRow]) throws -> Int {
        guard !rows.isEmpty else { return 0 }
        var parameters: [any PostgresParameter] = []
        var tuples: [String] = []
        for row in rows {
            var placeholders: [String] = []
            for (value, column) in zip(row.values, table.columns) {
                parameters.append(Self.parameter(value))
                placeholders.append("$\(parameters.count)::\(Self.type(column.kind))")
            }
            tuples.append("(" + placeholders.joined(separator: ", ") + ")")
        }
        let isAudit = table.name == StoreTables.audit.name
        return try write { db in
            // Appenders on other hosts wait for this transaction, as they wait for each other.
            if isAudit { try db.query("SELECT seq FROM audit_head WHERE singleton FOR UPDATE") }
            let inserted = try db.query(
                "INSERT INTO \(table.name) (\(Self.columnList(table))) VALUES \(tuples.joined(separator: ", ")) ON CONFLICT DO NOTHING RETURNING 1 AS inserted",
                parameters
            ).count
            if table.numberedKey, let key = table.key.first {
                try db.query(
                    "SELECT setval(pg_get_serial_sequence($1, $2), m) FROM (SELECT MAX(\(key)) AS m FROM \(table.name)) AS highest WHERE m IS NOT NULL",
                    [table.name.lowercased(), key.lowercased()])
            }
            if isAudit {
                try db.query(
                    """
                    UPDATE audit_head SET seq = last.seq, hash = last.hash
                    FROM (SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1) AS last
                    WHERE audit_head.singleton AND last.seq > audit_head.seq
                    """)
            }
            return inserted
        }
    }

    public func tableColumns() throws -> [String: Set<String>] {
        try read { db in
            var columns: [String: Set<String>] = [:]
            for row in try db.query(
                """
                SELECT table_name, column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name NOT IN ('schema_migrations', 'audit_head', 'jobs')
                """)
            {
                columns[try row.string("table_name").lowercased(), default: []].insert(try row.string("column_name").lowercased())
            }
            // The search words are computed from the text by PostgreSQL itself.
            columns["documenttext"]?.remove("words")
            return columns
        }
    }

    public func referencedBlobs() throws -> [BlobReference] {
        try read { db in
            BlobReference.distinct(
                try db.query(BlobReference.query).map { (try $0.string("sha256"), try $0.string("role"), try $0.string("owner")) })
        }
    }

    private static func columnList(_ table: StoreTable) -> String {
        table.columns.map(\.name).joined(separator: ", ")
    }

    private static func type(_ kind: StoreTable.Kind) -> String {
        switch kind {
        case .text: return "text"
        case .integer: return "bigint"
        case .real: return "double precision"
        case .flag: return "boolean"
        case .time: return "timestamptz"
        }
    }

    private static func parameter(_ value: StoreValue) -> any PostgresParameter {
        switch value {
        case .null: return String?.none
        case .text(let text): return text
        case .integer(let number): return number
        case .real(let number): return number
        case .flag(let flag): return flag
        case .time: return value.utcText! + "+00"
        }
    }

    private static func value(_ row: PostgresRow, _ column: StoreTable.Column, _ table: StoreTable) throws -> StoreValue {
        guard let text = row[column.name] else { return .null }
        let converted: StoreValue?
        switch column.kind {
        case .text: converted = .text(text)
        case .integer: converted = Int64(text).map(StoreValue.integer)
        case .real: converted = Double(text).map(StoreValue.real)
        case .flag: converted = text == "t" ? .flag(true) : text == "f" ? .flag(false) : nil
        case .time: converted = PostgresTime.date(text).map { StoreValue($0) }
        }
        guard let converted else {
            throw AkteError.invalidInput("\(table.name).\(column.name) holds '\(text)', which is not a \(column.kind) value")
        }
        return converted
    }
}

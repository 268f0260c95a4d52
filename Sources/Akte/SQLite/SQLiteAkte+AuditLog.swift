import Foundation
import GRDB

/// Reading the audit trail: `posteingang audit log` and the data-protection page.
extension SQLiteAkte {
    /// The entries that pass `filter`, oldest first (of the newest `filter.limit`).
    public func auditLog(_ filter: AuditLogFilter) throws -> [AuditEntry] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let caseID = filter.caseID {
            conditions.append(
                """
                (documentID IN (SELECT id FROM documents WHERE caseID = ? OR effectiveCaseID = ?)
                 OR uploadID IN (SELECT uploadID FROM receipts WHERE documentID IN
                    (SELECT id FROM documents WHERE caseID = ? OR effectiveCaseID = ?))
                 OR uploadID IN (SELECT uploadID FROM uploadParts WHERE documentID IN
                    (SELECT id FROM documents WHERE caseID = ? OR effectiveCaseID = ?)))
                """)
            arguments += [caseID, caseID, caseID, caseID, caseID, caseID]
        }
        if let actor = filter.actor {
            conditions.append("actor = ?")
            arguments += [actor]
        }
        if let since = filter.since {
            // `at` is ISO 8601 in UTC with milliseconds: text order is time order.
            conditions.append("at >= ?")
            arguments += [since.formatted(AuditChain.timestampStyle)]
        }
        if !filter.actions.isEmpty {
            conditions.append("action IN (\(filter.actions.map { _ in "?" }.joined(separator: ", ")))")
            for action in filter.actions { arguments += [action.rawValue] }
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try dbPool.read { db in
            let records = try AuditRecord.fetchAll(
                db,
                sql: "SELECT * FROM (SELECT * FROM audit \(whereClause) ORDER BY seq DESC LIMIT \(max(0, filter.limit))) ORDER BY seq",
                arguments: arguments)
            return try records.map(AuditChain.entry)
        }
    }
}

extension SQLiteAkte {
    /// Audits that `actor` read the access log of a household (`access_log_read`).
    public func recordAccessLogRead(caseID: String, by actor: String) throws {
        try dbPool.write { db in
            try audit(db, .accessLogRead, actor: actor, details: ["case": .text(caseID)])
        }
    }

    /// The summaries of these documents by id (unknown ids left out); not a view, not audited.
    public func documentSummaries(ids: Set<String>) throws -> [String: DocumentSummary] {
        guard !ids.isEmpty else { return [:] }
        return try dbPool.read { db in
            let records = try DocumentRecord.filter(ids.contains(Column("id"))).fetchAll(db)
            return Dictionary(records.map { ($0.id, $0.summary) }, uniquingKeysWith: { first, _ in first })
        }
    }
}

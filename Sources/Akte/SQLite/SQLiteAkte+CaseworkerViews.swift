import Foundation
import GRDB

/// Queries for the caseworkers' pages: they leave out health data unless asked, and audit
/// every view of a document's content.
extension SQLiteAkte {

    /// One page of the inbox in the filter's order (documents without a case first), with each
    /// document's fields as they hold now.
    public func caseworkerInbox(_ filter: InboxFilter) throws -> [CaseworkerListEntry] {
        let (whereClause, arguments) = Self.inboxConditions(filter)
        let order: String
        switch filter.order {
        case .newest: order = "receivedAt DESC, id"
        case .oldest: order = "receivedAt, id"
        case .leastSure: order = "classConfidence, receivedAt DESC, id"
        case .documentClass: order = "effectiveClass, receivedAt DESC, id"
        }
        return try listEntries(
            sql: """
                SELECT * FROM documents \(whereClause)
                ORDER BY (effectiveCaseID IS NULL) DESC, \(order) LIMIT \(max(0, filter.limit)) OFFSET \(max(0, filter.offset))
                """,
            arguments: arguments)
    }

    /// How many documents the filter lets through (all pages together).
    public func caseworkerInboxCount(_ filter: InboxFilter) throws -> Int {
        let (whereClause, arguments) = Self.inboxConditions(filter)
        return try dbPool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM documents \(whereClause)", arguments: arguments) ?? 0
        }
    }

    /// Documents waiting for review that this caseworker may see (the navigation's counter).
    public func caseworkerReviewCount(includeHealthData: Bool) throws -> Int {
        let restriction = includeHealthData ? "" : "AND NOT \(AkteRules.healthDataCondition)"
        return try dbPool.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM documents WHERE effectiveStatus = ? \(restriction)",
                arguments: [DocumentStatus.needsReview.rawValue]) ?? 0
        }
    }

    private static func inboxConditions(_ filter: InboxFilter) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let documentClass = filter.documentClass {
            conditions.append("documents.effectiveClass = ?")
            arguments += [documentClass]
        }
        if let caseID = filter.caseID {
            conditions.append("documents.effectiveCaseID = ?")
            arguments += [caseID]
        }
        if let status = filter.status {
            conditions.append("documents.effectiveStatus = ?")
            arguments += [status.rawValue]
        }
        if let from = filter.receivedFrom {
            conditions.append("documents.receivedAt >= ?")
            arguments += [from]
        }
        if let before = filter.receivedBefore {
            conditions.append("documents.receivedAt < ?")
            arguments += [before]
        }
        if !filter.includeHealthData { conditions.append("NOT \(AkteRules.healthDataCondition)") }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return (whereClause, arguments)
    }

    /// The review queue, oldest first, health data only for those who may open it.
    public func caseworkerReviewQueue(includeHealthData: Bool) throws -> [CaseworkerListEntry] {
        let restriction = includeHealthData ? "" : "AND NOT \(AkteRules.healthDataCondition)"
        return try listEntries(
            sql: "SELECT * FROM documents WHERE effectiveStatus = ? \(restriction) ORDER BY receivedAt, id",
            arguments: [DocumentStatus.needsReview.rawValue])
    }

    /// Full-text search without health data unless the caseworker may open it; `complete` is
    /// false when the search stopped at `searchLimit` hits (more would have matched).
    public func caseworkerSearch(_ text: String, includeHealthData: Bool) throws -> (hits: [SearchHit], complete: Bool) {
        let all = try search(text, cases: nil)
        let hits = all.filter { hit in
            includeHealthData || !(hit.document.sensitive || HealthData.classes.contains(hit.document.documentClass))
        }
        return (hits, all.count < Self.searchLimit)
    }

    /// Whether and what of a document may be shown; not a view, so not audited.
    public func documentAccess(id: String) throws -> DocumentAccess {
        try dbPool.read { db in
            let record = try Self.fetchDocument(id, db)
            return DocumentAccess(
                id: record.id, sha256: record.sha256, format: record.format, originalFilename: record.originalFilename,
                pageCount: record.pageCount, archivePDFSha256: record.archivePDFSha256,
                isHealthData: record.sensitive || HealthData.classes.contains(record.documentClass)
                    || HealthData.classes.contains(record.effectiveClass))
        }
    }

    /// Audits a view of part of a document (`what`: `original`, `pdf`, `page_image`, `thumbnail`).
    public func recordView(documentID: String, by viewer: String, what: String) throws {
        try dbPool.write { db in
            _ = try Self.fetchDocument(documentID, db)
            try audit(db, .viewed, actor: viewer, documentID: documentID, details: ["what": .text(what)])
        }
    }

    /// Audits a refused view (health data to someone without the role).
    public func recordAccessDenied(documentID: String, by viewer: String, what: String, reason: String) throws {
        try dbPool.write { db in
            _ = try Self.fetchDocument(documentID, db)
            try audit(
                db, .accessDenied, actor: viewer, documentID: documentID,
                details: ["what": .text(what), "reason": .text(reason)])
        }
    }

    /// SQL that is true for health-data rows of `documents` (for other files of the store).
    static var healthDataSQL: String { AkteRules.healthDataCondition }

    /// List entries of these documents (any order).
    func caseworkerEntries(ids: [String]) throws -> [CaseworkerListEntry] {
        guard !ids.isEmpty else { return [] }
        return try listEntries(
            sql: "SELECT * FROM documents WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ", ")))",
            arguments: StatementArguments(ids))
    }

    private func listEntries(sql: String, arguments: StatementArguments) throws -> [CaseworkerListEntry] {
        try dbPool.read { db in
            let records = try DocumentRecord.fetchAll(db, sql: sql, arguments: arguments)
            guard !records.isEmpty else { return [] }
            let ids = records.map(\.id)
            let fields = try FieldRecord.filter(ids.contains(FieldRecord.Columns.documentID))
                .order(FieldRecord.Columns.key).fetchAll(db)
            let corrections = try CorrectionRecord.filter(ids.contains(CorrectionRecord.Columns.documentID))
                .filter(CorrectionRecord.Columns.kind == CorrectionKind.field.rawValue)
                .order(CorrectionRecord.Columns.id).fetchAll(db).map(\.correction)
            let fieldsByDocument = Dictionary(grouping: fields, by: \.documentID)
            let correctionsByDocument = Dictionary(grouping: corrections, by: \.documentID)
            return records.map { record in
                CaseworkerListEntry(
                    summary: record.summary,
                    fields: AkteRules.effectiveFields(
                        machine: fieldsByDocument[record.id] ?? [], corrections: correctionsByDocument[record.id] ?? []),
                    detailsJSON: record.detailsJSON)
            }
        }
    }
}

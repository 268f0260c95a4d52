import Foundation

/// The caseworkers' pages' reads and the audit log; as on the SQLite side.
extension PostgresAkte {
    public func caseworkerInbox(_ filter: InboxFilter) throws -> [CaseworkerListEntry] {
        let (whereClause, parameters) = Self.inboxConditions(filter)
        let order: String
        switch filter.order {
        case .newest: order = "receivedAt DESC, id"
        case .oldest: order = "receivedAt, id"
        case .leastSure: order = "classConfidence, receivedAt DESC, id"
        case .documentClass: order = "effectiveClass COLLATE \"C\", receivedAt DESC, id"
        }
        return try listEntries(
            sql: """
                SELECT * FROM documents \(whereClause)
                ORDER BY (effectiveCaseID IS NULL) DESC, \(order) LIMIT \(max(0, filter.limit)) OFFSET \(max(0, filter.offset))
                """, parameters)
    }

    public func caseworkerInboxCount(_ filter: InboxFilter) throws -> Int {
        let (whereClause, parameters) = Self.inboxConditions(filter)
        return try read { db in try db.query("SELECT COUNT(*) AS n FROM documents \(whereClause)", parameters).first?.int("n") ?? 0 }
    }

    public func caseworkerReviewCount(includeHealthData: Bool) throws -> Int {
        let restriction = includeHealthData ? "" : "AND NOT \(AkteRules.healthDataCondition)"
        return try read { db in
            try db.query(
                "SELECT COUNT(*) AS n FROM documents WHERE effectiveStatus = $1 \(restriction)", [DocumentStatus.needsReview.rawValue]
            ).first?.int("n") ?? 0
        }
    }

    private static func inboxConditions(_ filter: InboxFilter) -> (String, [any PostgresParameter]) {
        var conditions: [String] = []
        var parameters: [any PostgresParameter] = []
        func add(_ condition: String, _ value: any PostgresParameter) {
            parameters.append(value)
            conditions.append(condition.replacingOccurrences(of: "?", with: "$\(parameters.count)"))
        }
        if let documentClass = filter.documentClass { add("documents.effectiveClass = ?", documentClass) }
        if let caseID = filter.caseID { add("documents.effectiveCaseID = ?", caseID) }
        if let status = filter.status { add("documents.effectiveStatus = ?", status.rawValue) }
        if let from = filter.receivedFrom { add("documents.receivedAt >= ?", from) }
        if let before = filter.receivedBefore { add("documents.receivedAt < ?", before) }
        if !filter.includeHealthData { conditions.append("NOT \(AkteRules.healthDataCondition)") }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), parameters)
    }

    public func caseworkerReviewQueue(includeHealthData: Bool) throws -> [CaseworkerListEntry] {
        let restriction = includeHealthData ? "" : "AND NOT \(AkteRules.healthDataCondition)"
        return try listEntries(
            sql: "SELECT * FROM documents WHERE effectiveStatus = $1 \(restriction) ORDER BY receivedAt, id",
            [DocumentStatus.needsReview.rawValue])
    }

    public func caseworkerSearch(_ text: String, includeHealthData: Bool) throws -> (hits: [SearchHit], complete: Bool) {
        let all = try search(text, cases: nil)
        let hits = all.filter { hit in
            includeHealthData || !(hit.document.sensitive || HealthData.classes.contains(hit.document.documentClass))
        }
        return (hits, all.count < SearchHit.limit)
    }

    public func documentAccess(id: String) throws -> DocumentAccess {
        try read { db in
            let record = try Self.fetchDocument(id, db)
            return DocumentAccess(
                id: record.id, sha256: record.sha256, format: record.format, originalFilename: record.originalFilename,
                pageCount: record.pageCount, archivePDFSha256: record.archivePDFSha256,
                isHealthData: record.sensitive || HealthData.classes.contains(record.documentClass)
                    || HealthData.classes.contains(record.effectiveClass))
        }
    }

    public func recordView(documentID: String, by viewer: String, what: String) throws {
        try write { db in
            _ = try Self.fetchDocument(documentID, db)
            try audit(db, .viewed, actor: viewer, documentID: documentID, details: ["what": .text(what)])
        }
    }

    public func recordAccessDenied(documentID: String, by viewer: String, what: String, reason: String) throws {
        try write { db in
            _ = try Self.fetchDocument(documentID, db)
            try audit(db, .accessDenied, actor: viewer, documentID: documentID, details: ["what": .text(what), "reason": .text(reason)])
        }
    }

    func caseworkerEntries(ids: [String]) throws -> [CaseworkerListEntry] {
        guard !ids.isEmpty else { return [] }
        return try listEntries(sql: "SELECT * FROM documents WHERE id = ANY($1::text[])", [Self.textArray(ids)])
    }

    private func listEntries(sql: String, _ parameters: [any PostgresParameter]) throws -> [CaseworkerListEntry] {
        try read { db in
            let records = try db.fetchAll(DocumentRecord.self, sql, parameters)
            guard !records.isEmpty else { return [] }
            let ids = Self.textArray(records.map(\.id))
            let fields = try db.fetchAll(
                FieldRecord.self, "SELECT * FROM fields WHERE documentID = ANY($1::text[]) ORDER BY key COLLATE \"C\"", [ids])
            let corrections = try db.fetchAll(
                CorrectionRecord.self, "SELECT * FROM corrections WHERE documentID = ANY($1::text[]) AND kind = $2 ORDER BY id",
                [ids, CorrectionKind.field.rawValue]
            ).map(\.correction)
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

    // MARK: - Audit log

    public func auditLog(_ filter: AuditLogFilter) throws -> [AuditEntry] {
        var conditions: [String] = []
        var parameters: [any PostgresParameter] = []
        func parameter(_ value: any PostgresParameter) -> String {
            parameters.append(value)
            return "$\(parameters.count)"
        }
        if let caseID = filter.caseID {
            let p = parameter(caseID)
            conditions.append(
                """
                (documentID IN (SELECT id FROM documents WHERE caseID = \(p) OR effectiveCaseID = \(p))
                 OR uploadID IN (SELECT uploadID FROM receipts WHERE documentID IN
                    (SELECT id FROM documents WHERE caseID = \(p) OR effectiveCaseID = \(p)))
                 OR uploadID IN (SELECT uploadID FROM uploadParts WHERE documentID IN
                    (SELECT id FROM documents WHERE caseID = \(p) OR effectiveCaseID = \(p))))
                """)
        }
        if let actor = filter.actor { conditions.append("actor = \(parameter(actor))") }
        if let since = filter.since {
            // `at` is ISO 8601 in UTC with milliseconds: byte order is time order.
            conditions.append("at COLLATE \"C\" >= \(parameter(since.formatted(AuditChain.timestampStyle)))")
        }
        if !filter.actions.isEmpty {
            conditions.append("action = ANY(\(parameter(Self.textArray(filter.actions.map(\.rawValue))))::text[])")
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try read { db in
            try db.fetchAll(
                AuditRecord.self,
                "SELECT * FROM (SELECT * FROM audit \(whereClause) ORDER BY seq DESC LIMIT \(max(0, filter.limit))) AS newest ORDER BY seq",
                parameters
            ).map(AuditChain.entry)
        }
    }

    public func recordAccessLogRead(caseID: String, by actor: String) throws {
        try write { db in try audit(db, .accessLogRead, actor: actor, details: ["case": .text(caseID)]) }
    }
}

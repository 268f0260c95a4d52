import Foundation

/// Reads and search over filed documents; the same rules as the SQLite side.
extension PostgresAkte {
    public func inbox(since: Date?, caseID: String?, limit: Int) throws -> [DocumentSummary] {
        try read { db in
            try db.fetchAll(
                DocumentRecord.self,
                """
                SELECT * FROM documents
                WHERE ($1::timestamptz IS NULL OR receivedAt >= $1::timestamptz) AND ($2::text IS NULL OR effectiveCaseID = $2::text)
                ORDER BY receivedAt DESC, id LIMIT $3
                """, [since, caseID, max(0, limit)]
            ).map(\.summary)
        }
    }

    public func reviewQueue() throws -> [DocumentSummary] {
        try read { db in
            try db.fetchAll(
                DocumentRecord.self, "SELECT * FROM documents WHERE effectiveStatus = $1 ORDER BY receivedAt, id",
                [DocumentStatus.needsReview.rawValue]
            ).map(\.summary)
        }
    }

    public func documents(inCase bgNummer: String) throws -> [DocumentSummary] {
        try read { db in
            try db.fetchAll(
                DocumentRecord.self, "SELECT * FROM documents WHERE effectiveCaseID = $1 ORDER BY receivedAt DESC, id",
                [bgNummer]
            ).map(\.summary)
        }
    }

    public func document(id: String, viewer: String) throws -> FiledDocument {
        try write { db in
            let record = try Self.fetchDocument(id, db)
            let pages = try db.fetchAll(PageRecord.self, "SELECT * FROM pages WHERE documentID = $1 ORDER BY number", [id])
            let machineFields = try db.fetchAll(
                FieldRecord.self, "SELECT * FROM fields WHERE documentID = $1 ORDER BY key COLLATE \"C\"", [id])
            let receipts = try db.fetchAll(
                ReceiptRecord.self, "SELECT * FROM receipts WHERE documentID = $1 ORDER BY receivedAt, uploadID", [id])
            let corrections = try db.fetchAll(
                CorrectionRecord.self, "SELECT * FROM corrections WHERE documentID = $1 ORDER BY id", [id]
            ).map(\.correction)
            try audit(db, .viewed, actor: viewer, documentID: id)
            return record.filed(
                pages: pages, machineFields: machineFields,
                receipts: receipts.map(\.receipt) + (try Self.partReceipts(documentID: id, db)), corrections: corrections)
        }
    }

    /// Full-text search in PostgreSQL's `german` configuration (stemmed: `Mietvertrags` finds
    /// `Mietvertrag`), best rank first; the snippet marks hits with `[` `]` as FTS5's does.
    public func search(_ text: String, cases: Set<String>?) throws -> [SearchHit] {
        let chunks = SearchQuery(text).postgresChunks
        guard !chunks.isEmpty else { return [] }
        if let cases, cases.isEmpty { return [] }
        return try read { db in
            var parameters: [any PostgresParameter] = chunks.map(\.query)
            let query = chunks.enumerated().map { index, chunk in
                "\(chunk.isPrefix ? "to_tsquery" : "phraseto_tsquery")('posteingang_german', $\(index + 1))"
            }.joined(separator: " && ")
            var caseCondition = ""
            if let cases {
                parameters.append(Self.textArray(cases.sorted()))
                caseCondition = "AND documents.effectiveCaseID = ANY($\(parameters.count)::text[])"
            }
            return try db.query(
                """
                SELECT documents.*, ts_headline('posteingang_german', documentText.text, q,
                    'StartSel=[, StopSel=], MaxWords=24, MinWords=8, MaxFragments=1, FragmentDelimiter=…') AS searchSnippet
                FROM documentText JOIN documents ON documents.id = documentText.documentID,
                    (SELECT \(query) AS q) AS search
                WHERE documentText.words @@ q \(caseCondition)
                ORDER BY ts_rank(documentText.words, q) DESC, documents.receivedAt DESC
                LIMIT \(SearchHit.limit)
                """, parameters
            ).map { row in
                SearchHit(document: try row.decode(DocumentRecord.self).summary, snippet: row["searchSnippet"] ?? "")
            }
        }
    }

    /// A `text[]` literal (`{"a","b"}`) for `= ANY($n::text[])`.
    static func textArray(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }

    public func recordExport(documentID: String, by actor: String) throws {
        try write { db in
            _ = try Self.fetchDocument(documentID, db)
            try audit(db, .exported, actor: actor, documentID: documentID)
        }
    }

    public func documentSummaries(ids: Set<String>) throws -> [String: DocumentSummary] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            let records = try db.fetchAll(
                DocumentRecord.self, "SELECT * FROM documents WHERE id = ANY($1::text[])", [Self.textArray(ids.sorted())])
            return Dictionary(records.map { ($0.id, $0.summary) }, uniquingKeysWith: { first, _ in first })
        }
    }
}

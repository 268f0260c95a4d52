import Foundation
import GRDB

extension SQLiteAkte {
    public func inbox(since: Date?, caseID: String?, limit: Int) throws -> [DocumentSummary] {
        try dbPool.read { db in
            var request = DocumentRecord.all()
            if let since { request = request.filter(DocumentRecord.Columns.receivedAt >= since) }
            if let caseID { request = request.filter(DocumentRecord.Columns.effectiveCaseID == caseID) }
            return
                try request
                .order(DocumentRecord.Columns.receivedAt.desc, DocumentRecord.Columns.id)
                .limit(max(0, limit))
                .fetchAll(db)
                .map(\.summary)
        }
    }

    public func reviewQueue() throws -> [DocumentSummary] {
        try dbPool.read { db in
            try DocumentRecord
                .filter(DocumentRecord.Columns.effectiveStatus == DocumentStatus.needsReview.rawValue)
                .order(DocumentRecord.Columns.receivedAt, DocumentRecord.Columns.id)
                .fetchAll(db)
                .map(\.summary)
        }
    }

    public func documents(inCase bgNummer: String) throws -> [DocumentSummary] {
        try dbPool.read { db in
            try DocumentRecord
                .filter(DocumentRecord.Columns.effectiveCaseID == bgNummer)
                .order(DocumentRecord.Columns.receivedAt.desc, DocumentRecord.Columns.id)
                .fetchAll(db)
                .map(\.summary)
        }
    }

    public func document(id: String, viewer: String) throws -> FiledDocument {
        try dbPool.write { db in
            let record = try Self.fetchDocument(id, db)
            let pages =
                try PageRecord
                .filter(PageRecord.Columns.documentID == id)
                .order(PageRecord.Columns.number)
                .fetchAll(db)
            let machineFields =
                try FieldRecord
                .filter(FieldRecord.Columns.documentID == id)
                .order(FieldRecord.Columns.key)
                .fetchAll(db)
            let receipts =
                try ReceiptRecord
                .filter(ReceiptRecord.Columns.documentID == id)
                .order(ReceiptRecord.Columns.receivedAt, ReceiptRecord.Columns.uploadID)
                .fetchAll(db)
            let corrections =
                try CorrectionRecord
                .filter(CorrectionRecord.Columns.documentID == id)
                .order(CorrectionRecord.Columns.id)
                .fetchAll(db)
                .map(\.correction)
            try audit(db, .viewed, actor: viewer, documentID: id)
            return record.filed(
                pages: pages, machineFields: machineFields,
                receipts: receipts.map(\.receipt) + (try Self.partReceipts(documentID: id, db)), corrections: corrections)
        }
    }

    static let searchLimit = SearchHit.limit

    public func search(_ text: String, cases: Set<String>?) throws -> [SearchHit] {
        guard let match = SearchQuery(text).matchExpression else { return [] }
        if let cases, cases.isEmpty { return [] }
        return try dbPool.read { db in
            var sql = """
                SELECT documents.*, snippet(documentText, 1, '[', ']', '…', 12) AS searchSnippet
                FROM documentText
                JOIN documents ON documents.id = documentText.documentID
                WHERE documentText MATCH ?
                """
            var arguments: StatementArguments = [match]
            if let cases {
                let ordered = cases.sorted()
                sql += " AND documents.effectiveCaseID IN (\(ordered.map { _ in "?" }.joined(separator: ", ")))"
                arguments += StatementArguments(ordered)
            }
            sql += " ORDER BY bm25(documentText), documents.receivedAt DESC LIMIT \(Self.searchLimit)"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                SearchHit(document: try DocumentRecord(row: row).summary, snippet: row["searchSnippet"] ?? "")
            }
        }
    }

    public func recordExport(documentID: String, by actor: String) throws {
        try dbPool.write { db in
            _ = try Self.fetchDocument(documentID, db)
            try audit(db, .exported, actor: actor, documentID: documentID)
        }
    }
}

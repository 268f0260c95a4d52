import Foundation
import GRDB

struct DocumentRequestRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "documentRequests"
    var id: Int64?
    var bgNummer: String
    var documentClass: String
    var periodFrom: String?
    var periodTo: String?
    var dueDate: String
    var note: String
    var requestedBy: String
    var requestedAt: Date
    var closedAt: Date?
    var closedBy: String?
    var closeNote: String?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let bgNummer = Column(CodingKeys.bgNummer)
        static let closedAt = Column(CodingKeys.closedAt)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    var request: DocumentRequest {
        var period: RequestedPeriod?
        if let periodFrom, let periodTo { period = RequestedPeriod(from: periodFrom, to: periodTo) }
        var closing: RequestClosing?
        if let closedAt { closing = RequestClosing(closedBy: closedBy ?? "", closedAt: closedAt, note: closeNote ?? "") }
        return DocumentRequest(
            id: id ?? 0, bgNummer: bgNummer, documentClass: documentClass, period: period, dueDate: dueDate, note: note,
            requestedBy: requestedBy, requestedAt: requestedAt, closing: closing)
    }
}

/// Requested documents: recorded and taken back by caseworkers, both audited.
extension SQLiteAkte {
    /// The store's clock: "today" for due dates is read from it, so that tests can set it.
    public func currentDate() -> Date { now() }

    /// Records that `request.documentClass` was asked for; audited as `request_added`.
    @discardableResult
    public func addRequest(_ request: NewDocumentRequest, by actor: String) throws -> DocumentRequest {
        try AkteRules.checkRequest(request)
        let note = request.note.trimmingCharacters(in: .whitespacesAndNewlines)
        return try dbPool.write { db in
            guard try HouseholdRecord.exists(db, key: request.bgNummer) else { throw AkteError.unknownCase(request.bgNummer) }
            var record = DocumentRequestRecord(
                id: nil, bgNummer: request.bgNummer, documentClass: request.documentClass, periodFrom: request.period?.from,
                periodTo: request.period?.to, dueDate: request.dueDate, note: note, requestedBy: actor, requestedAt: now())
            try record.insert(db)
            try audit(db, .requestAdded, actor: actor, details: AkteRules.requestAddedDetails(request, id: record.id ?? 0, note: note))
            return record.request
        }
    }

    /// Takes a request back with a note; audited as `request_closed`. Closing a closed one is refused.
    @discardableResult
    public func closeRequest(id: Int64, note: String, by actor: String) throws -> DocumentRequest {
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw AkteError.invalidInput("closing a request needs a note (why it is no longer needed)") }
        return try dbPool.write { db in
            guard var record = try DocumentRequestRecord.fetchOne(db, key: id) else { throw AkteError.unknownRequest(id) }
            guard record.closedAt == nil else {
                throw AkteError.invalidInput("request \(id) was already closed by \(record.closedBy ?? "someone")")
            }
            record.closedAt = now()
            record.closedBy = actor
            record.closeNote = note
            try record.update(db)
            try audit(
                db, .requestClosed, actor: actor,
                details: [
                    "case": .text(record.bgNummer), "request": .text(String(id)), "class": .text(record.documentClass),
                    "note": .text(note),
                ])
            return record.request
        }
    }

    /// One request, closed or not.
    public func request(id: Int64) throws -> DocumentRequest {
        try dbPool.read { db in
            guard let record = try DocumentRequestRecord.fetchOne(db, key: id) else { throw AkteError.unknownRequest(id) }
            return record.request
        }
    }

    /// A household's requests in the order they were recorded; closed ones only when asked.
    public func requests(inCase bgNummer: String, includeClosed: Bool) throws -> [DocumentRequest] {
        try dbPool.read { db in
            var query = DocumentRequestRecord.filter(DocumentRequestRecord.Columns.bgNummer == bgNummer)
            if !includeClosed { query = query.filter(DocumentRequestRecord.Columns.closedAt == nil) }
            return try query.order(DocumentRequestRecord.Columns.id).fetchAll(db).map(\.request)
        }
    }

    /// The households that have requests (not taken back, unless `includeClosed`), sorted.
    public func casesWithRequests(includeClosed: Bool) throws -> [String] {
        try dbPool.read { db in
            try String.fetchAll(
                db,
                sql: "SELECT DISTINCT bgNummer FROM documentRequests \(includeClosed ? "" : "WHERE closedAt IS NULL") ORDER BY bgNummer")
        }
    }

}

extension SQLiteAkte {
    /// The audit entries of one request (added, closed), oldest first.
    public func auditTrail(requestID: Int64) throws -> [AuditEntry] {
        try dbPool.read { db in
            let records = try AuditRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM audit WHERE action IN (?, ?) AND json_extract(details, '$.request') = ? ORDER BY seq
                    """,
                arguments: [AuditAction.requestAdded.rawValue, AuditAction.requestClosed.rawValue, String(requestID)])
            return try records.map(AuditChain.entry)
        }
    }
}

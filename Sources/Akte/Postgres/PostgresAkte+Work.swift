import Foundation

/// A document's work and the households' requested documents; as on the SQLite side.
extension PostgresAkte {
    public func documentWork(id: String) throws -> DocumentWork {
        try read { db in
            _ = try Self.fetchDocument(id, db)
            return try Self.work(id, db)
        }
    }

    public func documentWork(ids: Set<String>) throws -> [String: DocumentWork] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            let rows = try db.query("SELECT * FROM documentWork WHERE documentID = ANY($1::text[])", [Self.textArray(ids.sorted())])
            return Dictionary(
                try rows.map { row in
                    let work = DocumentWork(
                        documentID: try row.string("documentID"), state: WorkState(rawValue: try row.string("state")) ?? .new,
                        assignee: row["assignee"], followUp: row["followUp"], notes: [], updatedAt: try row.optionalDate("updatedAt"),
                        updatedBy: row["updatedBy"])
                    return (work.documentID, work)
                }, uniquingKeysWith: { first, _ in first })
        }
    }

    public func setWorkState(documentID: String, to state: WorkState, by actor: String) throws {
        try changeWork(documentID, by: actor) { work in
            guard work.state != state else { return nil }
            let before = work.state
            work.state = state
            return (.workStateChanged, ["from": .text(before.rawValue), "to": .text(state.rawValue)])
        }
    }

    public func assignWork(documentID: String, to assignee: String?, by actor: String) throws {
        let target = try AkteRules.checkedAssignee(assignee) { try caseworker($0) != nil }
        try changeWork(documentID, by: actor) { work in
            guard work.assignee != target else { return nil }
            let before = work.assignee
            work.assignee = target
            if target != nil, work.state == .new { work.state = .inProgress }
            return (.workAssigned, ["from": AuditDetail(before), "to": AuditDetail(target), "state": .text(work.state.rawValue)])
        }
    }

    public func setFollowUp(documentID: String, day: String?, by actor: String) throws {
        if let day { try AkteRules.checkFollowUpDay(day) }
        try changeWork(documentID, by: actor) { work in
            guard work.followUp != day else { return nil }
            let before = work.followUp
            work.followUp = day
            return (.followUpSet, ["from": AuditDetail(before), "to": AuditDetail(day)])
        }
    }

    @discardableResult
    public func addNote(documentID: String, text: String, by actor: String) throws -> DocumentNote {
        let text = try AkteRules.checkedNote(text)
        let at = now()
        return try write { db in
            _ = try Self.fetchDocument(documentID, db)
            let id = try db.query(
                "INSERT INTO documentNotes (documentID, author, at, text) VALUES ($1, $2, $3, $4) RETURNING id",
                [documentID, actor, at, text]
            ).first?.int64("id") ?? 0
            try audit(db, .noteAdded, actor: actor, documentID: documentID, details: ["note": .number(Double(id))])
            return DocumentNote(id: id, documentID: documentID, author: actor, at: at, text: text)
        }
    }

    public func dueFollowUps(onOrBefore day: String, includeHealthData: Bool) throws -> [DueFollowUp] {
        let ids: [String] = try read { db in
            try db.query(
                """
                SELECT documentWork.documentID FROM documentWork JOIN documents ON documents.id = documentWork.documentID
                WHERE followUp IS NOT NULL AND followUp <= $1 AND state <> $2
                \(includeHealthData ? "" : "AND NOT \(AkteRules.healthDataCondition)")
                ORDER BY followUp, documents.receivedAt
                """, [day, WorkState.done.rawValue]
            ).map { try $0.string("documentID") }
        }
        guard !ids.isEmpty else { return [] }
        let entries = Dictionary(try caseworkerEntries(ids: ids).map { ($0.summary.id, $0) }, uniquingKeysWith: { first, _ in first })
        let work = try documentWork(ids: Set(ids))
        return ids.compactMap { id in
            guard let entry = entries[id], let work = work[id] else { return nil }
            return DueFollowUp(entry: entry, work: work)
        }
    }

    static func work(_ id: String, _ db: PostgresConnection) throws -> DocumentWork {
        var work = DocumentWork.new(id)
        if let row = try db.query("SELECT * FROM documentWork WHERE documentID = $1", [id]).first {
            work.state = WorkState(rawValue: try row.string("state")) ?? .new
            work.assignee = row["assignee"]
            work.followUp = row["followUp"]
            work.updatedAt = try row.optionalDate("updatedAt")
            work.updatedBy = row["updatedBy"]
        }
        work.notes = try db.query("SELECT * FROM documentNotes WHERE documentID = $1 ORDER BY id", [id]).map {
            DocumentNote(
                id: try $0.int64("id"), documentID: try $0.string("documentID"), author: try $0.string("author"),
                at: try $0.date("at"), text: try $0.string("text"))
        }
        return work
    }

    private func changeWork(
        _ documentID: String, by actor: String, _ change: (inout DocumentWork) throws -> (AuditAction, [String: AuditDetail])?
    ) throws {
        let at = now()
        try write { db in
            // The document's row locked: two caseworkers changing its work take turns.
            _ = try Self.fetchDocument(documentID, db, forUpdate: true)
            var work = try Self.work(documentID, db)
            guard let (action, details) = try change(&work) else { return }
            try db.query(
                """
                INSERT INTO documentWork (documentID, state, assignee, followUp, updatedAt, updatedBy)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (documentID) DO UPDATE SET state = excluded.state, assignee = excluded.assignee,
                    followUp = excluded.followUp, updatedAt = excluded.updatedAt, updatedBy = excluded.updatedBy
                """, [documentID, work.state.rawValue, work.assignee, work.followUp, at, actor])
            try audit(db, action, actor: actor, documentID: documentID, details: details)
        }
    }

    // MARK: - Requests

    public func currentDate() -> Date { now() }

    @discardableResult
    public func addRequest(_ request: NewDocumentRequest, by actor: String) throws -> DocumentRequest {
        try AkteRules.checkRequest(request)
        let note = request.note.trimmingCharacters(in: .whitespacesAndNewlines)
        return try write { db in
            guard try Self.caseExists(request.bgNummer, db) else { throw AkteError.unknownCase(request.bgNummer) }
            var record = DocumentRequestRecord(
                id: nil, bgNummer: request.bgNummer, documentClass: request.documentClass, periodFrom: request.period?.from,
                periodTo: request.period?.to, dueDate: request.dueDate, note: note, requestedBy: actor, requestedAt: now())
            let columns = try PostgresRecordEncoder.columns(of: record).filter { $0.name != "id" }
            record.id = try db.query(
                "INSERT INTO documentRequests (\(columns.map(\.name).joined(separator: ", "))) VALUES (\((1...columns.count).map { "$\($0)" }.joined(separator: ", "))) RETURNING id",
                columns.map(\.value)
            ).first?.int64("id")
            try audit(db, .requestAdded, actor: actor, details: AkteRules.requestAddedDetails(request, id: record.id ?? 0, note: note))
            return record.request
        }
    }

    @discardableResult
    public func closeRequest(id: Int64, note: String, by actor: String) throws -> DocumentRequest {
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw AkteError.invalidInput("closing a request needs a note (why it is no longer needed)") }
        return try write { db in
            guard var record = try db.fetchOne(DocumentRequestRecord.self, "SELECT * FROM documentRequests WHERE id = $1 FOR UPDATE", [id])
            else { throw AkteError.unknownRequest(id) }
            guard record.closedAt == nil else {
                throw AkteError.invalidInput("request \(id) was already closed by \(record.closedBy ?? "someone")")
            }
            record.closedAt = now()
            record.closedBy = actor
            record.closeNote = note
            try db.update(record, in: "documentRequests", key: ["id"])
            try audit(
                db, .requestClosed, actor: actor,
                details: [
                    "case": .text(record.bgNummer), "request": .text(String(id)), "class": .text(record.documentClass),
                    "note": .text(note),
                ])
            return record.request
        }
    }

    public func request(id: Int64) throws -> DocumentRequest {
        try read { db in
            guard let record = try db.fetchOne(DocumentRequestRecord.self, "SELECT * FROM documentRequests WHERE id = $1", [id])
            else { throw AkteError.unknownRequest(id) }
            return record.request
        }
    }

    public func requests(inCase bgNummer: String, includeClosed: Bool) throws -> [DocumentRequest] {
        try read { db in
            try db.fetchAll(
                DocumentRequestRecord.self,
                "SELECT * FROM documentRequests WHERE bgNummer = $1 \(includeClosed ? "" : "AND closedAt IS NULL") ORDER BY id",
                [bgNummer]
            ).map(\.request)
        }
    }

    public func casesWithRequests(includeClosed: Bool) throws -> [String] {
        try read { db in
            try db.query(
                "SELECT DISTINCT bgNummer FROM documentRequests \(includeClosed ? "" : "WHERE closedAt IS NULL") ORDER BY bgNummer COLLATE \"C\""
            ).map { try $0.string("bgNummer") }
        }
    }

    public func auditTrail(requestID: Int64) throws -> [AuditEntry] {
        try read { db in
            try db.fetchAll(
                AuditRecord.self,
                "SELECT * FROM audit WHERE action IN ($1, $2) AND details::jsonb ->> 'request' = $3 ORDER BY seq",
                [AuditAction.requestAdded.rawValue, AuditAction.requestClosed.rawValue, String(requestID)]
            ).map(AuditChain.entry)
        }
    }
}

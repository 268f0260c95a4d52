import Foundation
import GRDB

/// A document's work: state, assignment, notes and Wiedervorlage, each change audited.
extension SQLiteAkte {
    /// The document's work; `neu` without notes when nobody touched it yet.
    public func documentWork(id: String) throws -> DocumentWork {
        try dbPool.read { db in
            _ = try Self.fetchDocument(id, db)
            return try Self.work(id, db)
        }
    }

    /// The work of several documents (those never touched are left out).
    public func documentWork(ids: Set<String>) throws -> [String: DocumentWork] {
        guard !ids.isEmpty else { return [:] }
        return try dbPool.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM documentWork WHERE documentID IN (\(ids.map { _ in "?" }.joined(separator: ", ")))",
                arguments: StatementArguments(Array(ids)))
            return Dictionary(rows.map { row in
                let work = DocumentWork(
                    documentID: row["documentID"], state: WorkState(rawValue: row["state"]) ?? .new, assignee: row["assignee"],
                    followUp: row["followUp"], notes: [], updatedAt: row["updatedAt"], updatedBy: row["updatedBy"])
                return (work.documentID, work)
            }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Moves the document to `state` (audited as `work_state_changed` with the state before).
    public func setWorkState(documentID: String, to state: WorkState, by actor: String) throws {
        try changeWork(documentID, by: actor) { db, work in
            guard work.state != state else { return nil }
            let before = work.state
            work.state = state
            return (.workStateChanged, ["from": .text(before.rawValue), "to": .text(state.rawValue)])
        }
    }

    /// Gives the document to a caseworker (a known login) or a team (`team:NAME`), or to nobody
    /// (nil). Audited as `work_assigned`. Taking a `neu` document puts it `in Bearbeitung`.
    public func assignWork(documentID: String, to assignee: String?, by actor: String) throws {
        let target = try AkteRules.checkedAssignee(assignee) { try caseworker($0) != nil }
        try changeWork(documentID, by: actor) { db, work in
            guard work.assignee != target else { return nil }
            let before = work.assignee
            work.assignee = target
            if target != nil, work.state == .new { work.state = .inProgress }
            return (.workAssigned, ["from": AuditDetail(before), "to": AuditDetail(target), "state": .text(work.state.rawValue)])
        }
    }

    /// Sets the follow-up day (ISO `2025-03-01`) or clears it (nil). Audited as `follow_up_set`.
    public func setFollowUp(documentID: String, day: String?, by actor: String) throws {
        if let day { try AkteRules.checkFollowUpDay(day) }
        try changeWork(documentID, by: actor) { db, work in
            guard work.followUp != day else { return nil }
            let before = work.followUp
            work.followUp = day
            return (.followUpSet, ["from": AuditDetail(before), "to": AuditDetail(day)])
        }
    }

    /// Adds a note (1 to `DocumentNote.maxLength` characters). Audited as `note_added` with the note's
    /// number, not its text: the trail keeps who wrote when, the note itself stays with the document.
    @discardableResult
    public func addNote(documentID: String, text: String, by actor: String) throws -> DocumentNote {
        let text = try AkteRules.checkedNote(text)
        let at = now()
        return try dbPool.write { db in
            _ = try Self.fetchDocument(documentID, db)
            try db.execute(
                sql: "INSERT INTO documentNotes (documentID, author, at, text) VALUES (?, ?, ?, ?)",
                arguments: [documentID, actor, at, text])
            let id = db.lastInsertedRowID
            try audit(db, .noteAdded, actor: actor, documentID: documentID, details: ["note": .number(Double(id))])
            return DocumentNote(id: id, documentID: documentID, author: actor, at: at, text: text)
        }
    }

    /// Documents whose follow-up day is on or before `day` (ISO) and that are not `erledigt`,
    /// earliest day first; health data only for those who may open it.
    public func dueFollowUps(onOrBefore day: String, includeHealthData: Bool) throws -> [DueFollowUp] {
        let ids: [String] = try dbPool.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT documentWork.documentID FROM documentWork JOIN documents ON documents.id = documentWork.documentID
                    WHERE followUp IS NOT NULL AND followUp <= ? AND state != ?
                    \(includeHealthData ? "" : "AND NOT \(Self.healthDataSQL)")
                    ORDER BY followUp, documents.receivedAt
                    """, arguments: [day, WorkState.done.rawValue])
        }
        guard !ids.isEmpty else { return [] }
        let entries = Dictionary(
            try caseworkerEntries(ids: ids).map { ($0.summary.id, $0) }, uniquingKeysWith: { first, _ in first })
        let work = try documentWork(ids: Set(ids))
        return ids.compactMap { id in
            guard let entry = entries[id], let work = work[id] else { return nil }
            return DueFollowUp(entry: entry, work: work)
        }
    }

    // MARK: - Rows

    static func work(_ id: String, _ db: Database) throws -> DocumentWork {
        var work = DocumentWork.new(id)
        if let row = try Row.fetchOne(db, sql: "SELECT * FROM documentWork WHERE documentID = ?", arguments: [id]) {
            work.state = WorkState(rawValue: row["state"]) ?? .new
            work.assignee = row["assignee"]
            work.followUp = row["followUp"]
            work.updatedAt = row["updatedAt"]
            work.updatedBy = row["updatedBy"]
        }
        work.notes = try Row.fetchAll(
            db, sql: "SELECT * FROM documentNotes WHERE documentID = ? ORDER BY id", arguments: [id]
        ).map { DocumentNote(id: $0["id"], documentID: $0["documentID"], author: $0["author"], at: $0["at"], text: $0["text"]) }
        return work
    }

    /// Reads the work, lets `change` edit it and name the audit entry (nil: nothing changed),
    /// writes it back and audits, in one transaction.
    private func changeWork(
        _ documentID: String, by actor: String,
        _ change: (Database, inout DocumentWork) throws -> (AuditAction, [String: AuditDetail])?
    ) throws {
        let at = now()
        try dbPool.write { db in
            _ = try Self.fetchDocument(documentID, db)
            var work = try Self.work(documentID, db)
            guard let (action, details) = try change(db, &work) else { return }
            try db.execute(
                sql: """
                    INSERT INTO documentWork (documentID, state, assignee, followUp, updatedAt, updatedBy)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(documentID) DO UPDATE SET state = excluded.state, assignee = excluded.assignee,
                        followUp = excluded.followUp, updatedAt = excluded.updatedAt, updatedBy = excluded.updatedBy
                    """,
                arguments: [documentID, work.state.rawValue, work.assignee, work.followUp, at, actor])
            try audit(db, action, actor: actor, documentID: documentID, details: details)
        }
    }
}

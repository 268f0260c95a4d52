import Foundation

/// Caseworkers' corrections of case, class and fields, and review resolutions: each one stored
/// beside the machine's decision and audited, the same rules as the SQLite side.
extension PostgresAkte {
    public func assign(documentID: String, caseID: String, by actor: String) throws {
        let at = now()
        try write { db in
            let document = try Self.fetchDocument(documentID, db, forUpdate: true)
            guard try Self.caseExists(caseID, db) else { throw AkteError.unknownCase(caseID) }
            guard document.effectiveCaseID != caseID else { return }
            try correction(
                .caseAssignment, key: nil, machine: document.caseID, previous: document.effectiveCaseID, new: caseID,
                document: documentID, actor: actor, at: at, db)
            try db.query("UPDATE documents SET effectiveCaseID = $1 WHERE id = $2", [caseID, documentID])
        }
    }

    public func reclassify(documentID: String, to documentClass: String, by actor: String) throws {
        guard !documentClass.isEmpty else { throw AkteError.invalidInput("a document class cannot be empty") }
        let at = now()
        try write { db in
            let document = try Self.fetchDocument(documentID, db, forUpdate: true)
            guard document.effectiveClass != documentClass else { return }
            try correction(
                .documentClass, key: nil, machine: document.documentClass, previous: document.effectiveClass,
                new: documentClass, document: documentID, actor: actor, at: at, db)
            try db.query("UPDATE documents SET effectiveClass = $1 WHERE id = $2", [documentClass, documentID])
        }
    }

    public func setField(documentID: String, key: String, value: String, by actor: String) throws {
        guard !key.isEmpty else { throw AkteError.invalidInput("a field needs a key") }
        let at = now()
        try write { db in
            _ = try Self.fetchDocument(documentID, db, forUpdate: true)
            let machine = try db.query("SELECT value FROM fields WHERE documentID = $1 AND key = $2", [documentID, key])
                .first?["value"]
            let previous =
                try db.query(
                    "SELECT newValue FROM corrections WHERE documentID = $1 AND kind = $2 AND key = $3 ORDER BY id DESC LIMIT 1",
                    [documentID, CorrectionKind.field.rawValue, key]
                ).first?["newValue"] ?? machine
            guard previous != value else { return }
            try correction(
                .field, key: key, machine: machine, previous: previous, new: value, document: documentID, actor: actor,
                at: at, db)
        }
    }

    public func resolveReview(documentID: String, by actor: String, note: String?) throws {
        let at = now()
        try write { db in
            let document = try Self.fetchDocument(documentID, db, forUpdate: true)
            guard document.effectiveStatus == .needsReview else {
                throw AkteError.notInReview(documentID: documentID, status: document.effectiveStatus)
            }
            guard let caseID = document.effectiveCaseID else { throw AkteError.noCaseAssigned(documentID: documentID) }
            try db.insert(
                CorrectionRecord(
                    id: nil, documentID: documentID, kind: .review, key: nil, machineValue: document.status.rawValue,
                    previousValue: document.effectiveStatus.rawValue, newValue: DocumentStatus.filed.rawValue,
                    actor: actor, at: at), into: "corrections", skipping: ["id"])
            try db.query("UPDATE documents SET effectiveStatus = $1 WHERE id = $2", [DocumentStatus.filed.rawValue, documentID])
            try audit(
                db, .reviewResolved, actor: actor, documentID: documentID,
                details: ["case": .text(caseID), "class": .text(document.effectiveClass), "note": AuditDetail(note)])
        }
    }

    public func corrections(since: Date?) throws -> [Correction] {
        try read { db in
            try db.fetchAll(
                CorrectionRecord.self, "SELECT * FROM corrections WHERE $1::timestamptz IS NULL OR at >= $1::timestamptz ORDER BY id",
                [since]
            ).map(\.correction)
        }
    }

    private func correction(
        _ kind: CorrectionKind, key: String?, machine: String?, previous: String?, new: String?, document: String,
        actor: String, at: Date, _ db: PostgresConnection
    ) throws {
        try db.insert(
            CorrectionRecord(
                id: nil, documentID: document, kind: kind, key: key, machineValue: machine, previousValue: previous,
                newValue: new, actor: actor, at: at), into: "corrections", skipping: ["id"])
        var details: [String: AuditDetail] = ["what": .text(kind.rawValue), "from": AuditDetail(previous), "to": AuditDetail(new)]
        if let key { details["field"] = .text(key) }
        try audit(db, .corrected, actor: actor, documentID: document, details: details)
    }
}

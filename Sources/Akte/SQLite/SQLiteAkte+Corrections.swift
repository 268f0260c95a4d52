import Foundation
import GRDB

extension SQLiteAkte {
    public func assign(documentID: String, caseID: String, by actor: String) throws {
        let at = now()
        try dbPool.write { db in
            var document = try Self.fetchDocument(documentID, db)
            guard try HouseholdRecord.exists(db, key: caseID) else { throw AkteError.unknownCase(caseID) }
            guard document.effectiveCaseID != caseID else { return }
            try record(
                .caseAssignment, key: nil, machine: document.caseID, previous: document.effectiveCaseID, new: caseID,
                document: documentID, actor: actor, at: at, db)
            document.effectiveCaseID = caseID
            try document.update(db)
        }
    }

    public func reclassify(documentID: String, to documentClass: String, by actor: String) throws {
        guard !documentClass.isEmpty else { throw AkteError.invalidInput("a document class cannot be empty") }
        let at = now()
        try dbPool.write { db in
            var document = try Self.fetchDocument(documentID, db)
            guard document.effectiveClass != documentClass else { return }
            try record(
                .documentClass, key: nil, machine: document.documentClass, previous: document.effectiveClass,
                new: documentClass, document: documentID, actor: actor, at: at, db)
            document.effectiveClass = documentClass
            try document.update(db)
        }
    }

    public func setField(documentID: String, key: String, value: String, by actor: String) throws {
        guard !key.isEmpty else { throw AkteError.invalidInput("a field needs a key") }
        let at = now()
        try dbPool.write { db in
            _ = try Self.fetchDocument(documentID, db)
            let machine = try FieldRecord.fetchOne(db, key: ["documentID": documentID, "key": key])?.value
            let previous =
                try CorrectionRecord
                .filter(CorrectionRecord.Columns.documentID == documentID)
                .filter(CorrectionRecord.Columns.kind == CorrectionKind.field.rawValue)
                .filter(CorrectionRecord.Columns.key == key)
                .order(CorrectionRecord.Columns.id.desc)
                .fetchOne(db)?.newValue ?? machine
            guard previous != value else { return }
            try record(
                .field, key: key, machine: machine, previous: previous, new: value, document: documentID,
                actor: actor, at: at, db)
        }
    }

    public func resolveReview(documentID: String, by actor: String, note: String?) throws {
        let at = now()
        try dbPool.write { db in
            var document = try Self.fetchDocument(documentID, db)
            guard document.effectiveStatus == .needsReview else {
                throw AkteError.notInReview(documentID: documentID, status: document.effectiveStatus)
            }
            guard let caseID = document.effectiveCaseID else { throw AkteError.noCaseAssigned(documentID: documentID) }
            try CorrectionRecord(
                id: nil, documentID: documentID, kind: .review, key: nil, machineValue: document.status.rawValue,
                previousValue: document.effectiveStatus.rawValue, newValue: DocumentStatus.filed.rawValue,
                actor: actor, at: at
            ).insert(db)
            document.effectiveStatus = .filed
            try document.update(db)
            try audit(
                db, .reviewResolved, actor: actor, documentID: documentID,
                details: ["case": .text(caseID), "class": .text(document.effectiveClass), "note": AuditDetail(note)])
        }
    }

    public func corrections(since: Date?) throws -> [Correction] {
        try dbPool.read { db in
            var request = CorrectionRecord.order(CorrectionRecord.Columns.id)
            if let since {
                request = request.filter(CorrectionRecord.Columns.at >= since)
            }
            return try request.fetchAll(db).map(\.correction)
        }
    }

    /// Stores a correction beside the machine's value and audits it as `corrected`.
    private func record(
        _ kind: CorrectionKind, key: String?, machine: String?, previous: String?, new: String?, document: String,
        actor: String, at: Date, _ db: Database
    ) throws {
        try CorrectionRecord(
            id: nil, documentID: document, kind: kind, key: key, machineValue: machine, previousValue: previous,
            newValue: new, actor: actor, at: at
        ).insert(db)
        var details: [String: AuditDetail] = [
            "what": .text(kind.rawValue), "from": AuditDetail(previous), "to": AuditDetail(new),
        ]
        if let key { details["field"] = .text(key) }
        try audit(db, .corrected, actor: actor, documentID: document, details: details)
    }

    static func fetchDocument(_ id: String, _ db: Database) throws -> DocumentRecord {
        guard let document = try DocumentRecord.fetchOne(db, key: id) else { throw AkteError.unknownDocument(id) }
        return document
    }
}

import Foundation
import GRDB

/// A row of `uploadParts` (migration `v3-parts`): which pages of which upload a document is.
struct UploadPartRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "uploadParts"
    var uploadID: String
    var partNumber: Int
    var partCount: Int
    var documentID: String
    var firstPage: Int
    var lastPage: Int
    var coverPage: Int?
    var coverPayload: String?
    var reason: String
    var method: String

    enum Columns {
        static let uploadID = Column(CodingKeys.uploadID)
        static let partNumber = Column(CodingKeys.partNumber)
        static let documentID = Column(CodingKeys.documentID)
    }
}

extension SQLiteAkte {
    /// Files the documents of one multi-document upload in one transaction: each part becomes a
    /// document of its own (its class, fields, case, own PDF of its pages), linked to the upload
    /// and its page range; the upload's original is kept once, under the upload's hash.
    ///
    /// A retried job answers `.alreadyFiled` for each part. The same bytes uploaded again become
    /// one more upload of the same documents (`.duplicate`), and so does a part whose PDF was
    /// filed before.
    public func fileParts(
        uploadID: String, uploadSha256: String, filename: String, channel: String, receivedAt: Date, method: String,
        parts: [NewPart], actor: String
    ) throws -> [FilingOutcome] {
        try AkteRules.validateParts(uploadID: uploadID, uploadSha256: uploadSha256, parts: parts)
        let filedAt = now()
        return try dbPool.write { db in
            let earlier = try UploadPartRecord.filter(UploadPartRecord.Columns.uploadID == uploadID)
                .order(UploadPartRecord.Columns.partNumber).fetchAll(db)
            if !earlier.isEmpty { return earlier.map { .alreadyFiled(documentID: $0.documentID) } }

            var upload: UploadRecord
            if let recorded = try UploadRecord.fetchOne(db, key: uploadID) {
                guard recorded.sha256 == uploadSha256 else {
                    throw AkteError.uploadIDConflict(uploadID: uploadID, recordedSha256: recorded.sha256, newSha256: uploadSha256)
                }
                upload = recorded
            } else {
                upload = UploadRecord(
                    id: uploadID, sha256: uploadSha256, filename: filename, channel: channel, receivedAt: receivedAt,
                    submitter: nil, note: nil, state: .received, reason: nil, stage: nil, documentID: nil, updatedAt: filedAt)
                try upload.insert(db)
                try audit(
                    db, .received, actor: actor, uploadID: uploadID,
                    details: AkteRules.receivedDetails(sha256: uploadSha256, filename: filename, channel: channel, receivedAt: receivedAt))
            }

            // The same bytes split before under another upload: the same documents again.
            let sameBytes = try UploadRecord.filter(UploadRecord.Columns.sha256 == uploadSha256).fetchAll(db)
                .filter { $0.id != uploadID }.map(\.id)
            let previous = try UploadPartRecord.filter(sameBytes.contains(UploadPartRecord.Columns.uploadID))
                .order(UploadPartRecord.Columns.uploadID, UploadPartRecord.Columns.partNumber).fetchAll(db)
            if let firstUpload = previous.first?.uploadID {
                let rows = previous.filter { $0.uploadID == firstUpload }
                for var row in rows {
                    row.uploadID = uploadID
                    try row.insert(db)
                    try audit(
                        db, .filed, actor: actor, documentID: row.documentID, uploadID: uploadID,
                        details: [
                            "as": "receipt", "duplicateOf": .text(row.documentID),
                            "part": .text("\(row.partNumber) of \(row.partCount)"),
                        ])
                }
                try Self.markFiled(&upload, documentID: rows[0].documentID, at: filedAt, db)
                return rows.map { .duplicate(documentID: $0.documentID) }
            }

            var outcomes: [FilingOutcome] = []
            for part in parts {
                let details: [String: AuditDetail] = [
                    "part": .text("\(part.number) of \(parts.count)"),
                    "pages": .text("\(part.firstPage)-\(part.lastPage)"),
                ]
                let documentID: String
                if let existing = try DocumentRecord.filter(DocumentRecord.Columns.sha256 == part.document.sha256).fetchOne(db) {
                    documentID = existing.id
                    outcomes.append(.duplicate(documentID: documentID))
                    try audit(
                        db, .filed, actor: actor, documentID: documentID, uploadID: uploadID,
                        details: details.merging(["as": "receipt", "duplicateOf": .text(documentID)]) { _, new in new })
                } else {
                    documentID = UUID().uuidString.lowercased()
                    let record = try insertDocument(part.document, id: documentID, filedAt: filedAt, db)
                    try auditNewDocument(record, part.document, classifiedDetails: details, db)
                    outcomes.append(.filed(documentID: documentID))
                }
                try UploadPartRecord(
                    uploadID: uploadID, partNumber: part.number, partCount: parts.count, documentID: documentID,
                    firstPage: part.firstPage, lastPage: part.lastPage, coverPage: part.coverPage,
                    coverPayload: part.coverPayload, reason: part.reason, method: method
                ).insert(db)
            }
            try Self.markFiled(&upload, documentID: outcomes[0].documentID, at: filedAt, db)
            return outcomes
        }
    }

    /// The parts of an upload with each part's state; empty for an upload of one document.
    public func parts(ofUpload uploadID: String) throws -> [UploadPart] {
        try dbPool.read { db in try Self.parts(ofUpload: uploadID, db) }
    }

    /// Where a document came from when it is a part of multi-document uploads (one entry per
    /// upload that brought it); empty for a document uploaded on its own.
    public func parts(ofDocument documentID: String) throws -> [UploadPart] {
        try dbPool.read { db in
            try Self.partsWhere(UploadPartRecord.Columns.documentID == documentID, db)
                .sorted { ($0.uploadID, $0.number) < ($1.uploadID, $1.number) }
        }
    }

    static func parts(ofUpload uploadID: String, _ db: Database) throws -> [UploadPart] {
        try partsWhere(UploadPartRecord.Columns.uploadID == uploadID, db)
    }

    private static func partsWhere(_ condition: SQLExpression, _ db: Database) throws -> [UploadPart] {
        try UploadPartRecord.filter(condition)
            .order(UploadPartRecord.Columns.partNumber).fetchAll(db)
            .map { row in
                var part = UploadPart(
                    uploadID: row.uploadID, number: row.partNumber, count: row.partCount, documentID: row.documentID,
                    firstPage: row.firstPage, lastPage: row.lastPage, coverPage: row.coverPage,
                    coverPayload: row.coverPayload, reason: row.reason, method: row.method, state: .filed,
                    stateReason: nil)
                if let document = try DocumentRecord.fetchOne(db, key: row.documentID) {
                    (part.state, part.stateReason) = AkteRules.uploadState(of: document)
                }
                return part
            }
    }

    /// The uploads that brought a part, as receipts (receipts of whole uploads live in `receipts`).
    static func partReceipts(documentID: String, _ db: Database) throws -> [Receipt] {
        let uploadIDs = try UploadPartRecord.filter(UploadPartRecord.Columns.documentID == documentID).fetchAll(db).map(\.uploadID)
        return try UploadRecord.filter(uploadIDs.contains(UploadRecord.Columns.id)).fetchAll(db)
            .sorted { ($0.receivedAt, $0.id) < ($1.receivedAt, $1.id) }
            .map {
                Receipt(
                    uploadID: $0.id, filename: $0.filename, channel: $0.channel, receivedAt: $0.receivedAt, submitter: $0.submitter,
                    note: $0.note)
            }
    }

    /// The upload filed: its document (the first part's, for a multi-document upload) tells its state.
    static func markFiled(_ upload: inout UploadRecord, documentID: String, at date: Date, _ db: Database) throws {
        upload.state = .filed
        upload.documentID = documentID
        upload.reason = nil
        upload.stage = nil
        upload.updatedAt = date
        try upload.update(db)
    }

}

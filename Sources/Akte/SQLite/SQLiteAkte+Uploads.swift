import Foundation
import GRDB

extension SQLiteAkte {
    public func recordReceived(
        uploadID: String, sha256: String, filename: String, channel: String, receivedAt: Date, submitter: String?,
        note: String?
    ) throws {
        guard !uploadID.isEmpty else { throw AkteError.invalidInput("an upload needs an id") }
        guard SHA256Hex.isValid(sha256) else { throw AkteError.invalidSha256(sha256) }
        let recordedAt = now()
        try dbPool.write { db in
            if let existing = try UploadRecord.fetchOne(db, key: uploadID) {
                guard existing.sha256 == sha256 else {
                    throw AkteError.uploadIDConflict(
                        uploadID: uploadID, recordedSha256: existing.sha256, newSha256: sha256)
                }
                return
            }
            try UploadRecord(
                id: uploadID, sha256: sha256, filename: filename, channel: channel, receivedAt: receivedAt,
                submitter: submitter, note: UploadNote.stored(note), state: .received, reason: nil, stage: nil, documentID: nil,
                updatedAt: recordedAt
            ).insert(db)
            // The actor is the channel that delivered the upload (for the API: the token's client);
            // a submitter the client named is its claim, kept beside it, never the actor.
            var details = AkteRules.receivedDetails(sha256: sha256, filename: filename, channel: channel, receivedAt: receivedAt)
            if let submitter { details["claimedSubmitter"] = .text(submitter) }
            try audit(db, .received, actor: channel, uploadID: uploadID, details: details)
        }
    }

    public func markProcessing(uploadID: String) throws {
        let updatedAt = now()
        try dbPool.write { db in
            guard var upload = try UploadRecord.fetchOne(db, key: uploadID) else {
                throw AkteError.unknownUpload(uploadID)
            }
            // A worker that crashed after filing picks the upload up again: leave it filed,
            // `file(_:)` will answer `.alreadyFiled`.
            guard upload.documentID == nil else { return }
            upload.state = .processing
            upload.reason = nil
            upload.stage = nil
            upload.updatedAt = updatedAt
            try upload.update(db)
        }
    }

    public func markRefused(uploadID: String, reason: String, stage: String) throws {
        let updatedAt = now()
        try dbPool.write { db in
            guard var upload = try UploadRecord.fetchOne(db, key: uploadID) else {
                throw AkteError.unknownUpload(uploadID)
            }
            if let documentID = upload.documentID {
                throw AkteError.uploadAlreadyFiled(uploadID: uploadID, documentID: documentID)
            }
            upload.state = .refused
            upload.reason = reason
            upload.stage = stage
            upload.updatedAt = updatedAt
            try upload.update(db)
            try audit(
                db, .refused, actor: "pipeline", uploadID: uploadID,
                details: ["reason": .text(reason), "stage": .text(stage)])
        }
    }

    public func uploadStatus(idOrSha: String) throws -> UploadStatus? {
        try dbPool.read { db in
            if let upload = try UploadRecord.fetchOne(db, key: idOrSha) {
                return try Self.status(of: upload, db)
            }
            let sha = idOrSha.lowercased()
            guard SHA256Hex.isValid(sha) else { return nil }
            let uploads = try UploadRecord.filter(UploadRecord.Columns.sha256 == sha).fetchAll(db)
            if uploads.count == 1 {
                return try Self.status(of: uploads[0], db)
            }
            // Several uploads brought these bytes: answer only what they share, the document.
            guard uploads.count > 1,
                let document = try DocumentRecord.filter(DocumentRecord.Columns.sha256 == sha).fetchOne(db)
            else { return nil }
            let (state, reason) = AkteRules.uploadState(of: document)
            return UploadStatus(
                uploadID: nil, sha256: sha, state: state, reason: reason, stage: nil, documentID: document.id,
                receivedAt: nil)
        }
    }

    private static func status(of upload: UploadRecord, _ db: Database) throws -> UploadStatus {
        let document = try upload.documentID.flatMap { try DocumentRecord.fetchOne(db, key: $0) }
        return AkteRules.uploadStatus(of: upload, document: document, parts: try parts(ofUpload: upload.id, db))
    }


}

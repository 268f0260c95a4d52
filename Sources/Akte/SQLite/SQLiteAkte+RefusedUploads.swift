import Foundation
import GRDB

extension SQLiteAkte {
    /// Marks an upload refused for good. Unlike `markRefused`, it also covers an upload that was
    /// refused before it was recorded as received (a link or unsafe name set aside unopened, a
    /// store error at intake): its row is created here, so that its status says `refused` with the
    /// reason instead of not existing. A filed upload is left as it is.
    public func recordRefused(
        uploadID: String, sha256: String, filename: String, channel: String, receivedAt: Date, reason: String,
        stage: String
    ) throws {
        guard !uploadID.isEmpty else { throw AkteError.invalidInput("an upload needs an id") }
        let updatedAt = now()
        try dbPool.write { db in
            if var upload = try UploadRecord.fetchOne(db, key: uploadID) {
                guard upload.documentID == nil else { return }
                upload.state = .refused
                upload.reason = reason
                upload.stage = stage
                upload.updatedAt = updatedAt
                try upload.update(db)
            } else {
                try UploadRecord(
                    id: uploadID, sha256: SHA256Hex.isValid(sha256) ? sha256 : "", filename: filename, channel: channel,
                    receivedAt: receivedAt, submitter: nil, note: nil, state: .refused, reason: reason, stage: stage, documentID: nil,
                    updatedAt: updatedAt
                ).insert(db)
            }
            try audit(
                db, .refused, actor: "pipeline", uploadID: uploadID,
                details: ["reason": .text(reason), "stage": .text(stage)])
        }
    }
}

import Foundation

/// Uploads at intake and refused ones; the same rules as `SQLiteAkte+Uploads`.
extension PostgresAkte {
    public func recordReceived(
        uploadID: String, sha256: String, filename: String, channel: String, receivedAt: Date, submitter: String?,
        note: String?
    ) throws {
        guard !uploadID.isEmpty else { throw AkteError.invalidInput("an upload needs an id") }
        guard SHA256Hex.isValid(sha256) else { throw AkteError.invalidSha256(sha256) }
        let recordedAt = now()
        try write { db in
            let inserted = try db.query(
                """
                INSERT INTO uploads (id, sha256, filename, channel, receivedAt, submitter, note, state, updatedAt)
                VALUES ($1, $2, $3, $4, $5, $6, $7, 'received', $8) ON CONFLICT (id) DO NOTHING RETURNING id
                """, [uploadID, sha256, filename, channel, receivedAt, submitter, UploadNote.stored(note), recordedAt])
            guard !inserted.isEmpty else {
                let existing = try Self.upload(uploadID, db)
                guard existing?.sha256 == sha256 else {
                    throw AkteError.uploadIDConflict(
                        uploadID: uploadID, recordedSha256: existing?.sha256 ?? "", newSha256: sha256)
                }
                return
            }
            var details = AkteRules.receivedDetails(sha256: sha256, filename: filename, channel: channel, receivedAt: receivedAt)
            if let submitter { details["claimedSubmitter"] = .text(submitter) }
            try audit(db, .received, actor: channel, uploadID: uploadID, details: details)
        }
    }

    public func markProcessing(uploadID: String) throws {
        let updatedAt = now()
        try write { db in
            guard let upload = try Self.upload(uploadID, db, forUpdate: true) else { throw AkteError.unknownUpload(uploadID) }
            guard upload.documentID == nil else { return }
            try db.query(
                "UPDATE uploads SET state = 'processing', reason = NULL, stage = NULL, updatedAt = $1 WHERE id = $2",
                [updatedAt, uploadID])
        }
    }

    public func markRefused(uploadID: String, reason: String, stage: String) throws {
        let updatedAt = now()
        try write { db in
            guard let upload = try Self.upload(uploadID, db, forUpdate: true) else { throw AkteError.unknownUpload(uploadID) }
            if let documentID = upload.documentID {
                throw AkteError.uploadAlreadyFiled(uploadID: uploadID, documentID: documentID)
            }
            try db.query(
                "UPDATE uploads SET state = 'refused', reason = $1, stage = $2, updatedAt = $3 WHERE id = $4",
                [reason, stage, updatedAt, uploadID])
            try PostgresWorkQueue.finish(uploadID, state: "refused", code: stage, reason: reason, db)
            try audit(
                db, .refused, actor: "pipeline", uploadID: uploadID, details: ["reason": .text(reason), "stage": .text(stage)])
        }
    }

    public func recordRefused(
        uploadID: String, sha256: String, filename: String, channel: String, receivedAt: Date, reason: String,
        stage: String
    ) throws {
        guard !uploadID.isEmpty else { throw AkteError.invalidInput("an upload needs an id") }
        let updatedAt = now()
        try write { db in
            if let upload = try Self.upload(uploadID, db, forUpdate: true) {
                guard upload.documentID == nil else { return }
                try db.query(
                    "UPDATE uploads SET state = 'refused', reason = $1, stage = $2, updatedAt = $3 WHERE id = $4",
                    [reason, stage, updatedAt, uploadID])
            } else {
                try db.insert(
                    UploadRecord(
                        id: uploadID, sha256: SHA256Hex.isValid(sha256) ? sha256 : "", filename: filename, channel: channel,
                        receivedAt: receivedAt, submitter: nil, state: .refused, reason: reason, stage: stage,
                        documentID: nil, updatedAt: updatedAt), into: "uploads")
            }
            try audit(
                db, .refused, actor: "pipeline", uploadID: uploadID, details: ["reason": .text(reason), "stage": .text(stage)])
        }
    }

    public func uploadStatus(idOrSha: String) throws -> UploadStatus? {
        try read { db in
            if let upload = try Self.upload(idOrSha, db) {
                return try status(of: upload, db)
            }
            let sha = idOrSha.lowercased()
            guard SHA256Hex.isValid(sha) else { return nil }
            let uploads = try db.fetchAll(UploadRecord.self, "SELECT * FROM uploads WHERE sha256 = $1", [sha])
            if uploads.count == 1 { return try status(of: uploads[0], db) }
            guard uploads.count > 1,
                let document = try db.fetchOne(DocumentRecord.self, "SELECT * FROM documents WHERE sha256 = $1", [sha])
            else { return nil }
            let (state, reason) = AkteRules.uploadState(of: document)
            return UploadStatus(
                uploadID: nil, sha256: sha, state: state, reason: reason, stage: nil, documentID: document.id,
                receivedAt: nil)
        }
    }

    private func status(of upload: UploadRecord, _ db: PostgresConnection) throws -> UploadStatus {
        let document = try upload.documentID.flatMap { try Self.document($0, db) }
        return AkteRules.uploadStatus(of: upload, document: document, parts: try parts(ofUpload: upload.id, db))
    }

    // MARK: - Rows

    static func upload(_ id: String, _ db: PostgresConnection, forUpdate: Bool = false) throws -> UploadRecord? {
        try db.fetchOne(UploadRecord.self, "SELECT * FROM uploads WHERE id = $1\(forUpdate ? " FOR UPDATE" : "")", [id])
    }

    static func document(_ id: String, _ db: PostgresConnection, forUpdate: Bool = false) throws -> DocumentRecord? {
        try db.fetchOne(DocumentRecord.self, "SELECT * FROM documents WHERE id = $1\(forUpdate ? " FOR UPDATE" : "")", [id])
    }

    static func fetchDocument(_ id: String, _ db: PostgresConnection, forUpdate: Bool = false) throws -> DocumentRecord {
        guard let document = try document(id, db, forUpdate: forUpdate) else { throw AkteError.unknownDocument(id) }
        return document
    }

    static func caseExists(_ bgNummer: String, _ db: PostgresConnection) throws -> Bool {
        try db.exists("SELECT 1 FROM households WHERE bgNummer = $1", [bgNummer])
    }
}

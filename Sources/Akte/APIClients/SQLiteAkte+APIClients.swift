import Foundation
import GRDB

extension SQLiteAkte {
    /// Issues a token for `client` (optionally bound to one household). The secret is returned
    /// once; only its SHA-256 is stored.
    public func issueAPIToken(client: String, caseID: String?, ratePerMinute: Int, by actor: String) throws -> IssuedAPIToken {
        let (token, secret) = try AkteRules.newAPIToken(client: client, caseID: caseID, ratePerMinute: ratePerMinute, by: actor, at: now())
        let id = token.id
        let name = token.client
        if let caseID, try !caseExists(caseID) { throw AkteError.unknownCase(caseID) }
        try dbPool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO api_tokens (id, client, caseID, tokenSha256, ratePerMinute, createdAt, createdBy)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, name, caseID, SHA256Hex.of(secret), ratePerMinute, token.createdAt, actor])
            try audit(
                db, .tokenIssued, actor: actor,
                details: [
                    "tokenID": .text(id), "client": .text(name), "case": AuditDetail(caseID),
                    "ratePerMinute": .number(Double(ratePerMinute)),
                ])
        }
        return IssuedAPIToken(token: token, secret: secret)
    }



    /// All tokens, oldest first (revoked ones too: they explain old uploads).
    public func apiTokens() throws -> [APIToken] {
        try dbPool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_tokens ORDER BY createdAt, id").map(Self.token)
        }
    }

    /// The live token whose secret is `secret`, or nil (unknown or revoked).
    public func apiToken(secret: String) throws -> APIToken? {
        let digest = SHA256Hex.of(secret)
        return try dbPool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM api_tokens WHERE tokenSha256 = ? AND revokedAt IS NULL", arguments: [digest]
            ).map(Self.token)
        }
    }

    /// Revokes a token by its id; its next request gets 401. Revoking twice is an error that says so.
    /// Audited as `token_revoked` by `actor`.
    public func revokeAPIToken(id: String, by actor: String) throws -> APIToken {
        let revokedAt = now()
        return try dbPool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_tokens WHERE id = ?", arguments: [id]) else {
                throw AkteError.invalidInput("no token with id '\(id)'; `posteingang tokens list` shows the ids")
            }
            var token = Self.token(row)
            guard token.revokedAt == nil else {
                throw AkteError.invalidInput("token '\(id)' was already revoked")
            }
            try db.execute(sql: "UPDATE api_tokens SET revokedAt = ? WHERE id = ?", arguments: [revokedAt, id])
            try audit(db, .tokenRevoked, actor: actor, details: ["tokenID": .text(id), "client": .text(token.client)])
            token.revokedAt = revokedAt
            return token
        }
    }

    /// Records who sent an upload the API put into the spool, and (with an idempotency key) the
    /// answer given, in one transaction. If another request stored an answer for the same key in
    /// the meantime, that answer is returned and nothing is written.
    public func recordAPIUpload(
        _ upload: APIUpload, idempotencyKey: String?, answer: StoredAPIAnswer?
    ) throws -> StoredAPIAnswer? {
        try dbPool.write { db in
            if let idempotencyKey, let existing = try Self.storedAnswer(db, tokenID: upload.tokenID, key: idempotencyKey) {
                return existing
            }
            try db.execute(
                sql: """
                    INSERT INTO api_uploads (uploadID, tokenID, client, caseID, fileName, parts, bytes, sha256, acceptedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    upload.uploadID, upload.tokenID, upload.client, upload.caseID, upload.fileName, upload.parts.count,
                    upload.bytes, upload.sha256, upload.acceptedAt,
                ])
            for (index, part) in upload.parts.enumerated() {
                try db.execute(
                    sql: "INSERT INTO api_upload_parts (uploadID, position, fileName, format, bytes, sha256) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [upload.uploadID, index + 1, part.fileName, part.format, part.bytes, part.sha256])
            }
            if let idempotencyKey, let answer {
                try db.execute(
                    sql: """
                        INSERT INTO api_idempotency (tokenID, key, requestSha256, uploadID, httpStatus, responseJSON, createdAt)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        upload.tokenID, idempotencyKey, answer.requestSha256, answer.uploadID, answer.httpStatus,
                        answer.responseJSON, upload.acceptedAt,
                    ])
            }
            return nil
        }
    }

    /// The first answer given to `key` for this token, if any.
    public func storedAPIAnswer(tokenID: String, key: String) throws -> StoredAPIAnswer? {
        try dbPool.read { db in try Self.storedAnswer(db, tokenID: tokenID, key: key) }
    }

    /// The API upload `uploadID`, or nil when there is none.
    public func apiUpload(id uploadID: String) throws -> APIUpload? {
        try dbPool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_uploads WHERE uploadID = ?", arguments: [uploadID])
            else { return nil }
            let parts = try Row.fetchAll(
                db, sql: "SELECT * FROM api_upload_parts WHERE uploadID = ? ORDER BY position", arguments: [uploadID]
            ).map { APIUploadPart(fileName: $0["fileName"], format: $0["format"], bytes: $0["bytes"], sha256: $0["sha256"]) }
            return APIUpload(
                uploadID: row["uploadID"], tokenID: row["tokenID"], client: row["client"], caseID: row["caseID"],
                fileName: row["fileName"], bytes: row["bytes"], sha256: row["sha256"], acceptedAt: row["acceptedAt"],
                parts: parts)
        }
    }

    /// How many uploads the API has put into the spool.
    public func apiUploadCount() throws -> Int {
        try dbPool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM api_uploads") ?? 0 }
    }

    private static func storedAnswer(_ db: Database, tokenID: String, key: String) throws -> StoredAPIAnswer? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM api_idempotency WHERE tokenID = ? AND key = ?", arguments: [tokenID, key]
        ).map {
            StoredAPIAnswer(
                requestSha256: $0["requestSha256"], uploadID: $0["uploadID"], httpStatus: $0["httpStatus"],
                responseJSON: $0["responseJSON"])
        }
    }

    private static func token(_ row: Row) -> APIToken {
        APIToken(
            id: row["id"], client: row["client"], caseID: row["caseID"], ratePerMinute: row["ratePerMinute"],
            createdAt: row["createdAt"], createdBy: row["createdBy"], revokedAt: row["revokedAt"])
    }
}

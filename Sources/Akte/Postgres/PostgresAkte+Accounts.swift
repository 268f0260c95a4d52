import Foundation

/// Caseworkers' accounts and sessions, and the upload API's clients; as on the SQLite side.
extension PostgresAkte {
    public func addCaseworker(username: String, roles: Set<CaseworkerRole>, passwordHash: String, by actor: String) throws {
        try CaseworkerAccount.checkUsername(username)
        guard !roles.isEmpty else {
            throw AkteError.invalidInput(
                "an account needs at least one role (accepted: \(CaseworkerRole.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let at = now()
        try write { db in
            let inserted = try db.query(
                """
                INSERT INTO caseworkers (username, roles, passwordHash, disabled, failedLogins, createdAt, updatedAt)
                VALUES ($1, $2, $3, FALSE, 0, $4, $4) ON CONFLICT (username) DO NOTHING RETURNING username
                """, [username, AkteRules.encodeRoles(roles), passwordHash, at])
            guard !inserted.isEmpty else {
                throw AkteError.invalidInput("user '\(username)' exists already; change it with `users passwd` or pick another name")
            }
            try audit(db, .userAdded, actor: actor, details: ["username": .text(username), "roles": .list(roles.map(\.rawValue).sorted())])
        }
    }

    public func caseworkers() throws -> [CaseworkerAccount] {
        try read { db in try db.query("SELECT * FROM caseworkers ORDER BY username COLLATE \"C\"").map(Self.account) }
    }

    public func caseworker(_ username: String) throws -> CaseworkerAccount? {
        try read { db in try db.query("SELECT * FROM caseworkers WHERE username = $1", [username]).first.map(Self.account) }
    }

    public func setCaseworkerPassword(username: String, passwordHash: String, by actor: String) throws {
        try updateAccount(
            username, change: "password", by: actor,
            sql: "UPDATE caseworkers SET passwordHash = $1, failedLogins = 0, lockedUntil = NULL, updatedAt = $2 WHERE username = $3 RETURNING username",
            parameters: [passwordHash, now(), username])
    }

    public func setCaseworkerDisabled(username: String, _ disabled: Bool, by actor: String) throws {
        try updateAccount(
            username, change: disabled ? "disabled" : "enabled", by: actor,
            sql: "UPDATE caseworkers SET disabled = $1, updatedAt = $2 WHERE username = $3 RETURNING username",
            parameters: [disabled, now(), username])
    }

    private func updateAccount(
        _ username: String, change: String, by actor: String, sql: String, parameters: [any PostgresParameter]
    ) throws {
        try write { db in
            guard try db.query(sql, parameters).count == 1 else {
                throw AkteError.invalidInput("no user '\(username)'; list the accounts with `posteingang users list`")
            }
            try db.query("DELETE FROM caseworkerSessions WHERE username = $1", [username])
            try audit(db, .userChanged, actor: actor, details: ["username": .text(username), "change": .text(change)])
        }
    }

    public func login(username: String, password: String, address: String?) throws -> LoginOutcome {
        let stored: (CaseworkerAccount, String)? = try read { db in
            try db.query("SELECT * FROM caseworkers WHERE username = $1", [username]).first.map {
                (try Self.account($0), try $0.string("passwordHash"))
            }
        }
        let matches = PasswordHash.verify(password, against: stored?.1 ?? AkteRules.decoyHash)
        return try write { db -> LoginOutcome in
            func failed(_ reason: String) throws -> LoginOutcome {
                try audit(
                    db, .loginFailed, actor: AkteRules.anonymousActor,
                    details: ["claimedUsername": .text(username), "reason": .text(reason), "address": AuditDetail(address)])
                return stored?.0.disabled == true ? .disabled : .rejected
            }
            guard let (account, _) = stored else { return try failed("unknown_user") }
            if account.disabled { return try failed("disabled") }
            guard matches else {
                try db.query("UPDATE caseworkers SET failedLogins = failedLogins + 1 WHERE username = $1", [username])
                return try failed("wrong_password")
            }
            try db.query("UPDATE caseworkers SET failedLogins = 0, lockedUntil = NULL WHERE username = $1", [username])
            try audit(db, .login, actor: account.username, details: ["address": AuditDetail(address)])
            var fresh = account
            fresh.failedLogins = 0
            fresh.lockedUntil = nil
            return .success(fresh)
        }
    }

    public func recordLoginThrottled(username: String, address: String?, scope: String, waitSeconds: Int) throws {
        try write { db in
            try audit(
                db, .loginThrottled, actor: AkteRules.anonymousActor,
                details: [
                    "claimedUsername": .text(username), "address": AuditDetail(address), "scope": .text(scope),
                    "waitSeconds": .number(Double(waitSeconds)),
                ])
        }
    }

    public func openSession(sessionID: String, username: String, csrfToken: String, policy: LoginPolicy) throws {
        let at = now()
        try write { db in
            try db.query("DELETE FROM caseworkerSessions WHERE expiresAt < $1", [at])
            try db.query(
                """
                INSERT INTO caseworkerSessions (idHash, username, csrfToken, createdAt, lastSeenAt, expiresAt)
                VALUES ($1, $2, $3, $4, $4, $5)
                """,
                [SHA256Hex.of(sessionID), username, csrfToken, at, at.addingTimeInterval(min(policy.idleTimeout, policy.absoluteTimeout))])
        }
    }

    public func session(sessionID: String, policy: LoginPolicy) throws -> CaseworkerSession? {
        let at = now()
        let idHash = SHA256Hex.of(sessionID)
        return try write { db -> CaseworkerSession? in
            guard
                let row = try db.query(
                    """
                    SELECT caseworkers.*, s.csrfToken AS sessionCsrf, s.createdAt AS sessionCreatedAt, s.expiresAt AS sessionExpiresAt
                    FROM caseworkerSessions s JOIN caseworkers ON caseworkers.username = s.username
                    WHERE s.idHash = $1 FOR UPDATE OF s
                    """, [idHash]
                ).first
            else { return nil }
            let account = try Self.account(row)
            guard try row.date("sessionExpiresAt") > at, !account.disabled else {
                try db.query("DELETE FROM caseworkerSessions WHERE idHash = $1", [idHash])
                return nil
            }
            let renewed = min(at.addingTimeInterval(policy.idleTimeout), try row.date("sessionCreatedAt").addingTimeInterval(policy.absoluteTimeout))
            try db.query("UPDATE caseworkerSessions SET lastSeenAt = $1, expiresAt = $2 WHERE idHash = $3", [at, renewed, idHash])
            return CaseworkerSession(account: account, csrfToken: try row.string("sessionCsrf"), expiresAt: renewed)
        }
    }

    public func closeSession(sessionID: String) throws {
        let idHash = SHA256Hex.of(sessionID)
        try write { db in
            guard let username = try db.query("DELETE FROM caseworkerSessions WHERE idHash = $1 RETURNING username", [idHash])
                .first?["username"]
            else { return }
            try audit(db, .logout, actor: username)
        }
    }

    static func account(_ row: PostgresRow) throws -> CaseworkerAccount {
        let roles = try row.string("roles").split(separator: " ").compactMap { CaseworkerRole(rawValue: String($0)) }
        return CaseworkerAccount(
            username: try row.string("username"), roles: Set(roles), disabled: try row.bool("disabled"),
            failedLogins: try row.int("failedLogins"), lockedUntil: try row.optionalDate("lockedUntil"),
            createdAt: try row.date("createdAt"))
    }

    // MARK: - API clients

    public func issueAPIToken(client: String, caseID: String?, ratePerMinute: Int, by actor: String) throws -> IssuedAPIToken {
        let (token, secret) = try AkteRules.newAPIToken(client: client, caseID: caseID, ratePerMinute: ratePerMinute, by: actor, at: now())
        if let caseID, try !caseExists(caseID) { throw AkteError.unknownCase(caseID) }
        try write { db in
            try db.query(
                """
                INSERT INTO api_tokens (id, client, caseID, tokenSha256, ratePerMinute, createdAt, createdBy)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                """, [token.id, token.client, caseID, SHA256Hex.of(secret), ratePerMinute, token.createdAt, actor])
            try audit(
                db, .tokenIssued, actor: actor,
                details: [
                    "tokenID": .text(token.id), "client": .text(token.client), "case": AuditDetail(caseID),
                    "ratePerMinute": .number(Double(ratePerMinute)),
                ])
        }
        return IssuedAPIToken(token: token, secret: secret)
    }

    public func apiTokens() throws -> [APIToken] {
        try read { db in try db.query("SELECT * FROM api_tokens ORDER BY createdAt, id").map(Self.token) }
    }

    public func apiToken(secret: String) throws -> APIToken? {
        let digest = SHA256Hex.of(secret)
        return try read { db in
            try db.query("SELECT * FROM api_tokens WHERE tokenSha256 = $1 AND revokedAt IS NULL", [digest]).first.map(Self.token)
        }
    }

    public func revokeAPIToken(id: String, by actor: String) throws -> APIToken {
        let revokedAt = now()
        return try write { db in
            guard let row = try db.query("SELECT * FROM api_tokens WHERE id = $1 FOR UPDATE", [id]).first else {
                throw AkteError.invalidInput("no token with id '\(id)'; `posteingang tokens list` shows the ids")
            }
            var token = try Self.token(row)
            guard token.revokedAt == nil else { throw AkteError.invalidInput("token '\(id)' was already revoked") }
            try db.query("UPDATE api_tokens SET revokedAt = $1 WHERE id = $2", [revokedAt, id])
            try audit(db, .tokenRevoked, actor: actor, details: ["tokenID": .text(id), "client": .text(token.client)])
            token.revokedAt = revokedAt
            return token
        }
    }

    public func recordAPIUpload(_ upload: APIUpload, idempotencyKey: String?, answer: StoredAPIAnswer?) throws -> StoredAPIAnswer? {
        try write { db in
            if let idempotencyKey, let existing = try Self.storedAnswer(db, tokenID: upload.tokenID, key: idempotencyKey) {
                return existing
            }
            try db.query(
                """
                INSERT INTO api_uploads (uploadID, tokenID, client, caseID, fileName, parts, bytes, sha256, acceptedAt)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """,
                [
                    upload.uploadID, upload.tokenID, upload.client, upload.caseID, upload.fileName, upload.parts.count,
                    upload.bytes, upload.sha256, upload.acceptedAt,
                ])
            for (index, part) in upload.parts.enumerated() {
                try db.query(
                    "INSERT INTO api_upload_parts (uploadID, position, fileName, format, bytes, sha256) VALUES ($1, $2, $3, $4, $5, $6)",
                    [upload.uploadID, index + 1, part.fileName, part.format, part.bytes, part.sha256])
            }
            if let idempotencyKey, let answer {
                try db.query(
                    """
                    INSERT INTO api_idempotency (tokenID, key, requestSha256, uploadID, httpStatus, responseJSON, createdAt)
                    VALUES ($1, $2, $3, $4, $5, $6, $7)
                    """,
                    [upload.tokenID, idempotencyKey, answer.requestSha256, answer.uploadID, answer.httpStatus, answer.responseJSON, upload.acceptedAt])
            }
            return nil
        }
    }

    public func storedAPIAnswer(tokenID: String, key: String) throws -> StoredAPIAnswer? {
        try read { db in try Self.storedAnswer(db, tokenID: tokenID, key: key) }
    }

    public func apiUpload(id uploadID: String) throws -> APIUpload? {
        try read { db in
            guard let row = try db.query("SELECT * FROM api_uploads WHERE uploadID = $1", [uploadID]).first else { return nil }
            let parts = try db.query("SELECT * FROM api_upload_parts WHERE uploadID = $1 ORDER BY position", [uploadID]).map {
                APIUploadPart(fileName: try $0.string("fileName"), format: try $0.string("format"), bytes: try $0.int("bytes"), sha256: try $0.string("sha256"))
            }
            return APIUpload(
                uploadID: try row.string("uploadID"), tokenID: try row.string("tokenID"), client: try row.string("client"),
                caseID: row["caseID"], fileName: try row.string("fileName"), bytes: try row.int("bytes"),
                sha256: try row.string("sha256"), acceptedAt: try row.date("acceptedAt"), parts: parts)
        }
    }

    public func apiUploadCount() throws -> Int {
        try read { db in try db.query("SELECT COUNT(*) AS n FROM api_uploads").first?.int("n") ?? 0 }
    }

    private static func storedAnswer(_ db: PostgresConnection, tokenID: String, key: String) throws -> StoredAPIAnswer? {
        try db.query("SELECT * FROM api_idempotency WHERE tokenID = $1 AND key = $2", [tokenID, key]).first.map {
            StoredAPIAnswer(
                requestSha256: try $0.string("requestSha256"), uploadID: try $0.string("uploadID"),
                httpStatus: try $0.int("httpStatus"), responseJSON: try $0.string("responseJSON"))
        }
    }

    private static func token(_ row: PostgresRow) throws -> APIToken {
        APIToken(
            id: try row.string("id"), client: try row.string("client"), caseID: row["caseID"],
            ratePerMinute: try row.int("ratePerMinute"), createdAt: try row.date("createdAt"),
            createdBy: try row.string("createdBy"), revokedAt: try row.optionalDate("revokedAt"))
    }
}

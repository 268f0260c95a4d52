import Foundation
import GRDB

/// Caseworkers' accounts and browser sessions.
extension SQLiteAkte {
    // MARK: Accounts

    /// Adds an account; the name must be free. Audited as `user_added` by `actor`.
    public func addCaseworker(username: String, roles: Set<CaseworkerRole>, passwordHash: String, by actor: String) throws {
        try CaseworkerAccount.checkUsername(username)
        guard !roles.isEmpty else {
            throw AkteError.invalidInput(
                "an account needs at least one role (accepted: \(CaseworkerRole.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let at = now()
        try dbPool.write { db in
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM caseworkers WHERE username = ?", arguments: [username]) == nil
            else { throw AkteError.invalidInput("user '\(username)' exists already; change it with `users passwd` or pick another name") }
            try db.execute(
                sql: """
                    INSERT INTO caseworkers (username, roles, passwordHash, disabled, failedLogins, createdAt, updatedAt)
                    VALUES (?, ?, ?, 0, 0, ?, ?)
                    """,
                arguments: [username, AkteRules.encodeRoles(roles), passwordHash, at, at])
            try audit(db, .userAdded, actor: actor, details: ["username": .text(username), "roles": .list(roles.map(\.rawValue).sorted())])
        }
    }

    /// Every account, by name.
    public func caseworkers() throws -> [CaseworkerAccount] {
        try dbPool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM caseworkers ORDER BY username").map(Self.account)
        }
    }

    public func caseworker(_ username: String) throws -> CaseworkerAccount? {
        try dbPool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM caseworkers WHERE username = ?", arguments: [username]).map(Self.account)
        }
    }

    /// Sets a new password, clears the count of failed logins and ends the user's sessions.
    /// Audited as `user_changed` by `actor`.
    public func setCaseworkerPassword(username: String, passwordHash: String, by actor: String) throws {
        try updateAccount(
            username, change: "password", by: actor,
            sql: "UPDATE caseworkers SET passwordHash = ?, failedLogins = 0, lockedUntil = NULL, updatedAt = ? WHERE username = ?",
            arguments: [passwordHash, now(), username])
    }

    /// Disables (or enables again) an account; disabling ends its sessions at once. Audited as
    /// `user_changed` by `actor`.
    public func setCaseworkerDisabled(username: String, _ disabled: Bool, by actor: String) throws {
        try updateAccount(
            username, change: disabled ? "disabled" : "enabled", by: actor,
            sql: "UPDATE caseworkers SET disabled = ?, updatedAt = ? WHERE username = ?",
            arguments: [disabled, now(), username])
    }

    private func updateAccount(
        _ username: String, change: String, by actor: String, sql: String, arguments: StatementArguments
    ) throws {
        try dbPool.write { db in
            try db.execute(sql: sql, arguments: arguments)
            guard db.changesCount == 1 else {
                throw AkteError.invalidInput("no user '\(username)'; list the accounts with `posteingang users list`")
            }
            try db.execute(sql: "DELETE FROM caseworkerSessions WHERE username = ?", arguments: [username])
            try audit(db, .userChanged, actor: actor, details: ["username": .text(username), "change": .text(change)])
        }
    }

    // MARK: Login

    /// Checks a login and audits it: `login` with the account as actor, or `login_failed`
    /// with actor `anonym` and the name typed as a claim. The password is hashed outside the
    /// write transaction (it is slow on purpose); unknown names cost the same hashing time as
    /// known ones. No account is ever locked here: how often a name or an address may try is the
    /// caller's throttle (growing delays), so that nobody can lock a caseworker out by naming them.
    /// `address` is the client's address, for the trail.
    public func login(username: String, password: String, address: String?) throws -> LoginOutcome {
        let stored: (CaseworkerAccount, String)? = try dbPool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM caseworkers WHERE username = ?", arguments: [username]).map {
                (Self.account($0), $0["passwordHash"] as String)
            }
        }
        let matches = PasswordHash.verify(password, against: stored?.1 ?? AkteRules.decoyHash)
        return try dbPool.write { db -> LoginOutcome in
            func failed(_ reason: String) throws -> LoginOutcome {
                try audit(
                    db, .loginFailed, actor: AkteRules.anonymousActor,
                    details: ["claimedUsername": .text(username), "reason": .text(reason), "address": AuditDetail(address)])
                return stored?.0.disabled == true ? .disabled : .rejected
            }
            guard let (account, _) = stored else { return try failed("unknown_user") }
            if account.disabled { return try failed("disabled") }
            guard matches else {
                try db.execute(sql: "UPDATE caseworkers SET failedLogins = failedLogins + 1 WHERE username = ?", arguments: [username])
                return try failed("wrong_password")
            }
            try db.execute(sql: "UPDATE caseworkers SET failedLogins = 0, lockedUntil = NULL WHERE username = ?", arguments: [username])
            try audit(db, .login, actor: account.username, details: ["address": AuditDetail(address)])
            var fresh = account
            fresh.failedLogins = 0
            fresh.lockedUntil = nil
            return .success(fresh)
        }
    }

    /// Audits that logins for a name or from an address now wait (`login_throttled`): the
    /// throttle began. `scope` is `name` or `address`.
    public func recordLoginThrottled(username: String, address: String?, scope: String, waitSeconds: Int) throws {
        try dbPool.write { db in
            try audit(
                db, .loginThrottled, actor: AkteRules.anonymousActor,
                details: [
                    "claimedUsername": .text(username), "address": AuditDetail(address), "scope": .text(scope),
                    "waitSeconds": .number(Double(waitSeconds)),
                ])
        }
    }

    // MARK: Sessions

    /// Opens a session; only the SHA-256 of `sessionID` is stored.
    public func openSession(sessionID: String, username: String, csrfToken: String, policy: LoginPolicy) throws {
        let at = now()
        try dbPool.write { db in
            try db.execute(sql: "DELETE FROM caseworkerSessions WHERE expiresAt < ?", arguments: [at])
            try db.execute(
                sql: """
                    INSERT INTO caseworkerSessions (idHash, username, csrfToken, createdAt, lastSeenAt, expiresAt)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    SHA256Hex.of(sessionID), username, csrfToken, at, at,
                    at.addingTimeInterval(min(policy.idleTimeout, policy.absoluteTimeout)),
                ])
        }
    }

    /// The live session with this id, its idle time renewed; nil when unknown, expired or the
    /// account is disabled.
    public func session(sessionID: String, policy: LoginPolicy) throws -> CaseworkerSession? {
        let at = now()
        let idHash = SHA256Hex.of(sessionID)
        return try dbPool.write { db -> CaseworkerSession? in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT caseworkers.*, s.csrfToken AS sessionCsrf, s.createdAt AS sessionCreatedAt, s.expiresAt AS sessionExpiresAt
                        FROM caseworkerSessions s JOIN caseworkers ON caseworkers.username = s.username
                        WHERE s.idHash = ?
                        """, arguments: [idHash])
            else { return nil }
            let account = Self.account(row)
            let expires: Date = row["sessionExpiresAt"]
            guard expires > at, !account.disabled else {
                try db.execute(sql: "DELETE FROM caseworkerSessions WHERE idHash = ?", arguments: [idHash])
                return nil
            }
            let created: Date = row["sessionCreatedAt"]
            let renewed = min(at.addingTimeInterval(policy.idleTimeout), created.addingTimeInterval(policy.absoluteTimeout))
            try db.execute(
                sql: "UPDATE caseworkerSessions SET lastSeenAt = ?, expiresAt = ? WHERE idHash = ?",
                arguments: [at, renewed, idHash])
            return CaseworkerSession(account: account, csrfToken: row["sessionCsrf"], expiresAt: renewed)
        }
    }

    /// Ends a session (logout), audited as `logout` by the session's account.
    public func closeSession(sessionID: String) throws {
        let idHash = SHA256Hex.of(sessionID)
        try dbPool.write { db in
            guard
                let username = try String.fetchOne(
                    db, sql: "SELECT username FROM caseworkerSessions WHERE idHash = ?", arguments: [idHash])
            else { return }
            try db.execute(sql: "DELETE FROM caseworkerSessions WHERE idHash = ?", arguments: [idHash])
            try audit(db, .logout, actor: username)
        }
    }

    // MARK: Rows

    static func account(_ row: Row) -> CaseworkerAccount {
        let roles = (row["roles"] as String).split(separator: " ").compactMap { CaseworkerRole(rawValue: String($0)) }
        return CaseworkerAccount(
            username: row["username"], roles: Set(roles), disabled: row["disabled"], failedLogins: row["failedLogins"],
            lockedUntil: row["lockedUntil"], createdAt: row["createdAt"])
    }
}

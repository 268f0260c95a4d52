import Foundation
import GRDB

/// Caseworkers' accounts and browser sessions.
extension SQLiteAkte {
    // MARK: Accounts

    /// Adds an account; the name must be free.
    public func addCaseworker(username: String, roles: Set<CaseworkerRole>, passwordHash: String) throws {
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
                arguments: [username, Self.encodeRoles(roles), passwordHash, at, at])
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

    /// Sets a new password, lifts a lockout and ends the user's sessions.
    public func setCaseworkerPassword(username: String, passwordHash: String) throws {
        try updateAccount(
            username, sql: "UPDATE caseworkers SET passwordHash = ?, failedLogins = 0, lockedUntil = NULL, updatedAt = ? WHERE username = ?",
            arguments: [passwordHash, now(), username])
    }

    /// Disables (or enables again) an account; disabling ends its sessions at once.
    public func setCaseworkerDisabled(username: String, _ disabled: Bool) throws {
        try updateAccount(
            username, sql: "UPDATE caseworkers SET disabled = ?, updatedAt = ? WHERE username = ?",
            arguments: [disabled, now(), username])
    }

    private func updateAccount(_ username: String, sql: String, arguments: StatementArguments) throws {
        try dbPool.write { db in
            try db.execute(sql: sql, arguments: arguments)
            guard db.changesCount == 1 else {
                throw AkteError.invalidInput("no user '\(username)'; list the accounts with `posteingang users list`")
            }
            try db.execute(sql: "DELETE FROM caseworkerSessions WHERE username = ?", arguments: [username])
        }
    }

    // MARK: Login

    /// Checks a login. The password is hashed outside the write transaction (it is slow on
    /// purpose); unknown users cost the same hashing time as known ones. `policy` decides when
    /// failures lock the account.
    public func login(username: String, password: String, policy: LoginPolicy = LoginPolicy()) throws -> LoginOutcome {
        let stored: (CaseworkerAccount, String)? = try dbPool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM caseworkers WHERE username = ?", arguments: [username]).map {
                (Self.account($0), $0["passwordHash"] as String)
            }
        }
        guard let stored else {
            _ = PasswordHash.verify(password, against: Self.decoyHash)
            return .rejected
        }
        let (account, hash) = stored
        let at = now()
        if account.disabled { return .disabled }
        if let until = account.lockedUntil, until > at { return .locked(until: until) }
        let matches = PasswordHash.verify(password, against: hash)
        return try dbPool.write { db -> LoginOutcome in
            if matches {
                try db.execute(
                    sql: "UPDATE caseworkers SET failedLogins = 0, lockedUntil = NULL WHERE username = ?", arguments: [username])
                var fresh = account
                fresh.failedLogins = 0
                fresh.lockedUntil = nil
                return .success(fresh)
            }
            let failures = (try Int.fetchOne(db, sql: "SELECT failedLogins FROM caseworkers WHERE username = ?", arguments: [username]) ?? 0) + 1
            if failures >= policy.maxFailedLogins {
                let until = at.addingTimeInterval(policy.lockout)
                try db.execute(
                    sql: "UPDATE caseworkers SET failedLogins = 0, lockedUntil = ? WHERE username = ?", arguments: [until, username])
                return .locked(until: until)
            }
            try db.execute(sql: "UPDATE caseworkers SET failedLogins = ? WHERE username = ?", arguments: [failures, username])
            return .rejected
        }
    }

    /// A hash to check wrong user names against, so that they take as long as wrong passwords.
    private static let decoyHash = (try? PasswordHash.make("decoy-password-for-unknown-users")) ?? ""

    // MARK: Sessions

    /// Opens a session; only the SHA-256 of `sessionID` is stored.
    public func openSession(sessionID: String, username: String, csrfToken: String, policy: LoginPolicy = LoginPolicy()) throws {
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
    public func session(sessionID: String, policy: LoginPolicy = LoginPolicy()) throws -> CaseworkerSession? {
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

    /// Ends a session (logout).
    public func closeSession(sessionID: String) throws {
        try dbPool.write { db in
            try db.execute(sql: "DELETE FROM caseworkerSessions WHERE idHash = ?", arguments: [SHA256Hex.of(sessionID)])
        }
    }

    // MARK: Rows

    static func encodeRoles(_ roles: Set<CaseworkerRole>) -> String {
        roles.map(\.rawValue).sorted().joined(separator: " ")
    }

    static func account(_ row: Row) -> CaseworkerAccount {
        let roles = (row["roles"] as String).split(separator: " ").compactMap { CaseworkerRole(rawValue: String($0)) }
        return CaseworkerAccount(
            username: row["username"], roles: Set(roles), disabled: row["disabled"], failedLogins: row["failedLogins"],
            lockedUntil: row["lockedUntil"], createdAt: row["createdAt"])
    }
}

import Foundation

/// Caseworkers' accounts, logins and browser sessions.
public protocol CaseworkerStore: Sendable {
    /// Adds an account; the name must be free. Audited as `user_added` by `actor`.
    func addCaseworker(username: String, roles: Set<CaseworkerRole>, passwordHash: String, by actor: String) throws
    /// Every account, by name.
    func caseworkers() throws -> [CaseworkerAccount]
    func caseworker(_ username: String) throws -> CaseworkerAccount?
    /// Sets a new password, clears failed logins and ends the user's sessions (`user_changed`).
    func setCaseworkerPassword(username: String, passwordHash: String, by actor: String) throws
    /// Disables (or enables again) an account; disabling ends its sessions (`user_changed`).
    func setCaseworkerDisabled(username: String, _ disabled: Bool, by actor: String) throws
    /// Checks a login and audits it (`login` or `login_failed`).
    func login(username: String, password: String, address: String?) throws -> LoginOutcome
    /// Audits that logins for a name or from an address now wait (`login_throttled`).
    func recordLoginThrottled(username: String, address: String?, scope: String, waitSeconds: Int) throws
    /// Opens a session; only the SHA-256 of `sessionID` is stored.
    func openSession(sessionID: String, username: String, csrfToken: String, policy: LoginPolicy) throws
    /// The live session with this id, its idle time renewed; nil when unknown, expired or disabled.
    func session(sessionID: String, policy: LoginPolicy) throws -> CaseworkerSession?
    /// Ends a session (logout), audited as `logout` by the session's account.
    func closeSession(sessionID: String) throws
}

extension CaseworkerStore {
    public func login(username: String, password: String) throws -> LoginOutcome {
        try login(username: username, password: password, address: nil)
    }

    public func openSession(sessionID: String, username: String, csrfToken: String) throws {
        try openSession(sessionID: sessionID, username: username, csrfToken: csrfToken, policy: LoginPolicy())
    }

    public func session(sessionID: String) throws -> CaseworkerSession? {
        try session(sessionID: sessionID, policy: LoginPolicy())
    }
}

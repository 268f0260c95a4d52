import Foundation

/// What a caseworker may do on the web pages. `sachbearbeitung` works the inbox, review and case
/// files; `gesundheit` adds health data (sick notes, documents marked sensitive);
/// `datenschutz` reads who saw which household's documents (the data-protection officer).
public enum CaseworkerRole: String, Sendable, CaseIterable, Codable {
    /// Works the inbox, the review queue and the case files.
    case sachbearbeitung
    /// May also open health data (Art. 9 GDPR): sick notes and documents marked sensitive.
    case gesundheit
    /// May read the access log: who opened which household's documents (Art. 15 GDPR).
    case datenschutz

    /// Parses a role name; the error lists the accepted ones.
    public static func parse(_ name: String) throws -> CaseworkerRole {
        guard let role = CaseworkerRole(rawValue: name.lowercased()) else {
            throw AkteError.invalidInput(
                "unknown role '\(name)' (accepted: \(allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return role
    }
}

/// A caseworker's account (without the password hash).
public struct CaseworkerAccount: Sendable, Equatable {
    public var username: String
    public var roles: Set<CaseworkerRole>
    public var disabled: Bool
    /// Failed logins since the last successful one.
    public var failedLogins: Int
    /// Set by older versions, which locked accounts; no longer set or obeyed.
    public var lockedUntil: Date?
    public var createdAt: Date

    /// Whether the account may open health data.
    public var mayOpenHealthData: Bool { roles.contains(.gesundheit) }

    /// Login names: lower-case letters, digits, `.`, `_`, `-`, 2 to 64 characters.
    public static func checkUsername(_ name: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (2...64).contains(name.count), name.allSatisfy(allowed.contains), name.first!.isLetter else {
            throw AkteError.invalidInput(
                "user name '\(name)' is not accepted (2 to 64 characters: lower-case letters, digits, '.', '_', '-', starting with a letter)"
            )
        }
    }
}

/// How long sessions last. (Failed logins are slowed down by the web server's throttle; no
/// account is locked.)
public struct LoginPolicy: Sendable {
    /// A session ends after this long without a request.
    public var idleTimeout: TimeInterval = 60 * 60
    /// A session ends this long after login, however busy.
    public var absoluteTimeout: TimeInterval = 10 * 60 * 60

    public init() {}
}

/// The answer to a login attempt.
public enum LoginOutcome: Sendable, Equatable {
    case success(CaseworkerAccount)
    /// Unknown user or wrong password (the two are not told apart).
    case rejected
    case disabled
}

/// A logged-in browser: who, and the token its forms must carry.
public struct CaseworkerSession: Sendable, Equatable {
    public var account: CaseworkerAccount
    public var csrfToken: String
    public var expiresAt: Date
}

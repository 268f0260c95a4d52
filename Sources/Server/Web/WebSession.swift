import Akte
import Foundation
import Hummingbird

/// A caseworker whose session cookie checked out, with what the page needs of the session.
struct LoggedInCaseworker: Sendable {
    var identity: CaseworkerIdentity
    var sessionID: String
    var csrfToken: String
    /// Documents waiting for review that this caseworker may see, for the navigation's counter
    /// (nil where not counted: error pages before the check).
    var openReviews: Int?

    var mayOpenHealthData: Bool { identity.roles.contains(CaseworkerRole.gesundheit.rawValue) }
    var mayUsePages: Bool { identity.roles.contains(CaseworkerRole.sachbearbeitung.rawValue) }
    var mayReadAccessLog: Bool { identity.roles.contains(CaseworkerRole.datenschutz.rawValue) }
}

/// Session cookies, CSRF tokens and form bodies.
///
/// The session id is 32 random bytes in a cookie (`HttpOnly`, `SameSite=Strict`, `Secure` when
/// the server sits behind TLS); the E-Akte keeps only its SHA-256. Every form carries the
/// session's CSRF token; a POST whose token is missing or wrong is answered 403. The login form,
/// before any session, carries a token that must match a short-lived `posteingang_login` cookie.
struct WebSession: Sendable {
    static let cookieName = "posteingang_session"
    static let loginCookieName = "posteingang_login"
    static let csrfFieldName = "csrf"
    /// Form bodies are small; anything larger is refused.
    static let maxFormBytes = 64 * 1024

    let akte: any AkteStore
    let secureCookies: Bool
    let policy: LoginPolicy

    /// The logged-in caseworker, or nil (no cookie, unknown, expired or disabled).
    func caseworker(for request: Request) throws -> LoggedInCaseworker? {
        guard let sessionID = request.cookies[Self.cookieName]?.value, !sessionID.isEmpty, sessionID.count <= 128 else {
            return nil
        }
        guard let session = try akte.session(sessionID: sessionID, policy: policy) else { return nil }
        return LoggedInCaseworker(
            identity: CaseworkerIdentity(
                username: session.account.username, roles: Set(session.account.roles.map(\.rawValue))),
            sessionID: sessionID, csrfToken: session.csrfToken)
    }

    /// Opens a session for `username`; returns the `Set-Cookie` value.
    func open(for username: String) throws -> String {
        let sessionID = try SecureRandom.hex(32)
        try akte.openSession(sessionID: sessionID, username: username, csrfToken: try SecureRandom.hex(32), policy: policy)
        return cookie(Self.cookieName, sessionID, path: "/", maxAge: nil)
    }

    /// A `Set-Cookie` value; `maxAge` 0 deletes the cookie.
    func cookie(_ name: String, _ value: String, path: String, maxAge: Int?) -> String {
        var parts = ["\(name)=\(value)", "Path=\(path)", "HttpOnly", "SameSite=Strict"]
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        if secureCookies { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }

    /// Runs slow blocking work (password hashing) on a Dispatch thread, not on Swift's
    /// cooperative pool, which has one thread per core.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Whether the posted token is this session's (compared in constant time).
    static func tokenMatches(_ posted: String?, _ expected: String) -> Bool {
        guard let posted, !expected.isEmpty else { return false }
        return PasswordHash.constantTimeEqual(Array(posted.utf8), Array(expected.utf8))
    }
}

/// A parsed `application/x-www-form-urlencoded` body.
struct FormBody: Sendable {
    var values: [String: String]

    subscript(_ key: String) -> String? { values[key] }

    /// The trimmed value, nil when absent or blank.
    func text(_ key: String) -> String? {
        guard let value = values[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    enum Problem: Error, CustomStringConvertible {
        case wrongContentType(String?)
        case tooLarge(limit: Int)

        var description: String {
            switch self {
            case .wrongContentType(let type):
                return "Formulardaten erwartet (application/x-www-form-urlencoded), erhalten: \(type ?? "kein Content-Type")"
            case .tooLarge(let limit):
                return "Formulardaten größer als \(limit / 1024) KiB werden nicht angenommen"
            }
        }
    }

    static func read(_ request: Request) async throws -> FormBody {
        let type = request.headers[.contentType]
        guard let type, type.lowercased().hasPrefix("application/x-www-form-urlencoded") else {
            throw Problem.wrongContentType(type)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: WebSession.maxFormBytes)
        } catch {
            throw Problem.tooLarge(limit: WebSession.maxFormBytes)
        }
        return FormBody(parsing: String(buffer: buffer))
    }

    init(parsing text: String) {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let key = decode(parts[0])
            if values[key] == nil { values[key] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        self.values = values
    }
}

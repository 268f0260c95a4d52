import Foundation

/// What happened, in the audit trail.
public enum AuditAction: String, Sendable, Codable, Equatable, CaseIterable {
    case received
    case classified
    case filed
    case movedToReview = "moved_to_review"
    case quarantined
    case refused
    case corrected
    case reviewResolved = "review_resolved"
    case viewed
    case exported
    /// Someone was refused a view (health data without the role).
    case accessDenied = "access_denied"
    /// A caseworker marked a finding as checked ("geprüft"), with a note.
    case findingReviewed = "finding_reviewed"
    /// A caseworker recorded that documents were asked for (a request with its due date).
    case requestAdded = "request_added"
    /// A caseworker took a request back (closed it), with a note.
    case requestClosed = "request_closed"
    /// A caseworker logged in (the actor is the account).
    case login
    /// A login was refused: unknown name, wrong password or disabled account (the actor is
    /// `anonym`; the name typed is a claim in the details).
    case loginFailed = "login_failed"
    /// Too many failed logins for a name or from an address: further attempts wait.
    case loginThrottled = "login_throttled"
    case logout
    /// An account was added (`users add`).
    case userAdded = "user_added"
    /// An account's password was set, or it was disabled or enabled again.
    case userChanged = "user_changed"
    /// An API token was issued or revoked.
    case tokenIssued = "token_issued"
    case tokenRevoked = "token_revoked"
    /// A document's work state changed (neu, in Bearbeitung, erledigt).
    case workStateChanged = "work_state_changed"
    /// A document was given to a caseworker or team (or taken back).
    case workAssigned = "work_assigned"
    /// A caseworker added a note to a document (the trail keeps the note's number, not its text).
    case noteAdded = "note_added"
    /// A follow-up day (Wiedervorlage) was set or cleared.
    case followUpSet = "follow_up_set"
    /// Someone read a household's access log (the data-protection page): that read is itself
    /// access to personal data.
    case accessLogRead = "access_log_read"
}

extension AuditAction {
    /// The actions that show someone looked at a document (or was refused): the answer to
    /// "who saw my documents" (Art. 15 GDPR).
    public static let documentAccess: [AuditAction] = [.viewed, .exported, .accessDenied]
}

/// One entry of the append-only, hash-chained audit trail.
public struct AuditEntry: Sendable, Equatable {
    /// 1, 2, 3 … without gaps.
    public var seq: Int64
    public var at: Date
    /// Who, as authenticated: a caseworker's login, an API client (its token's client name), a
    /// worker of the daemon, the operator on the command line. Never a name a client sent: such
    /// a name is a claim, kept in `details` (e.g. `claimedSubmitter`).
    public var actor: String
    public var action: AuditAction
    public var documentID: String?
    public var uploadID: String?
    /// What changed, as a JSON object.
    public var details: String
    /// The previous entry's hash (64 zeros for the first).
    public var previousHash: String
    /// SHA-256 over this entry's content and `previousHash`.
    public var hash: String
}

/// The result of `verifyAuditChain()`.
public struct AuditChainReport: Sendable, Equatable {
    /// How entries fail the check.
    public enum Problem: String, Sendable, Equatable {
        /// The entry's content no longer matches its hash.
        case altered
        /// The entry is gone (a gap in the sequence, or the end of the trail cut off).
        case missing
        /// The entry does not chain to the one before it: that one was rewritten.
        case brokenLink = "broken_link"
    }

    /// The first entry that fails, and how.
    public struct Break: Sendable, Equatable, CustomStringConvertible {
        public var seq: Int64
        public var problem: Problem

        public var description: String {
            switch problem {
            case .altered: return "audit entry \(seq) was altered after it was written"
            case .missing: return "audit entry \(seq) is missing"
            case .brokenLink: return "audit entry \(seq) does not chain to entry \(seq - 1): that entry was rewritten"
            }
        }
    }

    public var checkedEntries: Int
    /// The last intact entry's hash; keep it outside the database to detect a rewritten trail.
    public var headHash: String
    public var firstBreak: Break?

    public var isIntact: Bool { firstBreak == nil }
}

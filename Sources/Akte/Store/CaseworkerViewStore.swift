import Foundation

/// The caseworkers' pages' reads: without health data unless asked, every view audited.
public protocol CaseworkerViewStore: Sendable {
    /// One page of the inbox in the filter's order (documents without a case first).
    func caseworkerInbox(_ filter: InboxFilter) throws -> [CaseworkerListEntry]
    /// How many documents the filter lets through (all pages together).
    func caseworkerInboxCount(_ filter: InboxFilter) throws -> Int
    /// Documents waiting for review that this caseworker may see.
    func caseworkerReviewCount(includeHealthData: Bool) throws -> Int
    /// The review queue, oldest first.
    func caseworkerReviewQueue(includeHealthData: Bool) throws -> [CaseworkerListEntry]
    /// Full-text search; `complete` is false when it stopped at `SearchHit.limit` hits.
    func caseworkerSearch(_ text: String, includeHealthData: Bool) throws -> (hits: [SearchHit], complete: Bool)
    /// Whether and what of a document may be shown; not audited.
    func documentAccess(id: String) throws -> DocumentAccess
    /// Audits a view of part of a document (`what`: `original`, `pdf`, `page_image`, `thumbnail`).
    func recordView(documentID: String, by viewer: String, what: String) throws
    /// Audits a refused view (health data to someone without the role).
    func recordAccessDenied(documentID: String, by viewer: String, what: String, reason: String) throws
}

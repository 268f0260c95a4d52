import Foundation

/// A caseworker's "geprüft" on a finding: who looked at it, when, and what they noted.
/// The finding itself is computed afresh from the documents each time; the review is kept by its
/// stable key (code and documents), so it holds as long as the documents it rests on are the same.
public struct FindingReview: Sendable, Equatable {
    public var bgNummer: String
    /// The finding's stable key, e.g. `kdu_over_limit:6f1c…`.
    public var findingKey: String
    /// The finding's code, e.g. `kdu_over_limit`.
    public var code: String
    public var note: String
    public var reviewedBy: String
    public var reviewedAt: Date

    public init(bgNummer: String, findingKey: String, code: String, note: String, reviewedBy: String, reviewedAt: Date) {
        self.bgNummer = bgNummer
        self.findingKey = findingKey
        self.code = code
        self.note = note
        self.reviewedBy = reviewedBy
        self.reviewedAt = reviewedAt
    }
}

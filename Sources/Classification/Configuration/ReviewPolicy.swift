/// When a document goes to a person instead of being filed automatically.
public struct ReviewPolicy: Sendable {
    /// Confidence (0...1) the winning class needs; below it the document is reviewed.
    public var minimumConfidence: Double
    /// Relative score gap (0...1) to the runner-up class the winner needs.
    public var minimumMargin: Double
    /// Whether a doubtful field (bad IBAN checksum, sum mismatch, impossible date) sends
    /// the document to review.
    public var doubtfulFieldsNeedReview: Bool

    public init(minimumConfidence: Double, minimumMargin: Double, doubtfulFieldsNeedReview: Bool) {
        self.minimumConfidence = minimumConfidence
        self.minimumMargin = minimumMargin
        self.doubtfulFieldsNeedReview = doubtfulFieldsNeedReview
    }
}

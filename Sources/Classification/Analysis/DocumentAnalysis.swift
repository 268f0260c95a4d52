/// Everything the classification step found out about one document: its class, its
/// fields, its case, and whether a person has to look at it (and why).
public struct DocumentAnalysis: Sendable, Codable, Equatable {
    public var classification: Classification
    /// Fields of the winning class that were found (missing ones are absent).
    public var fields: [ExtractedField]
    public var caseMatch: CaseMatch
    /// True when the document must not be filed without a person's look.
    public var needsReview: Bool
    /// Why it needs review, one reason per entry, in words a caseworker understands.
    public var reviewReasons: [String]
    /// True for health data (sick notes): restricted handling.
    public var sensitive: Bool
    /// The learned classifier's vote, when a model is loaded (`pipeline.model.json`).
    public var model: ModelVote? = nil
    /// What the field locations learned from corrections did (`pipeline.fields.json`), when
    /// they were tried.
    public var learnedFields: [LearnedFieldNote]? = nil

    /// The field with `key`, if found.
    public func field(_ key: String) -> ExtractedField? {
        fields.first { $0.key == key }
    }
}

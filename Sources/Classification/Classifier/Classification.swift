/// Which class a document was given, how sure the classifier is, and why.
public struct Classification: Sendable, Codable, Equatable {
    /// Winning class id (the fallback class when no class reached its threshold).
    public var classID: String
    /// German label of the winning class.
    public var label: String
    /// 0...1: share of the evidence that speaks for the winner, damped when its score is
    /// barely above its threshold.
    public var confidence: Double
    /// The best-scoring other class, if any rule of it fired.
    public var runnerUp: String?
    /// 0...1: relative score gap between winner and runner-up (`(w − r) / w`). For the
    /// fallback class: how far the best class stayed below its threshold.
    public var margin: Double
    /// True when no class reached its threshold and the fallback class was chosen.
    public var isFallback: Bool
    /// Score of every class with the rules that fired, best first.
    public var scores: [ClassScore]
}

/// One class's score with the evidence behind it.
public struct ClassScore: Sendable, Codable, Equatable {
    public var classID: String
    /// Sum of weights of positive rules minus weights of negative rules that fired.
    public var score: Double
    public var threshold: Double
    public var reachedThreshold: Bool
    public var firedRules: [FiredRule]
}

/// A rule that fired, where, and what it saw: the raw material of an explanation.
public struct FiredRule: Sendable, Codable, Equatable {
    /// The rule as configured: `phrase 'Mietvertrag'` or `pattern '…'`.
    public var rule: String
    public var weight: Double
    public var negative: Bool
    /// Line (from 1, across pages) of the first occurrence.
    public var line: Int
    /// Page (from 1) of the first occurrence.
    public var page: Int
    /// The folded text that matched (at most 60 characters).
    public var matched: String
}

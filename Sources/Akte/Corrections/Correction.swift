import Foundation

/// What a caseworker corrected.
public enum CorrectionKind: String, Sendable, Codable, Equatable, CaseIterable {
    case caseAssignment = "case"
    case documentClass = "class"
    case field
    case review
}

/// A caseworker's correction, kept beside (never over) what the machine said.
public struct Correction: Sendable, Equatable {
    public var id: Int64
    public var documentID: String
    public var kind: CorrectionKind
    /// The field key, for `.field`.
    public var key: String?
    /// What the machine said (for measuring the rules against caseworkers).
    public var machineValue: String?
    /// What held just before this correction.
    public var previousValue: String?
    public var newValue: String?
    public var actor: String
    public var at: Date
}

/// The case (household) a document belongs to, how that was decided, and why.
///
/// `caseID` is set only when all evidence points to exactly one household; filing a
/// document in the wrong case is a data breach, so any doubt leaves it nil.
public struct CaseMatch: Sendable, Codable, Equatable {
    /// How the case was found.
    public enum Route: String, Sendable, Codable, CaseIterable {
        /// The uploader named the case in a sidecar file.
        case sidecar
        /// A barcode (cover sheet, Data Matrix) carried the BG-Nummer.
        case barcode
        /// A BG-Nummer or Kundennummer in the text.
        case number
        /// Name and address of a registered person in the text.
        case name
        /// No case: a person must decide.
        case none
    }

    /// Normalised case number, nil when no single household is certain.
    public var caseID: String?
    public var route: Route
    /// Human-readable account of the evidence and the decision.
    public var reasons: [String]
    /// Households the evidence pointed to, for the reviewer.
    public var candidates: [CaseCandidate]
}

/// A household some evidence pointed to.
public struct CaseCandidate: Sendable, Codable, Equatable {
    public var caseID: String
    /// What pointed to it: `BG-Nummer on line 3`, `name and postcode on line 1`, …
    public var evidence: [String]
}

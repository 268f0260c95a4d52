/// The case (household) a document belongs to, how that was decided, and why.
///
/// `caseID` is set only when all evidence points to exactly one household; filing a
/// document in the wrong case is a data breach, so any doubt leaves it nil. Made only by
/// `CaseMatcher`; the processing result and the stored record read it from here.
public struct CaseMatch: Sendable, Codable, Equatable {
    /// How the case was found.
    public enum Route: String, Sendable, Codable, CaseIterable {
        /// The operator's own sidecar named the case (`posteingang process`).
        case sidecar
        /// A sidecar sent through a channel the operator trusts named the case.
        case trustedChannel = "trusted_channel"
        /// The cover sheet before the document in a batch named the case.
        case coverSheet = "cover_sheet"
        /// A barcode (Data Matrix, QR) carried the BG-Nummer.
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
    /// The evidence and the decision, in German and English.
    public var reasons: [CaseReason]
    /// Households the evidence pointed to, for the reviewer.
    public var candidates: [CaseCandidate]

    public init(caseID: String?, route: Route, reasons: [CaseReason], candidates: [CaseCandidate]) {
        self.caseID = caseID
        self.route = route
        self.reasons = reasons
        self.candidates = candidates
    }
}

/// A household some evidence pointed to.
public struct CaseCandidate: Sendable, Codable, Equatable {
    public var caseID: String
    /// What pointed to it, in German: `BG-Nummer 96301BG0012345 in Zeile 3`, …
    public var evidence: [String]
}

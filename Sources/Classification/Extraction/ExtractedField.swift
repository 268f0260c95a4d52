/// A field found in a document: the normalised value and where it came from.
public struct ExtractedField: Sendable, Codable, Equatable {
    /// Contract key, e.g. `gesamtmiete`.
    public var key: String
    public var type: FieldType
    /// Normalised value per the contract (`"1234.56"`, `"2025-03-01"`, …).
    public var value: String
    /// Text the value was read from.
    public var raw: String
    /// True when the value is readable but fails a check; `reason` says which.
    public var doubtful: Bool
    public var reason: String?
    /// Line (from 1, across pages) the value stands on.
    public var line: Int
    /// The configured label the value was anchored to (as configured), or `pattern` when
    /// the field's pattern found it.
    public var anchor: String
    /// Outcome of every configured check that could be evaluated.
    public var checks: [CheckOutcome]
}

/// The result of one plausibility check on a field.
public struct CheckOutcome: Sendable, Codable, Equatable {
    /// The check as configured: `sum_of [kaltmiete, nebenkosten, heizkosten]`.
    public var check: String
    public var passed: Bool
    /// What was compared, in words.
    public var detail: String
}

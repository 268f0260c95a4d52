/// A value read from text and normalised per the contract.
///
/// A value that was readable but fails a plausibility check (a date that does not exist,
/// an IBAN with a bad checksum) is kept with `doubtful = true` and a reason, never dropped
/// and never silently accepted.
public struct ParsedValue: Sendable, Equatable, Codable {
    /// Normalised value, e.g. `"1234.56"`, `"2025-03-01"`, `"DE89370400440532013000"`.
    public var normalized: String
    /// The text the value was read from, as it stands in the document.
    public var raw: String
    /// True when the value is readable but implausible; `reason` says why.
    public var doubtful: Bool
    /// Why the value is doubtful, in words a caseworker understands.
    public var reason: String?

    public init(normalized: String, raw: String, doubtful: Bool = false, reason: String? = nil) {
        self.normalized = normalized
        self.raw = raw
        self.doubtful = doubtful
        self.reason = reason
    }
}

/// A value found inside a longer string, with its place (UTF-16 offsets) in that string.
public struct ValueMatch: Sendable {
    public var value: ParsedValue
    public var range: Range<Int>

    public init(value: ParsedValue, range: Range<Int>) {
        self.value = value
        self.range = range
    }
}

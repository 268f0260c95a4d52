/// One kind of document the mailroom recognises, with the rules that point to it and the
/// fields a caseworker needs from it.
public struct DocumentClass: Sendable {
    /// Stable identifier, e.g. `mietvertrag`.
    public var id: String
    /// German name shown to caseworkers.
    public var label: String
    /// Health data (Art. 9 GDPR) or identity documents: restricted handling, always reviewed.
    public var sensitive: Bool
    /// Score the rules must reach for the document to be this class.
    public var threshold: Double
    /// Evidence for (or, when negative, against) this class.
    public var rules: [ClassRule]
    /// Fields extracted when the document is this class.
    public var fields: [FieldDefinition]
    /// Why the class is sensitive, in the words shown to caseworkers (`sensitive_reason`);
    /// nil means health data (Art. 9 GDPR), the reason sick notes are sensitive.
    public var sensitiveReason: String? = nil

    /// The review reason of a sensitive class.
    public var sensitivityNote: String { sensitiveReason ?? "Gesundheitsdaten, Art. 9 DSGVO" }
}

/// A phrase or pattern that counts for or against a class.
public struct ClassRule: Sendable {
    /// What the rule looks for.
    public enum Matcher: Sendable {
        /// Literal text, compared folded (case, umlauts) and without spaces or hyphens; a
        /// rule may list spelling variants (OCR slips), and fires once if any is found.
        case phrase([String])
        /// Regular expression on the folded text (lower case, `ä` → `ae`, single spaces).
        case pattern(ConfiguredPattern)
    }

    public var matcher: Matcher
    /// Points added (or, for a negative rule, taken away) when the rule fires.
    public var weight: Double
    /// A negative rule speaks against the class.
    public var negative: Bool
    /// Phrase variants in their compact folded form (UTF-8), precomputed.
    let compactPhrases: [[UInt8]]

    init(matcher: Matcher, weight: Double, negative: Bool) {
        self.matcher = matcher
        self.weight = weight
        self.negative = negative
        if case .phrase(let variants) = matcher {
            compactPhrases = variants.map { Array(TextFolding.compact($0).utf8) }
        } else {
            compactPhrases = []
        }
    }

    /// The rule as written, for explanations: `phrase 'Mietvertrag'` or `pattern '…'`.
    public var summary: String {
        switch matcher {
        case .phrase(let variants): return "phrase '\(variants.joined(separator: "' | '"))'"
        case .pattern(let pattern): return "pattern '\(pattern.source)'"
        }
    }
}

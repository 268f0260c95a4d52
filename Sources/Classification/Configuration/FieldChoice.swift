/// One allowed value of a choice field and the phrases that speak for it.
///
/// A choice field (`type: text` with `choices:`) takes the value whose phrases the document
/// names most often (distinct phrases, compared like rule phrases: folded, without spaces
/// and hyphens, one OCR slip tolerated in long phrases). Example: who gives notice in a
/// Kündigung: `arbeitgeber` (Arbeitsverhältnis, …), `vermieter` (Mietverhältnis, …),
/// `versorger` (Stromliefervertrag, …).
public struct FieldChoice: Sendable, Equatable {
    /// The normalised value the field takes, e.g. `arbeitgeber`.
    public var value: String
    /// Literal phrases that point to this value.
    public var phrases: [String]
    /// Phrases in their compact folded form (UTF-8), precomputed.
    let compactPhrases: [[UInt8]]

    init(value: String, phrases: [String]) {
        self.value = value
        self.phrases = phrases
        compactPhrases = phrases.map { Array(TextFolding.compact($0).utf8) }
    }

    public static func == (lhs: FieldChoice, rhs: FieldChoice) -> Bool {
        lhs.value == rhs.value && lhs.phrases == rhs.phrases
    }
}

/// A part of an identity document's machine-readable zone (ICAO 9303) that a field must
/// agree with. Only what the mailroom may keep of an identity document is offered: the
/// name and the validity date.
public enum MRZElement: String, Sendable, CaseIterable, Equatable {
    /// Date of expiry (`gueltig_bis`).
    case expiry
    /// Primary identifier (surname).
    case surname
    /// Secondary identifier (given names).
    case givenNames = "given_names"
}

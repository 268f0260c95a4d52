import Foundation

/// A value to extract from a document of a class.
public struct FieldDefinition: Sendable {
    /// Contract key, e.g. `kaltmiete`.
    public var key: String
    /// What a caseworker reads for it ("Kaltmiete"): `label:` in pipeline.yml, else made from
    /// the key (`saldo_neu` → "Saldo neu").
    public var label: String
    public var type: FieldType
    /// Words that precede the value on the same line or the line above (anchors), in order
    /// of preference.
    public var labels: [String]
    /// Alternative to labels: a pattern whose single capture group is the value.
    public var pattern: ConfiguredPattern?
    /// Last resort for integer fields: the number of lines this pattern matches (e.g. the
    /// rows of a table of children).
    public var countOf: ConfiguredPattern?
    /// Plausibility checks; a failing check makes the field doubtful.
    public var checks: [FieldCheck]
    /// A missing required field sends the document to review.
    public var required: Bool
    /// For a choice field: the allowed values with the phrases that point to each (empty
    /// for other fields).
    public var choices: [FieldChoice] = []
    /// Name fields: where no label names the party, the letter's sender (return-address line,
    /// letterhead, footer) is taken.
    public var sender: Bool = false
    /// Name fields: the party a contract names in one of these roles ("Vermieter",
    /// "Genossenschaft"), tried before labels.
    public var roles: [String] = []
    /// Values on a statement's booking lines (a date and an amount on the line or the line
    /// above) are not taken: the account's IBAN stands in the header, a counterparty's in a booking.
    public var skipBookings: Bool = false
    /// The last value a label gives, not the first: a statement's closing balance stands after
    /// the opening and intermediate ones ("Kontostand am …" on every page).
    public var last: Bool = false
    /// Name fields: the bank whose code the named IBAN field carries (Bundesbank register):
    /// a name read on the page that disagrees is doubtful, debris around an agreeing one is
    /// dropped, and a missing one is taken from the register.
    public var bankOf: String?
    /// Where no label names it: the value, when it is the only one of its type in the document
    /// (a floor area with its unit in a sentence that splits its label: "Größe der\nWohnung: 56 qm").
    public var soleValue: Bool = false
    /// Phrases that make the value doubtful wherever the document says them (folded, compared
    /// like rule phrases): a Kündigung in the first person ("kündige ich mein Arbeitsverhältnis")
    /// is the citizen's own, not one by the employer the choice names.
    public var doubtfulWith: [String] = [] {
        didSet { compactDoubtfulWith = doubtfulWith.map { Array(TextFolding.compact($0).utf8) } }
    }
    /// `doubtfulWith` in compact folded form (UTF-8).
    private(set) var compactDoubtfulWith: [[UInt8]] = []
    /// Labels in folded form, precomputed.
    let foldedLabels: [[Character]]

    init(
        key: String, type: FieldType, labels: [String], pattern: ConfiguredPattern?, countOf: ConfiguredPattern? = nil,
        checks: [FieldCheck], required: Bool
    ) {
        self.countOf = countOf
        self.key = key
        self.label = Self.defaultLabel(key)
        self.type = type
        self.labels = labels
        self.pattern = pattern
        self.checks = checks
        self.required = required
        self.foldedLabels = labels.map { Array(TextFolding.fold($0).trimmingCharacters(in: .whitespaces)) }
    }
}

extension FieldDefinition {
    /// A label made from a key: underscores as spaces, the first letter capitalised.
    public static func defaultLabel(_ key: String) -> String {
        let words = key.split(separator: "_").map(String.init)
        guard let first = words.first else { return key }
        return ([first.prefix(1).uppercased() + first.dropFirst()] + words.dropFirst()).joined(separator: " ")
    }
}

/// A plausibility check on an extracted value.
public enum FieldCheck: Sendable, Equatable {
    /// The field equals the sum of the named amount fields (e.g. Gesamtmiete).
    case sumOf([String])
    /// The number lies within the closed range.
    case range(Double, Double)
    /// The date is not after the day of analysis.
    case notFuture
    /// The date is not before the named date field (e.g. `au_bis` not before `au_von`).
    case notBefore(String)
    /// The amount is not above the named amount field (net pay not above gross pay).
    case notAbove(String)
    /// The field and the named one are not both found: a statement of costs ends in a
    /// Nachzahlung or a Guthaben, never in both (one of them is another year's, or misread).
    case notWith(String)
    /// A closing balance: the named opening balance plus the amounts of the statement's
    /// booking lines (lines that start with a day and carry an amount; the last amount of each).
    case balance(String)
    /// The document's machine-readable zone (ICAO 9303) is found with every check digit
    /// right (weights 7-3-1), and its element equals the field. A zone that fails makes the
    /// field doubtful; a document without a zone (front side of an ID card) is not checked.
    case mrz(MRZElement)

    /// Names accepted in the configuration.
    static let names = ["sum_of", "range", "not_future", "not_before", "not_above", "not_with", "balance", "mrz"]
}

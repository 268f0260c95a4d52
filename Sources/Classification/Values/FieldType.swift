/// The kind of value a field holds; decides how it is found and normalised.
public enum FieldType: String, CaseIterable, Sendable, Codable {
    /// Money, normalised to two decimals with a dot: `"1234.56"`, `"-12.30"`.
    case amount
    /// A calendar day, normalised to ISO: `"2025-03-01"`.
    case date
    /// A calendar month, normalised to `"2025-03"`.
    case month
    /// An IBAN without spaces, upper case; checked with ISO 13616 mod-97.
    case iban
    /// Living space in square metres, two decimals: `"62.40"`.
    case area
    /// A whole number: `"3"`.
    case integer
    /// Free text, trimmed, single spaces.
    case text
    /// A person's or organisation's name: salutation, street, postcode, town, role words and
    /// the prose around it dropped, legal forms kept whole (`PartyName`).
    case name
}

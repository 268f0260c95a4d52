/// How documents are tied to a case (household): which numbers identify a case, and how
/// much evidence a name match needs.
public struct CaseMatchingSettings: Sendable {
    /// Patterns that find a case number (BG-Nummer or a municipal file number) in text and
    /// barcode payloads. Capture group 1, if present, is the number; else the whole match.
    public var caseNumberPatterns: [ConfiguredPattern]
    /// Patterns that find a person's Kundennummer in text.
    public var customerNumberPatterns: [ConfiguredPattern]
    /// Evidence a name needs before it may decide the case.
    public var nameMatching: NameMatchingSettings

    public init(
        caseNumberPatterns: [ConfiguredPattern], customerNumberPatterns: [ConfiguredPattern],
        nameMatching: NameMatchingSettings
    ) {
        self.caseNumberPatterns = caseNumberPatterns
        self.customerNumberPatterns = customerNumberPatterns
        self.nameMatching = nameMatching
    }
}

/// The parts of a registered address that can confirm a name found in a document.
public enum AddressPart: String, Sendable, CaseIterable, Codable {
    case street
    case postcode
    case city
}

/// Evidence a name match needs: surname and first name of a registered person, plus
/// address parts of that person.
public struct NameMatchingSettings: Sendable {
    /// Which address parts count as confirmation.
    public var addressEvidence: [AddressPart]
    /// How many of them must be found (at least 1: a name alone never decides a case).
    public var minimumAddressMatches: Int
    /// Names at least this long may differ from the register by one OCR error.
    public var ocrToleranceMinimumLength: Int

    public init(addressEvidence: [AddressPart], minimumAddressMatches: Int, ocrToleranceMinimumLength: Int) {
        self.addressEvidence = addressEvidence
        self.minimumAddressMatches = minimumAddressMatches
        self.ocrToleranceMinimumLength = ocrToleranceMinimumLength
    }
}

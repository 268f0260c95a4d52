/// One step of the account of a case decision: what was found or why no case was set.
///
/// `german` is what a caseworker reads (review reasons, the document page, `explain`);
/// `english` stands beside it in the API's JSON. Both are written from the same facts by the
/// constructors in `CaseReason+Texts.swift`, so they cannot say different things.
public struct CaseReason: Sendable, Codable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable, CaseIterable {
        /// A sidecar or cover sheet named a registered case, and nothing in the document
        /// contradicts it.
        case namedCase = "named_case"
        /// A sidecar or cover sheet named a case the register does not know.
        case namedCaseNotRegistered = "named_case_not_registered"
        /// A sidecar or cover sheet named a case, but the document carries another case's number.
        case namedCaseContradicted = "named_case_contradicted"
        /// The cover sheet and the (trusted) sidecar name different cases.
        case coverContradictsSidecar = "cover_contradicts_sidecar"
        /// A sidecar from an untrusted channel named the case the content points to.
        case claimConfirmed = "claim_confirmed"
        /// A sidecar from an untrusted channel named a case the content does not point to.
        case claimNotConfirmed = "claim_not_confirmed"
        /// A barcode or the text carries a number of a registered case.
        case numberOfCase = "number_of_case"
        /// A case or customer number that the register does not know.
        case numberNotRegistered = "number_not_registered"
        /// Barcodes or text point to several households.
        case severalHouseholds = "several_households"
        /// A barcode points to one household but the text carries another number.
        case otherNumberInText = "other_number_in_text"
        /// The number points to one household, a name in the document to another.
        case personOfOtherHousehold = "person_of_other_household"
        /// Name of a registered person, confirmed by parts of their address.
        case nameConfirmed = "name_confirmed"
        /// The name also fits other households, with less address evidence.
        case nameAlsoFits = "name_also_fits"
        /// Name and address fit several households equally.
        case namesTie = "names_tie"
        /// A registered name without its address.
        case nameWithoutAddress = "name_without_address"
        /// Nothing that names a household.
        case nothingFound = "nothing_found"
        /// No case register was loaded.
        case noRegister = "no_register"
        /// A reason stored before reasons had codes: its text as it was written.
        case recorded
    }

    public var code: Code
    /// What a caseworker reads.
    public var german: String
    /// The same in English, for the API.
    public var english: String

    public init(code: Code, german: String, english: String) {
        self.code = code
        self.german = german
        self.english = english
    }

    public var description: String { german }

    enum CodingKeys: String, CodingKey {
        case code
        case german = "de"
        case english = "en"
    }

    /// Also reads the shape stored before reasons had codes: a plain sentence.
    public init(from decoder: Decoder) throws {
        if let container = try? decoder.singleValueContainer(), let text = try? container.decode(String.self) {
            self.init(code: .recorded, german: text, english: text)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            code: try container.decode(Code.self, forKey: .code), german: try container.decode(String.self, forKey: .german),
            english: try container.decode(String.self, forKey: .english))
    }
}

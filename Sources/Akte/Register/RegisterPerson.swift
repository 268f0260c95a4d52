import Foundation

/// One person of the case register (Fachverfahren export), already parsed by the caller.
public struct RegisterPerson: Sendable, Codable, Equatable, Hashable {
    /// The case number of the person's household (Bedarfsgemeinschaft), e.g. `96301BG0012345`.
    public var bgNummer: String
    /// The person's own number, e.g. `963D123456`; the key of a person in the register.
    public var kundennummer: String
    public var nachname: String
    public var vorname: String
    /// ISO date (`1980-04-01`) as the register gives it.
    public var geburtsdatum: String?
    public var strasse: String?
    public var plz: String?
    public var ort: String?

    public init(
        bgNummer: String, kundennummer: String, nachname: String, vorname: String,
        geburtsdatum: String? = nil, strasse: String? = nil, plz: String? = nil, ort: String? = nil
    ) {
        self.bgNummer = bgNummer
        self.kundennummer = kundennummer
        self.nachname = nachname
        self.vorname = vorname
        self.geburtsdatum = geburtsdatum
        self.strasse = strasse
        self.plz = plz
        self.ort = ort
    }
}

/// A register row the caller (or the import) could not take, and why.
public struct RegisterRejection: Sendable, Codable, Equatable {
    /// The row's line in the source file, when known.
    public var line: Int?
    public var reason: String

    public init(line: Int?, reason: String) {
        self.line = line
        self.reason = reason
    }
}

/// What an import of the case register did.
public struct RegisterImportReport: Sendable, Codable, Equatable {
    /// Persons not in the store before.
    public var added: Int
    /// Persons whose data (name, address, household …) differed and were updated.
    public var changed: Int
    /// Persons already stored exactly so.
    public var unchanged: Int
    /// The caller's rejections, passed through, followed by the import's own.
    public var rejected: [RegisterRejection]

    public init(added: Int, changed: Int, unchanged: Int, rejected: [RegisterRejection]) {
        self.added = added
        self.changed = changed
        self.unchanged = unchanged
        self.rejected = rejected
    }
}

/// A Bedarfsgemeinschaft: one case, one E-Akte, and the persons in it.
public struct Household: Sendable, Equatable {
    public var bgNummer: String
    public var persons: [RegisterPerson]

    public init(bgNummer: String, persons: [RegisterPerson]) {
        self.bgNummer = bgNummer
        self.persons = persons
    }
}

import Foundation

/// The households (Bedarfsgemeinschaften) and their members that documents can be filed to,
/// read from the register CSV:
/// `bg_nummer,kundennummer,nachname,vorname,geburtsdatum,strasse,plz,ort`
/// (one row per person; members of a household share the `bg_nummer`).
public struct CaseRegister: Sendable {
    /// The columns the CSV must have, in any order; other columns are refused.
    public static let columns = ["bg_nummer", "kundennummer", "nachname", "vorname", "geburtsdatum", "strasse", "plz", "ort"]

    /// Every person, in file order.
    public let persons: [RegisteredPerson]
    private let personsByCase: [String: [RegisteredPerson]]
    private let caseByCustomer: [String: String]

    /// Problem in the register, naming the row and what is wrong.
    public struct LoadError: Error, CustomStringConvertible, Sendable, Equatable {
        /// CSV line (from 1) of the problem, 0 when about the whole file.
        public var line: Int
        public var message: String
        public var description: String { line > 0 ? "case register line \(line): \(message)" : "case register: \(message)" }
    }

    /// Reads the register CSV at `url`.
    public static func load(from url: URL) throws -> CaseRegister {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw LoadError(
                line: 0, message: "cannot read \(url.path) (\(error.localizedDescription)); check the path and that it is UTF-8")
        }
        return try CaseRegister(csv: text)
    }

    /// Parses register CSV text; the first bad row stops it with an error naming the row.
    public init(csv: String) throws {
        let (persons, _) = try Self.parse(csv: csv, lenient: false)
        self.init(persons: persons)
    }

    /// A register read with bad rows set aside instead of stopping at the first.
    public struct LenientParse: Sendable {
        public var register: CaseRegister
        /// The rows that were refused, each with its line and reason.
        public var rejected: [LoadError]
    }

    /// Parses register CSV text, keeping the good rows and reporting the bad ones (for
    /// `cases import`). A missing or wrong header still fails the whole file.
    public static func parseLeniently(csv: String) throws -> LenientParse {
        let (persons, rejected) = try parse(csv: csv, lenient: true)
        return LenientParse(register: CaseRegister(persons: persons), rejected: rejected)
    }

    /// A register of already validated persons (e.g. as stored in the E-Akte). A Kundennummer
    /// that appears in two households is dropped from lookups, since it cannot decide.
    public init(persons: [RegisteredPerson]) {
        self.persons = persons
        self.personsByCase = Dictionary(grouping: persons, by: \.bgNummer)
        var caseByCustomer: [String: String] = [:]
        var conflicting: Set<String> = []
        for person in persons where !person.kundennummer.isEmpty {
            if let other = caseByCustomer[person.kundennummer], other != person.bgNummer { conflicting.insert(person.kundennummer) }
            caseByCustomer[person.kundennummer] = person.bgNummer
        }
        for key in conflicting { caseByCustomer.removeValue(forKey: key) }
        self.caseByCustomer = caseByCustomer
    }

    private static func parse(csv: String, lenient: Bool) throws -> ([RegisteredPerson], [LoadError]) {
        let records: [CSVTable.Record]
        do {
            records = try CSVTable.parse(csv)
        } catch {
            throw LoadError(line: error.line, message: error.message)
        }
        guard let header = records.first else {
            throw LoadError(line: 0, message: "the file is empty; it needs the header \(Self.columns.joined(separator: ","))")
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = Self.columns.filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw LoadError(
                line: header.line,
                message: "header lacks \(missing.joined(separator: ", ")) (expected: \(Self.columns.joined(separator: ",")))")
        }
        if let unknown = names.first(where: { !Self.columns.contains($0) }) {
            throw LoadError(
                line: header.line, message: "unknown column '\(unknown)' (expected: \(Self.columns.joined(separator: ",")))")
        }
        let position = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var persons: [RegisteredPerson] = []
        var rejected: [LoadError] = []
        var caseByCustomer: [String: String] = [:]
        for record in records.dropFirst() {
            do {
                persons.append(try Self.person(from: record, position: position, caseByCustomer: &caseByCustomer))
            } catch {
                if !lenient { throw error }
                rejected.append(error)
            }
        }
        return (persons, rejected)
    }

    private static func person(from record: CSVTable.Record, position: [String: Int], caseByCustomer: inout [String: String])
        throws(LoadError) -> RegisteredPerson
    {
        guard record.fields.count == position.count else {
            throw LoadError(
                line: record.line,
                message: "has \(record.fields.count) fields, the header has \(position.count); quote fields that contain commas")
        }
        func value(_ column: String) -> String {
            record.fields[position[column]!].trimmingCharacters(in: .whitespaces)
        }
        let rawCase = value("bg_nummer")
        guard !rawCase.isEmpty else {
            throw LoadError(line: record.line, message: "bg_nummer is empty; every person belongs to a household")
        }
        let bgNummer = CaseIdentifiers.normalizeAny(rawCase)
        let rawCustomer = value("kundennummer")
        let kundennummer = rawCustomer.isEmpty ? "" : CaseIdentifiers.normalizeKundennummer(rawCustomer)
        if !kundennummer.isEmpty {
            if let other = caseByCustomer[kundennummer], other != bgNummer {
                throw LoadError(
                    line: record.line,
                    message:
                        "kundennummer \(kundennummer) already belongs to household \(other); a person has one Kundennummer in one household"
                )
            }
            caseByCustomer[kundennummer] = bgNummer
        }
        let nachname = value("nachname")
        let vorname = value("vorname")
        guard !nachname.isEmpty, !vorname.isEmpty else {
            throw LoadError(
                line: record.line, message: "nachname and vorname must both be filled (found '\(nachname)', '\(vorname)')")
        }
        let geburtsdatum = value("geburtsdatum")
        if !geburtsdatum.isEmpty {
            let parts = geburtsdatum.split(separator: "-").compactMap { Int($0) }
            guard geburtsdatum.count == 10, parts.count == 3,
                DateParser.problem(year: parts[0], month: parts[1], day: parts[2]) == nil
            else {
                throw LoadError(
                    line: record.line, message: "geburtsdatum '\(geburtsdatum)' is not an existing date in ISO form yyyy-mm-dd")
            }
        }
        let plz = value("plz")
        guard plz.isEmpty || plz.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw LoadError(line: record.line, message: "plz '\(plz)' must be digits only, e.g. 10115")
        }
        return RegisteredPerson(
            bgNummer: bgNummer, kundennummer: kundennummer, nachname: nachname, vorname: vorname, geburtsdatum: geburtsdatum,
            strasse: value("strasse"), plz: plz, ort: value("ort"), line: record.line)
    }

    /// Normalised case numbers of all households.
    public var caseIDs: [String] { personsByCase.keys.sorted() }

    /// Members of the household `caseID` (any printed form), empty when not registered.
    public func members(of caseID: String) -> [RegisteredPerson] {
        personsByCase[CaseIdentifiers.normalizeAny(caseID)] ?? []
    }

    /// True when `caseID` (any printed form) is a registered household.
    public func contains(caseID: String) -> Bool {
        personsByCase[CaseIdentifiers.normalizeAny(caseID)] != nil
    }

    /// The household of the person with `kundennummer`, if registered.
    public func caseID(forKundennummer kundennummer: String) -> String? {
        caseByCustomer[CaseIdentifiers.normalizeKundennummer(kundennummer)]
    }
}

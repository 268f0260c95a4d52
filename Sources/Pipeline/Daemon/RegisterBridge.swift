import Akte
import Classification
import Foundation

/// Between the register as the E-Akte stores it and as case matching reads it.
public enum RegisterBridge {
    public static func akte(_ p: RegisteredPerson) -> RegisterPerson {
        RegisterPerson(
            bgNummer: p.bgNummer, kundennummer: p.kundennummer, nachname: p.nachname, vorname: p.vorname,
            geburtsdatum: p.geburtsdatum.isEmpty ? nil : p.geburtsdatum, strasse: p.strasse.isEmpty ? nil : p.strasse,
            plz: p.plz.isEmpty ? nil : p.plz, ort: p.ort.isEmpty ? nil : p.ort)
    }

    /// The register for case matching, from the E-Akte; nil when no household is registered.
    public static func register(from akte: any AkteStore) throws -> CaseRegister? {
        let persons = try akte.households().flatMap(\.persons)
        guard !persons.isEmpty else { return nil }
        return CaseRegister(persons: persons.enumerated().map { index, p in
            RegisteredPerson(
                bgNummer: p.bgNummer, kundennummer: p.kundennummer, nachname: p.nachname, vorname: p.vorname,
                geburtsdatum: p.geburtsdatum ?? "", strasse: p.strasse ?? "", plz: p.plz ?? "", ort: p.ort ?? "", line: index + 2)
        })
    }

    /// Imports the register CSV at `path` into the E-Akte (rows it cannot use are reported, not
    /// imported).
    public static func importCSV(atPath path: String, into akte: any AkteStore) throws -> RegisterImportReport {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw RegisterFileError(path: path, reason: "cannot be read: \(error.localizedDescription)")
        }
        let parsed: CaseRegister.LenientParse
        do {
            parsed = try CaseRegister.parseLeniently(csv: text)
        } catch {
            throw RegisterFileError(path: path, reason: "\(error)")
        }
        let persons = parsed.register.persons.map { Self.akte($0) }
        let rejected = parsed.rejected.map { RegisterRejection(line: $0.line, reason: $0.message) }
        return try akte.importRegister(persons, rejected: rejected)
    }
}

/// A case register file that cannot be imported at all.
public struct RegisterFileError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public var description: String { "case register \(path) \(reason)" }
}

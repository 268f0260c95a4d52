import Akte
import ArgumentParser
import Classification
import Foundation
import Pipeline

/// `posteingang cases …`: the case register in the E-Akte.
struct CasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases", abstract: "Manage the case register (households and persons).",
        subcommands: [CasesImportCommand.self, CasesListCommand.self])
}

/// `posteingang cases import FILE.csv`: idempotent import of the register.
struct CasesImportCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import the case register CSV (bg_nummer,kundennummer,nachname,vorname,geburtsdatum,strasse,plz,ort).",
        discussion: "Idempotent: importing the same file again adds nothing. Rows with errors are rejected with the line and reason; the others are imported.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The register CSV.") var file: String

    func execute() async throws {
        let akte = try store.openStore(create: true)
        let report = try Self.importRegister(csv: file, into: akte)
        print("cases import \(file): \(report.added) added, \(report.changed) changed, \(report.unchanged) unchanged, \(report.rejected.count) rejected")
        for rejection in report.rejected {
            print("  rejected\(rejection.line.map { " line \($0)" } ?? ""): \(rejection.reason)")
        }
    }

    static func importRegister(csv path: String, into akte: SQLiteAkte) throws -> RegisterImportReport {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read \(path): \(error.localizedDescription)")
        }
        let parsed: CaseRegister.LenientParse
        do {
            parsed = try CaseRegister.parseLeniently(csv: text)
        } catch {
            throw ValidationError("\(error)")
        }
        let persons = parsed.register.persons.map(RegisterBridge.akte)
        let rejected = parsed.rejected.map { RegisterRejection(line: $0.line, reason: $0.message) }
        return try akte.importRegister(persons, rejected: rejected)
    }
}

/// `posteingang cases list`.
struct CasesListCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the households and their members.")
    @OptionGroup var store: StoreOptions

    func execute() async throws {
        let akte = try store.openStore()
        for household in try akte.households() {
            print(household.bgNummer)
            for p in household.persons {
                print("  \(p.kundennummer.isEmpty ? "—" : p.kundennummer)  \(p.nachname), \(p.vorname)  \(p.strasse ?? ""), \(p.plz ?? "") \(p.ort ?? "")")
            }
        }
    }
}

/// Between the register as the E-Akte stores it and as case matching reads it.
enum RegisterBridge {
    static func akte(_ p: RegisteredPerson) -> RegisterPerson {
        RegisterPerson(
            bgNummer: p.bgNummer, kundennummer: p.kundennummer, nachname: p.nachname, vorname: p.vorname,
            geburtsdatum: p.geburtsdatum.isEmpty ? nil : p.geburtsdatum, strasse: p.strasse.isEmpty ? nil : p.strasse,
            plz: p.plz.isEmpty ? nil : p.plz, ort: p.ort.isEmpty ? nil : p.ort)
    }

    /// The register for case matching, from the E-Akte; nil when no household is registered.
    static func register(from akte: any AkteStore) throws -> CaseRegister? {
        let persons = try akte.households().flatMap(\.persons)
        guard !persons.isEmpty else { return nil }
        return CaseRegister(persons: persons.enumerated().map { index, p in
            RegisteredPerson(
                bgNummer: p.bgNummer, kundennummer: p.kundennummer, nachname: p.nachname, vorname: p.vorname,
                geburtsdatum: p.geburtsdatum ?? "", strasse: p.strasse ?? "", plz: p.plz ?? "", ort: p.ort ?? "", line: index + 2)
        })
    }
}

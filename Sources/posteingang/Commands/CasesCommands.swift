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

    static func importRegister(csv path: String, into akte: any AkteStore) throws -> RegisterImportReport {
        do {
            return try RegisterBridge.importCSV(atPath: path, into: akte)
        } catch let error as RegisterFileError {
            throw ValidationError(error.description)
        }
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

import Akte
import ArgumentParser
import Foundation

/// `posteingang store verify`: every blob the E-Akte names is in the blob store with its SHA-256.
struct StoreVerifyCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that every blob the E-Akte names is in the blob store with the right SHA-256; list what is missing; exit 1 if anything is.")
    @OptionGroup var store: StoreOptions
    @Flag(help: "Print JSON (English keys, the message in German and English).") var json = false

    func execute() async throws {
        let references: [BlobReference]
        do {
            let location = try AkteStores.location(database: store.database, dataDirectory: store.directory.root)
            if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
                throw ValidationError("no E-Akte at \(path); pass --data-dir or --database")
            }
            references = try AkteStores.openForTransfer(location).referencedBlobs()
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("\(error)")
        }
        let (report, location) = try await store.withBlobs { blobs in
            (try await BlobCompleteness.check(references, in: blobs), blobs.location)
        }
        let german =
            report.isComplete
            ? "Alle \(report.checked) Blobs, die die E-Akte nennt, sind in \(location) mit richtigem SHA-256."
            : "\(report.problems.count) von \(report.checked) Blobs, die die E-Akte nennt, fehlen oder sind verändert in \(location):"
        let english =
            report.isComplete
            ? "All \(report.checked) blobs the E-Akte names are in \(location) with the right SHA-256."
            : "\(report.problems.count) of \(report.checked) blobs the E-Akte names are missing or changed in \(location)."
        if json {
            try StoreCommandOutput(
                ok: report.isComplete, report: report,
                message: .init(de: ([german] + report.problems.map(\.german)).joined(separator: "\n"), en: english)
            ).print()
        } else {
            print(german)
            for problem in report.problems { print("  " + problem.german) }
        }
        if !report.isComplete { throw ExitCode(1) }
    }
}

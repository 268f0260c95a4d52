import Akte
import ArgumentParser
import Foundation

/// `posteingang store …`: the E-Akte and its blobs as a whole: move an installation, check its blobs.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Move an embedded installation to PostgreSQL and S3; check that every blob is there.",
        subcommands: [StoreMigrateCommand.self, StoreVerifyCommand.self])
}

/// Why a `store` command did nothing: German for people (standard error), English beside it in `--json`.
struct StoreRefusal: Error {
    let code: String
    let german: String
    let english: String

    init(_ code: String, german: String, english: String) {
        self.code = code
        self.german = german
        self.english = english
    }

    init(_ refusal: StoreMigrationRefusal) {
        self.init(refusal.code, german: refusal.german, english: refusal.english)
    }

    /// Prints the refusal (as JSON on standard output with `json`) and ends with status 65.
    func exit(json: Bool) throws -> Never {
        if json {
            try? StoreCommandOutput<Int>(ok: false, error: .init(code: code, de: german, en: english)).print()
        }
        FileHandle.standardError.write(Data("posteingang store: \(german)\n".utf8))
        throw ExitCode(65)
    }
}

/// The `--json` output of the `store` commands: the figures, and the message in German and English.
struct StoreCommandOutput<Figures: Encodable>: Encodable {
    struct Message: Encodable {
        var code: String?
        var de: String
        var en: String
    }

    var ok: Bool
    var report: Figures?
    var message: Message?
    var error: Message?
    /// Files left in the source's spool, which `store migrate` does not copy.
    var spoolNotCopied: SpoolLeftovers?

    init(ok: Bool, report: Figures? = nil, message: Message? = nil, error: Message? = nil) {
        self.ok = ok
        self.report = report
        self.message = message
        self.error = error
    }

    /// Prints it as sorted, indented JSON with snake_case keys (`rows_copied`).
    func print() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        Swift.print(String(decoding: try encoder.encode(self), as: UTF8.self))
    }
}

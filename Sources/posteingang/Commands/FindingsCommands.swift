import Akte
import ArgumentParser
import Classification
import Findings
import Foundation
import Pipeline

/// Where the findings' settings (rent limits, income share) come from: `pipeline.yml`.
struct FindingsOptions: ParsableArguments {
    @Option(help: "The operators' rules file, for the rent limits of the findings.") var config: String?

    /// The engine of the configured settings. Without `--config` and without `pipeline.yml` in
    /// the current folder: no rent limits (said on stderr), the other findings as usual.
    func engine() throws -> FindingsEngine {
        let path = config ?? "pipeline.yml"
        guard FileManager.default.fileExists(atPath: path) else {
            if config != nil { throw ValidationError("configuration \(path) not found") }
            FileHandle.standardError.write(
                Data("note: no pipeline.yml here (pass --config): findings without rent limits\n".utf8))
            return FindingsEngine(settings: FindingSettings())
        }
        do {
            return FindingsEngine(configuration: try PipelineConfiguration.load(from: URL(fileURLWithPath: path)))
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

enum FindingDisplay {
    static func lines(_ findings: [Finding]) -> [String] {
        var lines: [String] = []
        for finding in findings {
            let documents = finding.documentIDs.map { String($0.prefix(8)) }.joined(separator: ", ")
            lines.append("  [\(finding.review == nil ? finding.severity.label : "geprüft")] \(finding.code.rawValue): \(finding.message)")
            lines.append("      \(documents.isEmpty ? "" : "Dokumente: \(documents); ")Schlüssel: \(finding.key)")
            if let review = finding.review {
                lines.append("      geprüft von \(review.reviewedBy) am \(Display.date(review.reviewedAt)): \(review.note)")
            }
        }
        return lines
    }

    static func json(_ finding: Finding) -> JSONValue {
        var object: [String: JSONValue] = [
            "key": .string(finding.key), "code": .string(finding.code.rawValue), "title": .string(finding.code.title),
            "severity": .string(finding.severity.rawValue), "message": .string(finding.message),
            "documents": .array(finding.documentIDs.map { .string($0) }), "date": .string(finding.date),
            "figures": .object(finding.figures.mapValues { .string($0) }),
        ]
        if let request = finding.requestID { object["request"] = .number(Double(request)) }
        object["reviewed"] =
            finding.review.map { review -> JSONValue in
                .object([
                    "by": .string(review.reviewedBy), "at": .string(ISO8601DateFormatter().string(from: review.reviewedAt)),
                    "note": .string(review.note),
                ])
            } ?? .null
        return .object(object)
    }
}

/// `posteingang akte check-finding BG KEY --note TEXT`: a caseworker's "geprüft".
struct CheckFindingCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "check-finding",
        abstract: "Mark a household's finding as checked (\"geprüft\") with a note (audited; changes no value).")
    @OptionGroup var store: StoreOptions
    @OptionGroup var findings: FindingsOptions
    @Argument(help: "BG-Nummer.") var caseID: String
    @Argument(help: "The finding's key as `akte show` prints it, or a unique beginning of it.") var key: String
    @Option(help: "What was checked and found.") var note: String

    func execute() async throws {
        let akte = try store.openStore()
        guard try akte.caseExists(caseID) else { throw ValidationError("no household \(caseID) in the register") }
        let current = try CaseFindings.findings(caseID, in: akte, engine: try findings.engine())
        let matches = current.filter { $0.key == key } + (current.contains { $0.key == key } ? [] : current.filter { $0.key.hasPrefix(key) })
        guard matches.count == 1, let finding = matches.first else {
            throw ValidationError(
                matches.isEmpty
                    ? "household \(caseID) has no finding \(key) (keys: \(current.map(\.key).joined(separator: ", ")))"
                    : "finding key \(key) is ambiguous; give more of it")
        }
        do {
            try akte.markFindingReviewed(
                bgNummer: caseID, findingKey: finding.key, code: finding.code.rawValue, documentIDs: finding.documentIDs,
                note: note, by: store.who)
        } catch let error as AkteError {
            throw ValidationError("\(error)")
        }
        print("\(finding.key): geprüft (\(store.who))")
    }
}

import ArgumentParser
import Classification
import Foundation
import Pipeline

/// `posteingang rules …`: tools for the operators' rule file.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Check the operators' rules (pipeline.yml).", subcommands: [RulesCheckCommand.self])
}

/// `posteingang rules check [--config FILE] [--fixtures DIR]`.
struct RulesCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Find patterns that can never match or can hang, failing '# example:' lines, shadowed classes and (with --fixtures) rules nothing triggers.",
        discussion: """
            Prints one line per finding as FILE:LINE:COLUMN: error|warning: message [code] and exits 1 when there is an \
            error. Every pattern is analysed statically (nested quantifiers, overlapping alternatives under a repetition, \
            anchors in the middle, empty character classes) and timed on hostile lines of 1000 characters. A comment line \
            '# example: TEXT' directly above a pattern is a documented example the pattern must match. With --fixtures, \
            the 'text' of each DIR/truth.jsonl record is classified (no OCR).
            """)

    @Option(help: "The rules file.") var config: String = "pipeline.yml"
    @Option(help: "Labelled folder whose truth.jsonl texts are used to find unused rules and shadowed classes.")
    var fixtures: String?

    func run() throws {
        let yaml: String
        do {
            yaml = try String(contentsOfFile: config, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read \(config) (\(error.localizedDescription)); pass --config PATH")
        }
        var samples: [RuleCheckSample]?
        if let fixtures {
            let records = try Display.truthRecords(in: URL(fileURLWithPath: fixtures))
            samples = records.compactMap { record in
                record.text.map { RuleCheckSample(text: $0, label: record.documentClass, origin: record.file) }
            }
            if samples?.isEmpty ?? true {
                throw ValidationError("no record of \(fixtures)/truth.jsonl has a \"text\"; the fixture checks need the true text")
            }
        }
        let findings = RuleChecker().check(yaml: yaml, file: config, fixtures: samples)
        for finding in findings { print(finding.rendered) }
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.count - errors
        let checked = samples.map { ", \($0.count) fixture texts" } ?? ""
        FileHandle.standardError.write(Data("\(config): \(errors) error(s), \(warnings) warning(s)\(checked)\n".utf8))
        if errors > 0 { throw ExitCode(1) }
    }
}

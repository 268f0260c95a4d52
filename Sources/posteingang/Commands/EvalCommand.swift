import Akte
import ArgumentParser
import Classification
import Foundation
import Pipeline

/// `posteingang eval DIR`: the pipeline over a labelled folder, compared with its truth.
struct EvalCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure the pipeline on a labelled folder (DIR/truth.jsonl, optional DIR/cases.csv).")

    @OptionGroup var options: PipelineOptions
    @Flag(help: "Print the figures as one JSON object.") var json = false
    @Flag(name: .customLong("compare-tesseract"), help: "Also run plain `tesseract FILE - -l deu` on each image and print its error rate beside ours.")
    var compareTesseract = false
    @Option(help: "Rules in force to compare the --config rules with: prints both figures and every document whose class, fields or case changed.")
    var baseline: String?
    @Flag(help: "Measure against caseworkers' corrections in the E-Akte (--store) instead of a labelled folder.")
    var corrections = false
    @Option(help: "With --corrections: only corrections since this day (YYYY-MM-DD or YYYY-MM-DD HH:MM).") var since: String?
    @Option(help: "With --corrections: the data directory holding akte.sqlite.") var store: String = "posteingang-data"
    @Flag(name: .customLong("no-model"), help: "Ignore the learned classifier next to --config (rules only).")
    var noModel = false
    @Option(help: "Folds for the cross-validated rules + model column.") var folds: Int = 5
    @Argument(help: "The labelled folder.") var directory: String?

    func validate() throws {
        if corrections {
            if directory != nil { throw ValidationError("give either a labelled folder or --corrections, not both") }
        } else if directory == nil {
            throw ValidationError("give a labelled folder (DIR with truth.jsonl) or --corrections")
        }
        guard (2...50).contains(folds) else { throw ValidationError("--folds must be 2...50, got \(folds)") }
    }

    func execute() async throws {
        let model = noModel ? nil : try options.loadModel()
        if corrections {
            try evaluateCorrections(model: model)
            return
        }
        let directory = self.directory ?? "."
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        let records = try Display.truthRecords(in: folder)
        let configuration = try options.loadConfiguration()
        let register = try options.loadRegister(fallback: folder.appendingPathComponent("cases.csv"))
        let pool = try options.makePool()
        defer { pool.shutdown() }
        var others: [DocumentAnalyzer] = []
        if let baseline {
            var old = options
            old.config = baseline
            others.append(DocumentAnalyzer(configuration: try old.loadConfiguration(), register: register))
        }
        if let model, baseline == nil {
            let comparison = await ModelComparison.run(
                folder: folder, records: records,
                processor: DocumentProcessor(analyzer: DocumentAnalyzer(configuration: configuration, register: register)),
                model: model, folds: folds, using: pool)
            if json {
                // The rules-only figures stay at the top (as without a model); the comparison
                // is one more key.
                let encoder = JSONEncoder()
                let top = try JSONSerialization.jsonObject(with: encoder.encode(comparison.rulesOnly)) as? [String: Any] ?? [:]
                var merged = top
                merged["model_comparison"] = try JSONSerialization.jsonObject(with: encoder.encode(comparison))
                print(String(decoding: try JSONSerialization.data(withJSONObject: merged, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self))
            } else {
                print(comparison.rulesOnly.rendered())
                print("")
                print("rules alone and with the learned second opinion (\(TextClassifierModel.companionURL(forConfiguration: URL(fileURLWithPath: options.config)).lastPathComponent)):")
                print(comparison.rendered(modelName: TextClassifierModel.companionURL(forConfiguration: URL(fileURLWithPath: options.config)).lastPathComponent))
            }
            return
        }
        let evaluator = Evaluator(
            processor: DocumentProcessor(analyzer: DocumentAnalyzer(configuration: configuration, register: register)),
            compareWithPlainTesseract: compareTesseract, otherAnalyzers: others)
        // Each document is read once; the baseline rules are applied to the same text.
        let reports = await evaluator.evaluateAll(folder: folder, records: records, using: pool)
        let report = reports[0]
        if let baseline {
            let comparison = EvaluationComparison(baseline: reports[1], candidate: report)
            if json {
                try Display.printJSON(ComparisonJSON(baseline: reports[1], candidate: report, changed: comparison.changed))
            } else {
                print(comparison.rendered(baselineName: baseline, candidateName: options.config))
            }
            return
        }
        if json {
            try Display.printJSON(report)
        } else {
            print(report.rendered())
        }
    }
}

extension EvalCommand {
    /// `eval --corrections`: the current rules (and model) against the caseworkers' corrections.
    func evaluateCorrections(model: TextClassifierModel?) throws {
        let configuration = try options.loadConfiguration()
        let akte = try TrainCommand.openStore(store)
        var register = try options.loadRegister()
        if register == nil {
            register = try Self.register(of: akte)
        }
        let analyzer = DocumentAnalyzer(configuration: configuration, register: register).with(model: model)
        let report = try CorrectionsEvaluation.run(
            store: akte, analyzer: analyzer, since: try Display.parseSince(since), viewer: "eval-corrections")
        if json {
            try Display.printJSON(report)
        } else {
            print(report.rendered())
        }
    }

    /// The E-Akte's own case register, for matching when no --cases file is given.
    static func register(of store: SQLiteAkte) throws -> CaseRegister? {
        func quoted(_ value: String?) -> String { "\"" + (value ?? "").replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var lines = [CaseRegister.columns.joined(separator: ",")]
        for household in try store.households() {
            for person in household.persons {
                lines.append(
                    [person.bgNummer, person.kundennummer, person.nachname, person.vorname, person.geburtsdatum, person.strasse,
                     person.plz, person.ort].map(quoted).joined(separator: ","))
            }
        }
        guard lines.count > 1 else { return nil }
        return try CaseRegister(csv: lines.joined(separator: "\n"))
    }
}

/// `eval --baseline --json`: both reports and the changed documents.
struct ComparisonJSON: Encodable {
    var baseline: EvaluationReport
    var candidate: EvaluationReport
    var changed: [EvaluationComparison.Change]
}

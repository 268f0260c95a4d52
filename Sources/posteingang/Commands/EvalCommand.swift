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
    @Option(help: "With --corrections: the data directory holding akte.sqlite, or postgres://USER@HOST:PORT/DB.") var store: String = "posteingang-data"
    @Flag(name: .customLong("no-model"), help: "Ignore the learned classifier next to --config (rules only).")
    var noModel = false
    @Option(help: "Folds for the cross-validated rules + model column.") var folds: Int = 5
    @Flag(name: .customLong("show-documents"), help: "List the documents of a frozen folder too (a folder with a FROZEN file is otherwise read only as figures).")
    var showDocuments = false
    @Argument(help: "The labelled folders (each with truth.jsonl); several are measured one after another and summed up side by side.")
    var directories: [String] = []

    func validate() throws {
        if corrections {
            if !directories.isEmpty { throw ValidationError("give either labelled folders or --corrections, not both") }
        } else if directories.isEmpty {
            throw ValidationError("give a labelled folder (DIR with truth.jsonl) or --corrections")
        }
        if directories.count > 1, baseline != nil {
            throw ValidationError("--baseline compares rules on one folder; give one folder")
        }
        guard (2...50).contains(folds) else { throw ValidationError("--folds must be 2...50, got \(folds)") }
    }

    func execute() async throws {
        let model = noModel ? nil : try options.loadModel()
        if corrections {
            try evaluateCorrections(model: model)
            return
        }
        if directories.count == 1 {
            _ = try await evaluate(directories[0], model: model, printing: true)
            return
        }
        var summaries: [(String, EvaluationReport)] = []
        var shipped: [(String, EvaluationReport)] = []
        var reports: [String: Any] = [:]
        for directory in directories {
            if !json { print("== \(directory) ==") }
            let (report, withModel) = try await evaluateWithModel(directory, model: model, printing: !json)
            if !json { print("") }
            summaries.append((directory, report))
            if let withModel { shipped.append((directory, withModel)) }
            reports[directory] = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report))
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: ["folders": reports], options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
        } else {
            if !shipped.isEmpty { print("rules only:") }
            print(Self.summary(summaries))
            if !shipped.isEmpty {
                // What the service does: the rules with the learned second opinion as loaded.
                print("")
                print("as shipped (rules + model as loaded; 'as loaded' is training accuracy on folders the model was trained on):")
                print(Self.summary(shipped))
            }
        }
    }

    /// The folders' figures side by side.
    static func summary(_ reports: [(String, EvaluationReport)]) -> String {
        func pct(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
        let width = max(reports.map(\.0.count).max() ?? 6, 6)
        var lines = [
            "folder".padding(toLength: width, withPad: " ", startingAt: 0)
                + "  docs   class    fields   wrong  not doubtful  cases wrong  to review"
        ]
        func cell(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
        }
        for (name, r) in reports {
            let cells = [
                cell(String(r.documents), 6), cell(pct(r.classAccuracy), 8), cell(pct(r.fieldAccuracy), 10),
                cell(String(r.fieldsWrong), 8), cell(String(r.fieldsWrongNotDoubtful), 14), cell(String(r.casesWrong), 13),
                cell(String(r.casesSentToReview), 11),
            ]
            lines.append(name.padding(toLength: width, withPad: " ", startingAt: 0) + cells.joined())
        }
        for (name, r) in reports {
            let weak = r.keysBelow(0.85)
            if !weak.isEmpty { lines.append("  \(name): fields below 85%: \(weak)") }
        }
        return lines.joined(separator: "\n")
    }

    /// Measures one folder; with a model, also returns the figures of rules + model as loaded.
    func evaluateWithModel(_ directory: String, model: TextClassifierModel?, printing: Bool) async throws
        -> (EvaluationReport, EvaluationReport?)
    {
        var withModel: EvaluationReport?
        let report = try await evaluate(directory, model: model, printing: printing) { withModel = $0.withModel }
        return (report, withModel)
    }

    /// Measures one labelled folder; prints its report when `printing`.
    func evaluate(
        _ directory: String, model: TextClassifierModel?, printing: Bool, comparison keep: (ModelComparison) -> Void = { _ in }
    ) async throws -> EvaluationReport {
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        let figuresOnly = !showDocuments && FileManager.default.fileExists(atPath: folder.appendingPathComponent("FROZEN").path)
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
                model: model, folds: folds, compareWithPlainTesseract: compareTesseract, using: pool)
            keep(comparison)
            if !printing { return comparison.rulesOnly }
            if json {
                // The rules-only figures stay at the top (as without a model); the comparison
                // is one more key.
                let encoder = JSONEncoder()
                let top = try JSONSerialization.jsonObject(with: encoder.encode(comparison.rulesOnly)) as? [String: Any] ?? [:]
                var merged = top
                merged["model_comparison"] = try JSONSerialization.jsonObject(with: encoder.encode(comparison))
                print(String(decoding: try JSONSerialization.data(withJSONObject: merged, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self))
            } else {
                print(comparison.rulesOnly.rendered(figuresOnly: figuresOnly))
                print("")
                print("rules alone and with the learned second opinion (\(TextClassifierModel.companionURL(forConfiguration: URL(fileURLWithPath: options.config)).lastPathComponent)):")
                print(comparison.rendered(modelName: TextClassifierModel.companionURL(forConfiguration: URL(fileURLWithPath: options.config)).lastPathComponent))
            }
            return comparison.rulesOnly
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
            return report
        }
        guard printing else { return report }
        if json {
            try Display.printJSON(report)
        } else {
            print(report.rendered(figuresOnly: figuresOnly))
        }
        return report
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
    static func register(of store: any AkteStore) throws -> CaseRegister? {
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

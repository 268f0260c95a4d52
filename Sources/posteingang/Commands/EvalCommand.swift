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
    @Argument(help: "The labelled folder.") var directory: String

    func execute() async throws {
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        let records: [TruthRecord]
        do {
            records = try TruthRecord.load(from: folder.appendingPathComponent("truth.jsonl"))
        } catch {
            throw ValidationError("\(error)")
        }
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
        let evaluator = Evaluator(
            processor: DocumentProcessor(analyzer: DocumentAnalyzer(configuration: configuration, register: register)),
            compareWithPlainTesseract: compareTesseract, otherAnalyzers: others)
        // Each document is read once; the baseline rules are applied to the same text.
        let reports = await evaluator.evaluateAll(folder: folder, records: records, using: pool)
        let report = reports[0]
        if let baseline {
            let comparison = EvaluationComparison(baseline: reports[1], candidate: report)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                print(String(decoding: try encoder.encode(ComparisonJSON(baseline: reports[1], candidate: report, changed: comparison.changed)), as: UTF8.self))
            } else {
                print(comparison.rendered(baselineName: baseline, candidateName: options.config))
            }
            return
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.rendered())
        }
    }
}

/// `eval --baseline --json`: both reports and the changed documents.
struct ComparisonJSON: Encodable {
    var baseline: EvaluationReport
    var candidate: EvaluationReport
    var changed: [EvaluationComparison.Change]
}

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
        let evaluator = Evaluator(
            processor: DocumentProcessor(analyzer: DocumentAnalyzer(configuration: configuration, register: register)),
            compareWithPlainTesseract: compareTesseract)
        let report = await evaluator.evaluate(folder: folder, records: records, using: pool)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.rendered())
        }
    }
}

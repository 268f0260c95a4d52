import Akte
import ArgumentParser
import Classification
import Foundation
import Pipeline

/// `posteingang train DIR [--corrections DB] [--out FILE]`: fits the learned second opinion, and
/// with `--corrections` learns where layouts keep the fields caseworkers corrected.
struct TrainCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the learned classifier (second opinion beside the rules) from a labelled folder and/or caseworkers' class corrections; learn field locations from their field corrections.",
        discussion: """
            DIR holds truth.jsonl (the format `eval` reads); each document is read exactly as the pipeline reads it \
            (OCR text cached by file hash under --text-cache). --corrections takes the E-Akte (akte.sqlite or its data \
            directory): every document a caseworker reclassified is an example with the corrected class. The model is \
            written next to the configuration (pipeline.yml → pipeline.model.json) unless --out says otherwise. With \
            --corrections, every corrected field is also an example of where its layout keeps the field (label words \
            before or above the value, neighbours, place on the page, words of the first lines); the locations are \
            written to pipeline.fields.json (or --fields-out) and tried at analysis for fields the rules miss. The same \
            input and --date give the same files, byte for byte.
            """)

    @OptionGroup var options: PipelineOptions
    @Option(help: "E-Akte whose class corrections are training examples: akte.sqlite, the data directory holding it, or postgres://USER@HOST:PORT/DB.")
    var corrections: String?
    @Option(help: "Where to write the model (default: next to --config, e.g. pipeline.model.json).") var out: String?
    @Option(
        name: .customLong("fields-out"),
        help: "Where to write the field locations learned from --corrections (default: next to --config, e.g. pipeline.fields.json).")
    var fieldsOut: String?
    @Option(help: "Training day recorded in the file, YYYY-MM-DD (default: today, UTC).") var date: String?
    @Option(help: "Folds for the cross-validated accuracy reported and stored (0: skip).") var folds: Int = 5
    @Option(name: .customLong("min-probability"), help: "Below this probability the model counts as unsure (0...1).")
    var minimumProbability: Double = 0.5
    @Option(name: .customLong("max-features"), help: "Most features kept.") var maximumFeatures: Int = 3000
    @Option(help: "Gradient descent steps.") var iterations: Int = 300
    @Option(name: .customLong("text-cache"), help: "Folder for cached OCR text (by file SHA-256).")
    var textCache: String = ".build/ocr-text-cache"
    @Flag(name: .customLong("no-text-cache"), help: "Read every document again and cache nothing.") var noTextCache = false
    @Argument(help: "Labelled folders with truth.jsonl (a folder holding a FROZEN file is measured, never trained on).")
    var directories: [String] = []

    func validate() throws {
        if directories.isEmpty && corrections == nil {
            throw ValidationError("give a labelled folder (DIR with truth.jsonl), --corrections DB, or both")
        }
        for directory in directories
        where FileManager.default.fileExists(atPath: URL(fileURLWithPath: directory).appendingPathComponent("FROZEN").path) {
            throw ValidationError("\(directory) holds a FROZEN file: it is kept for measuring and is never trained on")
        }
        guard (0...1).contains(minimumProbability) else {
            throw ValidationError("--min-probability must lie in 0...1, got \(minimumProbability)")
        }
        guard folds == 0 || (2...50).contains(folds) else { throw ValidationError("--folds must be 0 or 2...50, got \(folds)") }
        guard (10...100_000).contains(maximumFeatures) else {
            throw ValidationError("--max-features must be 10...100000, got \(maximumFeatures)")
        }
        guard (1...10_000).contains(iterations) else { throw ValidationError("--iterations must be 1...10000, got \(iterations)") }
        if let date, !Self.isDay(date) { throw ValidationError("--date '\(date)' is not a day (use YYYY-MM-DD)") }
    }

    func execute() async throws {
        let configuration = try options.loadConfiguration()
        var samples: [LabeledText] = []
        var sources: [String] = []
        if !directories.isEmpty {
            let pool = try options.makePool()
            defer { pool.shutdown() }
            let processor = DocumentProcessor(analyzer: DocumentAnalyzer(configuration: configuration, register: nil))
            let cache = noTextCache ? nil : OCRTextCache(root: URL(fileURLWithPath: textCache, isDirectory: true))
            for directory in directories {
                let folder = URL(fileURLWithPath: directory, isDirectory: true)
                let records = try Display.truthRecords(in: folder)
                let read = await TrainingSamples.fromFolder(folder, records: records, processor: processor, cache: cache, using: pool)
                for failure in read.failures { FileHandle.standardError.write(Data("skipped \(failure)\n".utf8)) }
                samples += read.samples
                sources.append("\(directory.hasSuffix("/") ? directory : directory + "/")truth.jsonl (\(read.samples.count))")
            }
        }
        if let corrections {
            let store = try Self.openStore(corrections)
            let corrected = try TrainingSamples.fromCorrections(store: store, viewer: "train")
            samples += corrected
            sources.append("corrections (\(corrected.count))")
            try learnFieldLocations(store: store, configuration: configuration)
            if samples.isEmpty {
                print("no class corrections: the class model is left as it is")
                return
            }
        }
        let known = Set(configuration.classes.map(\.id))
        for label in Set(samples.map(\.label)).subtracting(known).sorted() {
            FileHandle.standardError.write(
                Data("warning: class '\(label)' of the training data is not in \(options.config)\n".utf8))
        }
        let trainer = ModelTrainer(
            features: FeatureSettings(maximumFeatures: maximumFeatures),
            options: TrainingOptions(iterations: iterations), minimumProbability: minimumProbability)
        var summary: CrossValidationSummary?
        if folds > 0 {
            summary = trainer.crossValidationSummary(samples, folds: folds).0
        }
        let model: TextClassifierModel
        do {
            model = try trainer.train(samples, trainedAt: date ?? Self.today(), sources: sources, crossValidation: summary)
        } catch {
            throw ValidationError("\(error)")
        }
        let target = out.map { URL(fileURLWithPath: $0) }
            ?? TextClassifierModel.companionURL(forConfiguration: URL(fileURLWithPath: options.config))
        try model.encoded().write(to: target, options: .atomic)
        let file = model.file
        print("trained on \(file.documentCount) documents (\(sources.joined(separator: ", "))), \(file.classes.count) classes, \(file.vocabulary.count) features")
        for id in file.classes { print("  \(id.padding(toLength: 26, withPad: " ", startingAt: 0)) \(file.documentsPerClass[id] ?? 0)") }
        if let summary {
            print(
                "\(summary.folds)-fold cross-validated accuracy (by document, never on its own training data): \(String(format: "%.1f%%", summary.accuracy * 100)) (\(summary.correct)/\(summary.documents)); sure (p >= \(minimumProbability)): \(summary.sureCorrect)/\(summary.sure) right"
            )
        }
        print("training set fnv1a64 \(file.trainingSetHash); written to \(target.path)")
    }

    /// Learns where layouts keep the corrected fields and writes pipeline.fields.json.
    private func learnFieldLocations(store: any AkteStore, configuration: PipelineConfiguration) throws {
        let examples = try TrainingSamples.fieldCorrections(store: store, viewer: "train")
        let learned = FieldLocationTrainer(configuration: configuration)
            .train(examples, trainedAt: date ?? Self.today(), sources: ["corrections (\(examples.count))"])
        let target = fieldsOut.map { URL(fileURLWithPath: $0) }
            ?? FieldLocationModel.companionURL(forConfiguration: URL(fileURLWithPath: options.config))
        try learned.encoded().write(to: target, options: .atomic)
        let locations = learned.file.locations
        print(
            "field locations: \(examples.count) corrected field(s), \(locations.filter { !$0.conflicting }.count) location(s) learned, \(locations.filter(\.conflicting).count) layout(s) with disagreeing corrections (abstains), \(learned.file.skipped.count) skipped; written to \(target.path)"
        )
        for location in locations {
            let state = location.conflicting ? "DISAGREE, abstains: \(location.alternatives.joined(separator: " / "))" : location.summary
            print("  \(location.classID).\(location.key): \(state); layout: \(location.layoutWords.prefix(6).joined(separator: " "))")
        }
        for reason in learned.file.skipped { print("  skipped \(reason)") }
    }

    static func openStore(_ path: String) throws -> any AkteStore {
        if path.hasPrefix("postgres://") || path.hasPrefix("postgresql://") {
            do { return try AkteStores.open(database: path, dataDirectory: URL(fileURLWithPath: ".")) } catch { throw ValidationError("\(error)") }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ValidationError("no E-Akte at \(path): pass akte.sqlite or the data directory that holds it")
        }
        let database = isDirectory.boolValue ? URL(fileURLWithPath: path).appendingPathComponent("akte.sqlite").path : path
        guard FileManager.default.fileExists(atPath: database) else {
            throw ValidationError("no akte.sqlite in \(path): pass akte.sqlite or the data directory that holds it")
        }
        do {
            return try AkteStores.open(.sqlite(path: database))
        } catch {
            throw ValidationError("\(error)")
        }
    }

    static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        return parts.count == 3 && parts[0].count == 4 && parts[1].count == 2 && parts[2].count == 2
            && parts.allSatisfy { $0.allSatisfy(\.isNumber) }
    }

    static func today() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }
}

extension PipelineOptions {
    /// The field locations learned from corrections next to `--config` (`pipeline.fields.json`), or nil.
    func loadFieldLocations() throws -> FieldLocationModel? {
        do {
            return try FieldLocationModel.loadIfPresent(besideConfiguration: URL(fileURLWithPath: config))
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The learned classifier next to `--config` (`pipeline.model.json`), or nil (rules only).
    func loadModel() throws -> TextClassifierModel? {
        do {
            return try TextClassifierModel.loadIfPresent(besideConfiguration: URL(fileURLWithPath: config))
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

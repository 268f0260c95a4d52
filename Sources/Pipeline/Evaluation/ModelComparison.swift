import Classification
import Foundation
import OCR

/// Rules alone beside rules with the learned second opinion, on one reading of a labelled
/// folder: once with the model as loaded (which may have been trained on these very
/// documents) and once cross-validated (each document judged by a model trained without it),
/// the honest figure.
public struct ModelComparison: Sendable, Encodable {
    /// What adding the model did to the documents, compared with the rules alone.
    public struct Effects: Sendable, Encodable, Equatable {
        /// Class wrong with rules, right with the model.
        public var rescued: Int = 0
        /// Class right with rules, wrong with the model.
        public var broke: Int = 0
        /// Wrong class that the rules would have filed unreviewed, now held for review.
        public var caught: Int = 0
        /// Right class, filed unreviewed by the rules, now held for review.
        public var extraReviews: Int = 0
        /// Held for review by the rules, filed unreviewed now (right class).
        public var releasedRight: Int = 0
        /// Held for review by the rules, filed unreviewed now with a wrong class.
        public var releasedWrong: Int = 0
        public var sentToReview: Int = 0

        enum CodingKeys: String, CodingKey {
            case rescued, broke, caught
            case extraReviews = "extra_reviews"
            case releasedRight = "released_right"
            case releasedWrong = "released_wrong"
            case sentToReview = "sent_to_review"
        }

        init(base: EvaluationReport, other: EvaluationReport) {
            let before = Dictionary(base.rows.map { ($0.file, $0) }, uniquingKeysWith: { a, _ in a })
            for row in other.rows {
                if row.needsReview { sentToReview += 1 }
                guard let old = before[row.file], row.error == nil else { continue }
                let wasRight = old.predictedClass == old.expectedClass, isRight = row.predictedClass == row.expectedClass
                if !wasRight && isRight { rescued += 1 }
                if wasRight && !isRight { broke += 1 }
                if !old.needsReview && row.needsReview { if isRight { extraReviews += 1 } else { caught += 1 } }
                if old.needsReview && !row.needsReview { if isRight { releasedRight += 1 } else { releasedWrong += 1 } }
            }
        }

        init() {}
    }

    public var rulesOnly: EvaluationReport
    public var withModel: EvaluationReport
    public var withModelEffects: Effects
    public var crossValidated: EvaluationReport?
    public var crossValidatedEffects: Effects?
    /// The model alone (no rules), cross-validated: documents and how many it classed right.
    public var modelAloneCorrect: Int
    public var modelAloneDocuments: Int
    public var folds: Int
    /// Documents the loaded model was trained on that are in this folder (same text hash).
    public var modelTrainedOn: Int

    enum CodingKeys: String, CodingKey {
        case rulesOnly = "rules_only"
        case withModel = "rules_and_model"
        case withModelEffects = "rules_and_model_effects"
        case crossValidated = "rules_and_model_cross_validated"
        case crossValidatedEffects = "rules_and_model_cross_validated_effects"
        case modelAloneCorrect = "model_alone_cross_validated_correct"
        case modelAloneDocuments = "model_alone_cross_validated_documents"
        case folds
        case modelTrainedOn = "model_training_documents"
    }

    /// Reads every document once and applies the three rule sets to the same text.
    public static func run(
        folder: URL, records: [TruthRecord], processor: DocumentProcessor, model: TextClassifierModel, folds: Int,
        compareWithPlainTesseract: Bool = false, using pool: EnginePool
    ) async -> ModelComparison {
        // Plain tesseract on the same files, as many at a time as the pool has workers.
        let plain: [Int: String] = !compareWithPlainTesseract ? [:] : await withTaskGroup(of: (Int, String?).self) { group in
            for (index, record) in records.enumerated() where record.text != nil {
                group.addTask { (index, try? await pool.run({ _ in PlainTesseract.read(folder.appendingPathComponent(record.file)) })) }
            }
            var texts: [Int: String] = [:]
            for await (index, text) in group { if let text = text ?? nil { texts[index] = text } }
            return texts
        }
        let reads = await withTaskGroup(of: (Int, Result<DocumentProcessor.ReadUpload, ProcessingFailure>, Double).self) {
            group in
            var next = 0
            var collected: [(Int, Result<DocumentProcessor.ReadUpload, ProcessingFailure>, Double)] = []
            func addNext() {
                guard next < records.count else { return }
                let index = next, record = records[index]
                next += 1
                group.addTask {
                    let started = DispatchTime.now().uptimeNanoseconds
                    let read = await processor.read(
                        fileAt: folder.appendingPathComponent(record.file), displayName: record.file, using: pool)
                    return (index, read, Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
                }
            }
            for _ in 0..<max(pool.size, 1) { addNext() }
            for await item in group {
                collected.append(item)
                addNext()
            }
            return collected.sorted { $0.0 < $1.0 }
        }
        let rules = processor.analyzer.with(model: nil)
        func report(_ analyzerFor: (Int) -> DocumentAnalyzer) -> EvaluationReport {
            EvaluationReport(
                rows: reads.map { index, read, milliseconds in
                    let analyzer = analyzerFor(index)
                    let outcome = read.map { upload in
                        processor.with(analyzer: analyzer).analyze(
                            upload.document, file: records[index].file, sha256: upload.sha256, sidecar: upload.sidecar,
                            extraReasons: upload.problems)
                    }
                    var row = Evaluator.row(for: records[index], outcome: outcome, milliseconds: milliseconds)
                    row.setPlainTesseract(plain[index], truth: records[index].text)
                    return row
                })
        }
        let rulesReport = report { _ in rules }
        let loaded = rules.with(model: model)
        let loadedReport = report { _ in loaded }

        // Cross-validation over the documents that could be read, with the model's own settings.
        var samples: [LabeledText] = []
        var positions: [Int] = []
        for (index, read, _) in reads {
            guard case .success(let upload) = read else { continue }
            samples.append(LabeledText(label: records[index].documentClass, text: upload.document.text, origin: records[index].file))
            positions.append(index)
        }
        let trainer = ModelTrainer(
            features: model.file.features, options: model.file.training, minimumProbability: model.file.minimumProbability)
        var foldModel: [Int: TextClassifierModel] = [:]
        for (foldTrained, heldOut) in trainer.foldModels(samples, folds: folds) {
            for position in heldOut { foldModel[positions[position]] = foldTrained }
        }
        var modelAloneCorrect = 0
        for (sample, position) in zip(samples, positions) {
            if let fold = foldModel[position], fold.predict(sample.text).classID == sample.label { modelAloneCorrect += 1 }
        }
        let cvReport: EvaluationReport? =
            samples.isEmpty ? nil : report { index in foldModel[index].map { rules.with(model: $0) } ?? rules }
        let training = Set(model.file.trainingTextHashes)
        let trainedOn = samples.filter { training.contains(ModelTrainer.textHash($0.text)) }.count
        return ModelComparison(
            rulesOnly: rulesReport, withModel: loadedReport, withModelEffects: Effects(base: rulesReport, other: loadedReport),
            crossValidated: cvReport, crossValidatedEffects: cvReport.map { Effects(base: rulesReport, other: $0) },
            modelAloneCorrect: modelAloneCorrect, modelAloneDocuments: samples.count, folds: folds, modelTrainedOn: trainedOn)
    }

    /// The figures side by side, as a person reads them.
    public func rendered(modelName: String) -> String {
        func pct(_ v: Double) -> String { String(format: "%.1f%%", v * 100) }
        func line(_ label: String, _ values: [String]) -> String {
            label.padding(toLength: 30, withPad: " ", startingAt: 0)
                + values.map { $0.padding(toLength: 18, withPad: " ", startingAt: 0) }.joined()
        }
        var columns = [rulesOnly, withModel]
        var effects: [Effects?] = [nil, withModelEffects]
        var names = ["rules only", "rules + model", "rules + model"]
        var subtitles = ["", "(as loaded)", "(\(folds)-fold CV)"]
        if let crossValidated {
            columns.append(crossValidated)
            effects.append(crossValidatedEffects)
        } else {
            names.removeLast()
            subtitles.removeLast()
        }
        var out: [String] = []
        out.append(line("", names))
        out.append(line("", subtitles))
        out.append(line("class accuracy", columns.map { "\(pct($0.classAccuracy)) (\($0.classCorrect)/\($0.documents))" }))
        out.append(line("sent to review", columns.map { "\($0.rows.filter(\.needsReview).count)" }))
        out.append(line("field accuracy", columns.map { pct($0.fieldAccuracy) }))
        out.append(line("fields wrong, not doubtful", columns.map { "\($0.fieldsWrongNotDoubtful) of \($0.fieldsWrong)" }))
        out.append(line("cases WRONG", columns.map { "\($0.casesWrong)" }))
        let rows: [(String, (Effects) -> Int)] = [
            ("rescued (class fixed)", { $0.rescued }), ("broke (class spoilt)", { $0.broke }),
            ("caught (wrong, now reviewed)", { $0.caught }), ("extra reviews (right class)", { $0.extraReviews }),
            ("released, right class", { $0.releasedRight }), ("released, WRONG class", { $0.releasedWrong }),
        ]
        for (label, value) in rows {
            out.append(line(label, effects.map { $0.map { String(value($0)) } ?? "—" }))
        }
        out.append("")
        out.append(
            "model alone, \(folds)-fold cross-validated by document: \(pct(modelAloneDocuments == 0 ? 0 : Double(modelAloneCorrect) / Double(modelAloneDocuments))) (\(modelAloneCorrect)/\(modelAloneDocuments))"
        )
        if modelTrainedOn > 0 {
            out.append(
                "note: \(modelName) was trained on \(modelTrainedOn) of these \(modelAloneDocuments) documents, so the 'as loaded' column is training accuracy; the cross-validated column is the honest one"
            )
        }
        return out.joined(separator: "\n")
    }
}

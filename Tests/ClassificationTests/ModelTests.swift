import Foundation
import Testing

@testable import Classification

/// Labelled texts for training: each sample document and four variants with lines left out
/// (as OCR loses lines), five per class.
enum TrainingCorpus {
    static let documents: [(String, String)] = [
        ("mietvertrag", SampleDocuments.mietvertrag), ("mietbescheinigung", SampleDocuments.mietbescheinigung),
        ("lohnabrechnung", SampleDocuments.lohnabrechnung), ("kontoauszug", SampleDocuments.kontoauszug),
        ("betriebskostenabrechnung", SampleDocuments.betriebskostenabrechnung),
        ("kindergeldbescheid", SampleDocuments.kindergeldbescheid), ("au_bescheinigung", SampleDocuments.auBescheinigung),
        ("sonstiges", SampleDocuments.sonstiges),
    ]

    static func variants(_ text: String) -> [String] {
        let lines = text.components(separatedBy: "\n")
        // The page line keeps every variant distinct even for a short letter.
        return [text] + (2...5).map { step in
            lines.enumerated().filter { $0.offset % step != 1 }.map(\.element).joined(separator: "\n")
                + "\nSeite \(step) von 5"
        }
    }

    /// `relabel` maps a true class to the label the model is taught (to build a model that
    /// disagrees with the rules on purpose).
    static func samples(relabel: [String: String] = [:]) -> [LabeledText] {
        documents.flatMap { label, text in
            variants(text).enumerated().map { index, variant in
                LabeledText(label: relabel[label] ?? label, text: variant, origin: "\(label)-\(index)")
            }
        }
    }

    static let trainer = ModelTrainer(
        features: FeatureSettings(maximumFeatures: 600), options: TrainingOptions(iterations: 150), minimumProbability: 0.3)

    static func model(relabel: [String: String] = [:], minimumProbability: Double = 0.3) throws -> TextClassifierModel {
        var trainer = Self.trainer
        trainer.minimumProbability = minimumProbability
        return try trainer.train(samples(relabel: relabel), trainedAt: "2025-06-15", sources: ["test corpus"])
    }
}

@Suite("Learned classifier")
struct ModelTests {
    @Test("Features are folded words, word pairs and character n-grams, with digits as 0")
    func features() {
        let features = FeatureSettings().features(of: "Gesamtmiete 650,00 EUR\nMÜLLER")
        #expect(features.contains("w:gesamtmiete"))
        #expect(features.contains("w:000"))
        #expect(features.contains("b:gesamtmiete_000"))
        #expect(features.contains("w:mueller"))
        #expect(features.contains("c:_ges"))
        #expect(features.contains("c:miete"))
        #expect(!features.contains("c:650"), "digits are not split into letter n-grams")
        #expect(!features.contains { $0.count > 2 && $0.hasPrefix("c:") && $0.count - 2 > 5 })
    }

    @Test("A trained model classes unseen variants of each class right")
    func predictsHeldOutText() throws {
        let model = try TrainingCorpus.model()
        #expect(model.file.classes.count == 8)
        #expect(model.file.documentCount == 40)
        let unseen = [
            ("kontoauszug", "Kontoauszug 4/2025\nBuchungstag Wert Verwendungszweck Betrag\nLastschrift Miete -450,00\nNeuer Kontostand 12,00 EUR"),
            ("lohnabrechnung", "Verdienstabrechnung April 2025\nGesamt-Brutto 2.100,00\nLohnsteuer 200,00\nAuszahlungsbetrag 1.500,00"),
            ("au_bescheinigung", "Arbeitsunfähigkeitsbescheinigung Folgebescheinigung\narbeitsunfähig seit 01.04.2025"),
        ]
        for (label, text) in unseen {
            let opinion = model.predict(text)
            #expect(opinion.classID == label, "\(opinion)")
            #expect(opinion.ranked.first?.classID == label)
            #expect(!opinion.evidence.isEmpty)
        }
    }

    @Test("Cross-validation predicts each document with a model that never saw it")
    func crossValidation() {
        let samples = TrainingCorpus.samples()
        let (summary, opinions) = TrainingCorpus.trainer.crossValidationSummary(samples, folds: 5)
        #expect(summary.documents == 40)
        #expect(opinions.count == 40)
        #expect(opinions.allSatisfy { $0 != nil })
        // Each fold holds one variant per class on average; with four others to learn from,
        // most are recognised.
        #expect(summary.accuracy >= 0.8, "\(summary)")
        let folds = TrainingCorpus.trainer.foldModels(samples, folds: 5)
        #expect(folds.count == 5)
        for (model, heldOut) in folds {
            let seen = Set(model.file.trainingTextHashes)
            #expect(heldOut.allSatisfy { !seen.contains(ModelTrainer.textHash(samples[$0].text)) })
        }
    }

    @Test("Training is deterministic: the same documents in another order give the same bytes")
    func deterministic() throws {
        let samples = TrainingCorpus.samples()
        let first = try TrainingCorpus.trainer.train(samples, trainedAt: "2025-06-15", sources: ["a"]).encoded()
        let second = try TrainingCorpus.trainer.train(samples.reversed(), trainedAt: "2025-06-15", sources: ["a"]).encoded()
        #expect(first == second)
        let other = try TrainingCorpus.trainer.train(Array(samples.dropLast()), trainedAt: "2025-06-15", sources: ["a"])
        #expect(try other.encoded() != first)
        #expect(other.file.trainingSetHash != (try TrainingCorpus.trainer.train(samples, trainedAt: "x", sources: []).file.trainingSetHash))
    }

    @Test("The committed pipeline.model.json loads beside pipeline.yml and knows only configured classes")
    func committedModel() throws {
        let model = try #require(try TextClassifierModel.loadIfPresent(besideConfiguration: TestResources.pipelineURL))
        let configured = Set(TestResources.configuration.classes.map(\.id))
        #expect(Set(model.file.classes).isSubset(of: configured), "retrain: posteingang train fixtures/")
        #expect(model.file.documentCount >= 40)
        let validation = try #require(model.file.crossValidation)
        #expect(validation.accuracy >= 0.9, "\(validation)")
        #expect(model.predict(SampleDocuments.kontoauszug).classID == "kontoauszug")
    }

    @Test("The model file round-trips, and damaged or foreign files are refused with the reason")
    func fileRoundTrip() throws {
        let model = try TrainingCorpus.model()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = folder.appendingPathComponent("pipeline.yml")
        #expect(try TextClassifierModel.loadIfPresent(besideConfiguration: configuration) == nil)
        let url = TextClassifierModel.companionURL(forConfiguration: configuration)
        #expect(url.lastPathComponent == "pipeline.model.json")
        try model.encoded().write(to: url)
        let loaded = try #require(try TextClassifierModel.loadIfPresent(besideConfiguration: configuration))
        #expect(loaded.file == model.file)
        #expect(loaded.predict(SampleDocuments.mietvertrag) == model.predict(SampleDocuments.mietvertrag))

        var damaged = model.file
        damaged.weights[0].removeLast()
        #expect(throws: ModelError.self) { try TextClassifierModel(file: damaged) }
        var future = model.file
        future.formatVersion = 9
        do {
            _ = try TextClassifierModel(file: future)
            Issue.record("version 9 accepted")
        } catch let error as ModelError {
            #expect(error.message.contains("supported: 1"))
        }
        try Data("{\"format\": \"something else\"}".utf8).write(to: url)
        do {
            _ = try TextClassifierModel.load(from: url)
            Issue.record("a foreign file was accepted")
        } catch let error as ModelError {
            #expect(error.message.contains("pipeline.model.json"))
            #expect(error.message.contains("missing"))
        }
    }
}

@Suite("Rules and model together")
struct RulesAndModelTests {
    static func analyzer(_ model: TextClassifierModel?, yaml: String? = nil) throws -> DocumentAnalyzer {
        let configuration = try yaml.map { try PipelineConfiguration(yaml: $0) } ?? TestResources.configuration
        return DocumentAnalyzer(
            configuration: configuration, register: TestResources.register, referenceDate: TestResources.referenceDate,
            model: model)
    }

    @Test("When rules and model disagree, the document goes to review with both opinions named")
    func disagreement() throws {
        // Taught with rent contracts and rent certificates swapped.
        let swapped = try TrainingCorpus.model(relabel: ["mietvertrag": "mietbescheinigung", "mietbescheinigung": "mietvertrag"])
        let analysis = try Self.analyzer(swapped).analyze(text: SampleDocuments.mietvertrag, claims: .sidecar("96301BG0012345"))
        #expect(analysis.classification.classID == "mietvertrag", "the rules' class stands")
        #expect(analysis.model?.agrees == false)
        #expect(analysis.needsReview)
        let reason = try #require(analysis.reviewReasons.first { $0.hasPrefix("Regeln und Modell sind uneins") })
        #expect(reason.contains("die Regeln sagen „Mietvertrag“"))
        #expect(reason.contains("das Modell sagt „Mietbescheinigung“"))
    }

    @Test("An unsure model that leans elsewhere does not send a document the rules are sure of to review")
    func unsureDissent() throws {
        // Taught with rent contracts and rent certificates swapped, and never sure of anything.
        let swapped = try TrainingCorpus.model(
            relabel: ["mietvertrag": "mietbescheinigung", "mietbescheinigung": "mietvertrag"], minimumProbability: 1)
        let analysis = try Self.analyzer(swapped).analyze(text: SampleDocuments.mietvertrag, claims: .sidecar("96301BG0012345"))
        #expect(analysis.classification.classID == "mietvertrag")
        #expect(analysis.model?.agrees == false)
        #expect(analysis.model?.opinion.sure == false)
        #expect(!analysis.reviewReasons.contains { $0.hasPrefix("rules and model") }, "\(analysis.reviewReasons)")
    }

    @Test("Without a model, or with one that agrees, a clear document is filed as before")
    func agreement() throws {
        let text = SampleDocuments.lohnabrechnung + "\nKundennummer 963D111111"
        let rulesOnly = try Self.analyzer(nil).analyze(text: text)
        let both = try Self.analyzer(try TrainingCorpus.model()).analyze(text: text)
        #expect(rulesOnly.model == nil)
        #expect(!rulesOnly.needsReview)
        #expect(both.model?.agrees == true)
        #expect(!both.needsReview, "\(both.reviewReasons)")
        #expect(both.classification == rulesOnly.classification)
    }

    @Test("A sure model lifts the rules' doubt when it agrees; both unsure goes to review naming both")
    func doubt() throws {
        let strict = try String(contentsOf: TestResources.pipelineURL, encoding: .utf8)
            .replacingOccurrences(of: "minimum_confidence: 0.5", with: "minimum_confidence: 0.9")
        // Title and one more piece of evidence: over the threshold, but not by much.
        let text = "Verdienstabrechnung März 2025\nMuster Logistik GmbH\nGesamt-Brutto 2.450,00\nKundennummer 963D111111"
        let rulesOnly = try Self.analyzer(nil, yaml: strict).analyze(text: text)
        #expect(rulesOnly.classification.classID == "lohnabrechnung")
        #expect(rulesOnly.reviewReasons.contains { $0.contains("nur mit Sicherheit") && $0.contains("verlangt sind 0,90") }, "\(rulesOnly.reviewReasons)")

        let sure = try Self.analyzer(try TrainingCorpus.model(), yaml: strict).analyze(text: text)
        #expect(sure.model?.opinion.sure == true)
        #expect(!sure.needsReview, "\(sure.reviewReasons)")

        let unsure = try Self.analyzer(try TrainingCorpus.model(minimumProbability: 1), yaml: strict).analyze(text: text)
        #expect(unsure.needsReview)
        let reason = try #require(unsure.reviewReasons.first { $0.hasPrefix("Regeln und Modell sind beide unsicher") })
        #expect(reason.contains("die Regeln sagen „Lohn") && reason.contains("das Modell sagt „Lohn"), "\(reason)")
    }

    @Test("A model that never learnt the rules' class abstains instead of disagreeing (classes added after training)")
    func abstention() throws {
        let samples = TrainingCorpus.samples().filter { $0.label != "au_bescheinigung" }
        let model = try TrainingCorpus.trainer.train(samples, trainedAt: "2025-06-15", sources: [])
        let analysis = try Self.analyzer(model).analyze(text: SampleDocuments.auBescheinigung, claims: .sidecar("96301BG0012345"))
        #expect(analysis.classification.classID == "au_bescheinigung")
        #expect(analysis.model?.abstained == true)
        #expect(analysis.model?.agrees == false)
        #expect(!analysis.reviewReasons.contains { $0.contains("model") }, "\(analysis.reviewReasons)")
    }

    @Test("When the rules find no class and the model is sure, its class is proposed and a person confirms")
    func adoption() throws {
        let model = try TrainingCorpus.model(relabel: ["sonstiges": "kindergeldbescheid"])
        let analysis = try Self.analyzer(model).analyze(text: SampleDocuments.sonstiges, claims: .sidecar("96301BG0012345"))
        #expect(analysis.model?.adopted == true)
        #expect(analysis.classification.classID == "kindergeldbescheid")
        #expect(!analysis.classification.isFallback)
        #expect(analysis.needsReview)
        #expect(analysis.reviewReasons.contains { $0.contains("die Regeln finden keine Klasse") && $0.contains("Klasse vom Modell übernommen") })
    }
}

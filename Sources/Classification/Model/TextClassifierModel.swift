import Foundation

/// The learned second opinion: softmax (multinomial logistic) regression with L2
/// regularisation over word, word-pair and character n-gram features of the OCR text.
///
/// Small (a few thousand features), fast (microseconds per document once the features are
/// extracted) and explainable: every feature has one weight per class, so the features that
/// pushed a document towards its class can be listed. Stored as JSON next to `pipeline.yml`
/// (`pipeline.model.json`), written by `posteingang train`.
public struct TextClassifierModel: Sendable {
    /// Everything stored in the model file.
    public let file: ModelFile
    private let index: [String: Int]

    /// The file name the model has next to a configuration: `pipeline.yml` → `pipeline.model.json`.
    public static func companionURL(forConfiguration configuration: URL) -> URL {
        configuration.deletingPathExtension().appendingPathExtension("model.json")
    }

    /// The model next to `configuration`, or nil when there is none (rules only).
    public static func loadIfPresent(besideConfiguration configuration: URL) throws -> TextClassifierModel? {
        let url = companionURL(forConfiguration: configuration)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try load(from: url)
    }

    public static func load(from url: URL) throws -> TextClassifierModel {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelError("cannot read the model file \(url.path) (\(error.localizedDescription))")
        }
        let file: ModelFile
        do {
            file = try JSONDecoder().decode(ModelFile.self, from: data)
        } catch {
            throw ModelError(
                "\(url.lastPathComponent) is not a model file written by `posteingang train` (\(Self.describe(error))); retrain it or remove it to run on rules only"
            )
        }
        do {
            return try TextClassifierModel(file: file)
        } catch let error as ModelError {
            throw ModelError("\(url.lastPathComponent): \(error.message)")
        }
    }

    /// Checks the file's shape: supported version, one weight row per class, one weight per feature.
    public init(file: ModelFile) throws {
        guard file.format == ModelFile.formatName else {
            throw ModelError("format '\(file.format)' is not '\(ModelFile.formatName)'")
        }
        guard ModelFile.supportedVersions.contains(file.formatVersion) else {
            throw ModelError(
                "format version \(file.formatVersion) is not supported (supported: \(ModelFile.supportedVersions.map(String.init).joined(separator: ", "))); retrain with this version of posteingang"
            )
        }
        guard file.classes.count >= 2 else { throw ModelError("a model needs at least two classes, it has \(file.classes.count)") }
        guard file.weights.count == file.classes.count, file.bias.count == file.classes.count else {
            throw ModelError(
                "\(file.classes.count) classes but \(file.weights.count) weight rows and \(file.bias.count) biases; the file is damaged")
        }
        guard file.weights.allSatisfy({ $0.count == file.vocabulary.count }) else {
            throw ModelError("every weight row needs one weight per feature (\(file.vocabulary.count)); the file is damaged")
        }
        guard file.weights.allSatisfy({ $0.allSatisfy(\.isFinite) }), file.bias.allSatisfy(\.isFinite) else {
            throw ModelError("weights must be finite numbers; the file is damaged")
        }
        guard (0...1).contains(file.minimumProbability) else {
            throw ModelError("minimum_probability must lie in 0...1 (found \(file.minimumProbability))")
        }
        var index: [String: Int] = [:]
        for (position, feature) in file.vocabulary.enumerated() {
            guard index.updateValue(position, forKey: feature) == nil else {
                throw ModelError("feature '\(feature)' appears twice in the vocabulary; the file is damaged")
            }
        }
        self.file = file
        self.index = index
    }

    /// The model's opinion of one document's text.
    public func predict(_ text: String, evidenceCount: Int = 8) -> ModelOpinion {
        let present = file.features.features(of: text).compactMap { index[$0] }.sorted()
        let scores = Self.scores(present: present, weights: file.weights, bias: file.bias)
        let probabilities = Self.softmax(scores)
        let order = probabilities.indices.sorted {
            probabilities[$0] != probabilities[$1] ? probabilities[$0] > probabilities[$1] : $0 < $1
        }
        let best = order[0], second = order[1]
        let value = present.isEmpty ? 0 : 1 / Double(present.count).squareRoot()
        // Why `best` and not the runner-up: features by how much they move the two apart.
        var pushes: [(feature: Int, push: Double)] = []
        for feature in present {
            let push = (file.weights[best][feature] - file.weights[second][feature]) * value
            if push > 0 { pushes.append((feature, push)) }
        }
        pushes.sort { $0.push != $1.push ? $0.push > $1.push : $0.feature < $1.feature }
        let evidence = pushes.prefix(evidenceCount).map {
            FeatureEvidence(feature: file.vocabulary[$0.feature], weight: Self.rounded($0.push))
        }
        let probability = Self.rounded(probabilities[best])
        return ModelOpinion(
            classID: file.classes[best], probability: probability, sure: probability >= file.minimumProbability,
            ranked: order.prefix(3).map { ClassProbability(classID: file.classes[$0], probability: Self.rounded(probabilities[$0])) },
            evidence: Array(evidence), knownFeatures: present.count)
    }

    static func scores(present: [Int], weights: [[Double]], bias: [Double]) -> [Double] {
        let value = present.isEmpty ? 0 : 1 / Double(present.count).squareRoot()
        return weights.indices.map { row in
            var sum = bias[row]
            let w = weights[row]
            for feature in present { sum += w[feature] * value }
            return sum
        }
    }

    static func softmax(_ scores: [Double]) -> [Double] {
        let top = scores.max() ?? 0
        let exponentials = scores.map { Foundation.exp($0 - top) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }

    static func rounded(_ value: Double) -> Double {
        (value * 10_000).rounded() / 10_000
    }

    /// The model as the JSON written to disk: sorted keys, so the same training gives the same bytes.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(file)
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.dataCorrupted(let context): return context.debugDescription
        default: return "\(error)"
        }
    }
}

/// The stored form of a model (`pipeline.model.json`).
public struct ModelFile: Sendable, Codable, Equatable {
    public static let formatName = "posteingang-text-classifier"
    public static let supportedVersions = [1]

    public var format: String
    public var formatVersion: Int
    /// Day of training, `YYYY-MM-DD` (given to `train --date`, so retraining is reproducible).
    public var trainedAt: String
    /// Class ids, in the order of `weights` and `bias`.
    public var classes: [String]
    public var documentCount: Int
    public var documentsPerClass: [String: Int]
    /// FNV-1a (64 bit, hex) over the sorted lines `class <TAB> FNV of the text`: the same
    /// training documents give the same hash, in any order.
    public var trainingSetHash: String
    /// FNV-1a of each training text, sorted: tells `eval` which documents the model has seen.
    public var trainingTextHashes: [String]
    /// Where the labels came from, e.g. `fixtures/truth.jsonl (46)`, `corrections (3)`.
    public var sources: [String]
    public var features: FeatureSettings
    public var training: TrainingOptions
    /// Below this probability the model counts as unsure.
    public var minimumProbability: Double
    /// Accuracy measured by k-fold cross-validation at training time, if it was run.
    public var crossValidation: CrossValidationSummary?
    public var vocabulary: [String]
    public var bias: [Double]
    /// One row per class, one weight per vocabulary entry.
    public var weights: [[Double]]

    enum CodingKeys: String, CodingKey {
        case format
        case formatVersion = "format_version"
        case trainedAt = "trained_at"
        case classes
        case documentCount = "document_count"
        case documentsPerClass = "documents_per_class"
        case trainingSetHash = "training_set_fnv1a64"
        case trainingTextHashes = "training_text_fnv1a64"
        case sources, features, training
        case minimumProbability = "minimum_probability"
        case crossValidation = "cross_validation"
        case vocabulary, bias, weights
    }
}

/// How the weights were fitted.
public struct TrainingOptions: Sendable, Codable, Equatable {
    public var algorithm: String
    /// L2 penalty on the weights.
    public var l2: Double
    public var learningRate: Double
    /// Full-batch gradient steps (fixed count: deterministic).
    public var iterations: Int

    public init(l2: Double = 0.0005, learningRate: Double = 2, iterations: Int = 300) {
        algorithm = "softmax_regression_l2_gradient_descent"
        self.l2 = l2
        self.learningRate = learningRate
        self.iterations = iterations
    }

    enum CodingKeys: String, CodingKey {
        case algorithm, l2
        case learningRate = "learning_rate"
        case iterations
    }
}

/// Held-out accuracy measured when the model was trained.
public struct CrossValidationSummary: Sendable, Codable, Equatable {
    public var folds: Int
    public var documents: Int
    public var correct: Int
    public var accuracy: Double
    /// Documents the model was sure of, and how many of those it got right.
    public var sure: Int
    public var sureCorrect: Int

    enum CodingKeys: String, CodingKey {
        case folds, documents, correct, accuracy, sure
        case sureCorrect = "sure_correct"
    }
}

/// What the learned classifier thinks of a document.
public struct ModelOpinion: Sendable, Codable, Equatable {
    public var classID: String
    public var probability: Double
    /// `probability` reached the model's `minimum_probability`.
    public var sure: Bool
    /// The best classes, most probable first (at most three).
    public var ranked: [ClassProbability]
    /// The features that most separate the choice from the runner-up.
    public var evidence: [FeatureEvidence]
    /// How many of the model's features the text has (0: the model knows nothing of it).
    public var knownFeatures: Int

    enum CodingKeys: String, CodingKey {
        case classID = "class"
        case probability, sure, ranked, evidence
        case knownFeatures = "known_features"
    }
}

public struct ClassProbability: Sendable, Codable, Equatable {
    public var classID: String
    public var probability: Double

    enum CodingKeys: String, CodingKey {
        case classID = "class"
        case probability
    }
}

/// One feature's push towards the chosen class (score units).
public struct FeatureEvidence: Sendable, Codable, Equatable {
    /// `w:word`, `b:word_word`, `c:_abc`.
    public var feature: String
    public var weight: Double

    /// The feature as a person reads it: `word 'miete'`, `words 'gesamt miete'`, `letters '_mie'`.
    public var readable: String {
        let body = String(feature.dropFirst(2))
        switch feature.prefix(2) {
        case "w:": return "word '\(body)'"
        case "b:": return "words '\(body.replacingOccurrences(of: "_", with: " "))'"
        default: return "letters '\(body)'"
        }
    }
}

/// A model file that cannot be used, or training that cannot run.
public struct ModelError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

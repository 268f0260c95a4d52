import Foundation

/// A document's text with the class a person gave it: one training example.
public struct LabeledText: Sendable, Equatable {
    public var label: String
    public var text: String
    /// Where it came from, for messages (`scan/mietvertrag_01.pdf`, `document 3f2a…`).
    public var origin: String

    public init(label: String, text: String, origin: String) {
        self.label = label
        self.text = text
        self.origin = origin
    }
}

/// Fits `TextClassifierModel`s. Deterministic: the same examples (in any order), settings and
/// date give the same model, byte for byte.
public struct ModelTrainer: Sendable {
    public var features: FeatureSettings
    public var options: TrainingOptions
    public var minimumProbability: Double

    public init(features: FeatureSettings = FeatureSettings(), options: TrainingOptions = TrainingOptions(), minimumProbability: Double = 0.5) {
        self.features = features
        self.options = options
        self.minimumProbability = minimumProbability
    }

    /// Trains on `samples`. `sources` and `trainedAt` are recorded in the file.
    public func train(
        _ samples: [LabeledText], trainedAt: String, sources: [String], crossValidation: CrossValidationSummary? = nil
    ) throws -> TextClassifierModel {
        let ordered = Self.canonicalOrder(samples)
        let classes = Array(Set(ordered.map(\.label))).sorted()
        guard classes.count >= 2 else {
            throw ModelError(
                "training needs documents of at least two classes (found \(classes.count): \(classes.joined(separator: ", ")))")
        }
        let featureSets = ordered.map { features.features(of: $0.text) }
        let labels = ordered.map { classes.firstIndex(of: $0.label)! }
        let vocabulary = selectVocabulary(featureSets, labels: labels, classCount: classes.count)
        let index = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })
        let rows = featureSets.map { set in set.compactMap { index[$0] }.sorted() }
        let (weights, bias) = fit(rows: rows, labels: labels, classCount: classes.count, featureCount: vocabulary.count)
        var perClass: [String: Int] = [:]
        for sample in ordered { perClass[sample.label, default: 0] += 1 }
        let file = ModelFile(
            format: ModelFile.formatName, formatVersion: 1, trainedAt: trainedAt, classes: classes,
            documentCount: ordered.count, documentsPerClass: perClass, trainingSetHash: Self.trainingSetHash(ordered),
            trainingTextHashes: Array(Set(ordered.map { Self.textHash($0.text) })).sorted(),
            sources: sources, features: features, training: options, minimumProbability: minimumProbability,
            crossValidation: crossValidation, vocabulary: vocabulary,
            bias: bias.map(TextClassifierModel.rounded), weights: weights.map { $0.map(TextClassifierModel.rounded) })
        return try TextClassifierModel(file: file)
    }

    /// k-fold cross-validation by document: each document is predicted by a model trained on
    /// the other folds only. Folds are dealt round-robin in the canonical order (by text hash),
    /// so the split does not follow the file names' classes. Returns one opinion per sample,
    /// in the order given (nil where the other folds held fewer than two classes).
    public func crossValidate(_ samples: [LabeledText], folds: Int) -> [ModelOpinion?] {
        var opinions = [ModelOpinion?](repeating: nil, count: samples.count)
        for (model, heldOut) in foldModels(samples, folds: folds) {
            for position in heldOut { opinions[position] = model.predict(samples[position].text) }
        }
        return opinions
    }

    /// The k models of k-fold cross-validation, each with the positions (in `samples`) it
    /// did not see. A fold whose training part has fewer than two classes gives no model.
    public func foldModels(_ samples: [LabeledText], folds: Int) -> [(model: TextClassifierModel, heldOut: [Int])] {
        let order = Self.canonicalIndices(samples)
        let k = max(2, min(folds, samples.count))
        var result: [(TextClassifierModel, [Int])] = []
        for fold in 0..<k {
            let heldOut = order.enumerated().filter { $0.offset % k == fold }.map(\.element)
            let held = Set(heldOut)
            let training = samples.indices.filter { !held.contains($0) }.map { samples[$0] }
            guard let model = try? train(training, trainedAt: "cross-validation", sources: []) else { continue }
            result.append((model, heldOut))
        }
        return result
    }

    /// Held-out figures of `crossValidate`, for the model file and `train`'s report.
    public func crossValidationSummary(_ samples: [LabeledText], folds: Int) -> (CrossValidationSummary, [ModelOpinion?]) {
        let opinions = crossValidate(samples, folds: folds)
        var correct = 0, sure = 0, sureCorrect = 0
        for (sample, opinion) in zip(samples, opinions) {
            guard let opinion else { continue }
            let right = opinion.classID == sample.label
            if right { correct += 1 }
            if opinion.sure {
                sure += 1
                if right { sureCorrect += 1 }
            }
        }
        let summary = CrossValidationSummary(
            folds: max(2, min(folds, samples.count)), documents: samples.count, correct: correct,
            accuracy: samples.isEmpty ? 0 : TextClassifierModel.rounded(Double(correct) / Double(samples.count)),
            sure: sure, sureCorrect: sureCorrect)
        return (summary, opinions)
    }

    // MARK: Feature selection

    /// Features seen in enough documents, ranked by how differently often they occur inside
    /// and outside their best class; the top `maximumFeatures`, in alphabetical order.
    private func selectVocabulary(_ sets: [Set<String>], labels: [Int], classCount: Int) -> [String] {
        var classSizes = [Int](repeating: 0, count: classCount)
        for label in labels { classSizes[label] += 1 }
        var frequency: [String: [Int]] = [:]
        for (set, label) in zip(sets, labels) {
            for feature in set { frequency[feature, default: [Int](repeating: 0, count: classCount)][label] += 1 }
        }
        let total = sets.count
        var scored: [(feature: String, score: Double)] = []
        for (feature, counts) in frequency {
            let all = counts.reduce(0, +)
            guard all >= features.minimumDocumentFrequency else { continue }
            var best = 0.0
            for c in 0..<classCount where classSizes[c] > 0 {
                let inside = Double(counts[c]) / Double(classSizes[c])
                let othersSize = total - classSizes[c]
                let outside = othersSize > 0 ? Double(all - counts[c]) / Double(othersSize) : 0
                best = max(best, abs(inside - outside))
            }
            scored.append((feature, best))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.feature < $1.feature }
        return scored.prefix(features.maximumFeatures).map(\.feature).sorted()
    }

    // MARK: Fitting

    /// Full-batch gradient descent on the mean cross-entropy plus L2; inputs are binary feature
    /// vectors scaled to unit length.
    private func fit(rows: [[Int]], labels: [Int], classCount: Int, featureCount: Int) -> ([[Double]], [Double]) {
        var weights = [Double](repeating: 0, count: classCount * featureCount)
        var bias = [Double](repeating: 0, count: classCount)
        let n = Double(rows.count)
        let values = rows.map { $0.isEmpty ? 0 : 1 / Double($0.count).squareRoot() }
        var gradient = [Double](repeating: 0, count: classCount * featureCount)
        var biasGradient = [Double](repeating: 0, count: classCount)
        var scores = [Double](repeating: 0, count: classCount)
        for _ in 0..<options.iterations {
            for i in gradient.indices { gradient[i] = 0 }
            for c in 0..<classCount { biasGradient[c] = 0 }
            for (row, (present, label)) in zip(values, zip(rows, labels)) {
                for c in 0..<classCount {
                    var sum = 0.0
                    let base = c * featureCount
                    for f in present { sum += weights[base + f] }
                    scores[c] = bias[c] + sum * row
                }
                let probabilities = TextClassifierModel.softmax(scores)
                for c in 0..<classCount {
                    let error = probabilities[c] - (c == label ? 1 : 0)
                    biasGradient[c] += error
                    let step = error * row
                    let base = c * featureCount
                    for f in present { gradient[base + f] += step }
                }
            }
            let rate = options.learningRate
            for i in weights.indices {
                weights[i] -= rate * (gradient[i] / n + options.l2 * weights[i])
            }
            for c in 0..<classCount { bias[c] -= rate * biasGradient[c] / n }
        }
        let matrix = (0..<classCount).map { Array(weights[($0 * featureCount)..<(($0 + 1) * featureCount)]) }
        return (matrix, bias)
    }

    // MARK: Determinism

    /// Samples sorted by (text hash, label, origin): the input order does not matter.
    static func canonicalOrder(_ samples: [LabeledText]) -> [LabeledText] {
        canonicalIndices(samples).map { samples[$0] }
    }

    /// FNV-1a (hex) of a text, as recorded in `ModelFile.trainingTextHashes`.
    public static func textHash(_ text: String) -> String {
        FNV1a.hex(Array(text.utf8))
    }

    static func canonicalIndices(_ samples: [LabeledText]) -> [Int] {
        let keys = samples.map { (textHash($0.text), $0.label, $0.origin) }
        return samples.indices.sorted { keys[$0] < keys[$1] }
    }

    static func trainingSetHash(_ samples: [LabeledText]) -> String {
        let lines = samples.map { "\($0.label)\t\(textHash($0.text))" }.sorted()
        return FNV1a.hex(Array(lines.joined(separator: "\n").utf8))
    }
}

/// 64-bit FNV-1a: a small, stable, non-cryptographic hash (Swift's `Hasher` is seeded per run).
enum FNV1a {
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
        return value
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let value = String(hash(bytes), radix: 16)
        return String(repeating: "0", count: 16 - value.count) + value
    }
}

import Foundation

/// The figures of one evaluation run over a labelled folder.
public struct EvaluationReport: Sendable, Codable {
    public struct DocumentRow: Sendable, Codable {
        public var file: String
        public var capture: String?
        public var expectedClass: String
        public var predictedClass: String?
        public var expectedCase: String?
        public var predictedCase: String?
        public var caseOutcome: CaseOutcome
        public var fieldsCorrect: Int
        public var fieldsTotal: Int
        public var fieldMistakes: [FieldMistake]
        /// Field key → whether the expected value was extracted.
        public var fieldOutcomes: [String: Bool]
        /// Of the correct values of a document read by OCR, how many carry their place on the
        /// page (`ExtractedField.location`); nil for a document with a text layer.
        public var fieldsLocatable: Int? = nil
        public var fieldsLocated: Int? = nil
        public var cer: Double?
        /// CER with the words sorted first: layout order does not count.
        public var orderFreeCER: Double?
        public var wordRecall: Double?
        public var baselineCER: Double?
        /// Plain tesseract's CER with the words sorted first.
        public var baselineOrderFreeCER: Double?
        public var needsReview: Bool
        public var reviewReasons: [String]
        public var error: String?
        public var milliseconds: Double?
    }

    public struct FieldMistake: Sendable, Codable {
        public var key: String
        public var expected: String
        public var got: String?
        /// The wrong value was marked doubtful (a person checks it); nil for a missing value.
        public var doubtful: Bool?
    }

    public enum CaseOutcome: String, Sendable, Codable {
        /// The predicted case equals the truth (including "no case" where there is none).
        case correct
        /// A case was set that is not the true one: the error we must never make.
        case wrong = "WRONG"
        /// No case was set although there is one: a person decides.
        case review = "sent_to_review"
        /// The file could not be processed.
        case failed
    }

    public struct KeyAccuracy: Sendable, Codable {
        public var correct: Int
        public var total: Int
    }

    public var documents: Int
    public var failed: Int
    public var classCorrect: Int
    public var classAccuracy: Double
    /// Expected class → predicted class → count.
    public var confusion: [String: [String: Int]]
    public var fieldsCorrect: Int
    public var fieldsTotal: Int
    public var fieldAccuracy: Double
    public var fieldAccuracyByKey: [String: KeyAccuracy]

    /// The keys read right less often than `share`, as "key x/y", sorted by key.
    public func keysBelow(_ share: Double) -> String {
        fieldAccuracyByKey.filter { $0.value.total > 0 && Double($0.value.correct) / Double($0.value.total) < share }
            .sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.correct)/\($0.value.total)" }.joined(separator: ", ")
    }
    /// Fields read with a value other than the truth (missing ones not counted).
    public var fieldsWrong: Int
    /// Of those, the ones not marked doubtful: wrong figures a caseworker is not warned of.
    public var fieldsWrongNotDoubtful: Int
    /// Fields the truth has and the pipeline did not find.
    public var fieldsMissing: Int
    /// Correct values on OCR'd documents, and how many of them carry their box on the page.
    public var fieldsLocatable: Int
    public var fieldsLocated: Int
    public var casesCorrect: Int
    public var casesWrong: Int
    public var casesSentToReview: Int
    /// Mean CER over documents with known text, by capture kind ("all" for every one).
    public var meanCERByCapture: [String: Double]
    public var meanOrderFreeCERByCapture: [String: Double]
    public var meanBaselineCERByCapture: [String: Double]
    /// Our mean CER over exactly the files plain tesseract read too (it reads no PDF or HEIC).
    public var meanPairedCERByCapture: [String: Double]
    /// Order-free CER of plain tesseract, and ours on the same files.
    public var meanBaselineOrderFreeCERByCapture: [String: Double]
    public var meanPairedOrderFreeCERByCapture: [String: Double]
    public var meanWordRecallByCapture: [String: Double]
    public var rows: [DocumentRow]

    enum CodingKeys: String, CodingKey {
        case documents, failed
        case classCorrect = "class_correct"
        case classAccuracy = "class_accuracy"
        case confusion
        case fieldsCorrect = "fields_correct"
        case fieldsTotal = "fields_total"
        case fieldAccuracy = "field_accuracy"
        case fieldAccuracyByKey = "field_accuracy_by_key"
        case fieldsWrong = "fields_wrong"
        case fieldsWrongNotDoubtful = "fields_wrong_not_doubtful"
        case fieldsMissing = "fields_missing"
        case fieldsLocatable = "fields_correct_on_ocr_pages"
        case fieldsLocated = "fields_correct_with_box"
        case casesCorrect = "cases_correct"
        case casesWrong = "cases_wrong"
        case casesSentToReview = "cases_sent_to_review"
        case meanCERByCapture = "mean_cer_by_capture"
        case meanOrderFreeCERByCapture = "mean_order_free_cer_by_capture"
        case meanBaselineCERByCapture = "mean_tesseract_cer_by_capture"
        case meanPairedCERByCapture = "mean_cer_same_files_as_tesseract_by_capture"
        case meanBaselineOrderFreeCERByCapture = "mean_tesseract_order_free_cer_by_capture"
        case meanPairedOrderFreeCERByCapture = "mean_order_free_cer_same_files_as_tesseract_by_capture"
        case meanWordRecallByCapture = "mean_word_recall_by_capture"
        case rows = "documents_detail"
    }

    /// Builds the figures from per-document rows.
    public init(rows: [DocumentRow]) {
        self.rows = rows
        documents = rows.count
        failed = rows.filter { $0.error != nil }.count
        classCorrect = rows.filter { $0.predictedClass == $0.expectedClass }.count
        classAccuracy = rows.isEmpty ? 0 : Double(classCorrect) / Double(rows.count)
        var confusion: [String: [String: Int]] = [:]
        for row in rows {
            confusion[row.expectedClass, default: [:]][row.predictedClass ?? "(error)", default: 0] += 1
        }
        self.confusion = confusion
        fieldsCorrect = rows.map(\.fieldsCorrect).reduce(0, +)
        fieldsTotal = rows.map(\.fieldsTotal).reduce(0, +)
        fieldAccuracy = fieldsTotal == 0 ? 1 : Double(fieldsCorrect) / Double(fieldsTotal)
        var byKey: [String: KeyAccuracy] = [:]
        for row in rows {
            for (key, correct) in row.fieldOutcomes {
                byKey[key, default: .init(correct: 0, total: 0)].total += 1
                if correct { byKey[key]!.correct += 1 }
            }
        }
        fieldAccuracyByKey = byKey
        let mistakes = rows.filter { $0.error == nil }.flatMap(\.fieldMistakes)
        fieldsWrong = mistakes.filter { $0.got != nil }.count
        fieldsWrongNotDoubtful = mistakes.filter { $0.got != nil && $0.doubtful != true }.count
        fieldsMissing = mistakes.filter { $0.got == nil }.count
        fieldsLocatable = rows.compactMap(\.fieldsLocatable).reduce(0, +)
        fieldsLocated = rows.compactMap(\.fieldsLocated).reduce(0, +)
        casesCorrect = rows.filter { $0.caseOutcome == .correct }.count
        casesWrong = rows.filter { $0.caseOutcome == .wrong }.count
        casesSentToReview = rows.filter { $0.caseOutcome == .review }.count
        func means(_ value: (DocumentRow) -> Double?) -> [String: Double] {
            var groups: [String: [Double]] = [:]
            for row in rows {
                guard let v = value(row) else { continue }
                groups[row.capture ?? "unknown", default: []].append(v)
                groups["all", default: []].append(v)
            }
            return groups.mapValues { $0.reduce(0, +) / Double($0.count) }
        }
        meanCERByCapture = means(\.cer)
        meanOrderFreeCERByCapture = means(\.orderFreeCER)
        meanBaselineCERByCapture = means(\.baselineCER)
        meanPairedCERByCapture = means { $0.baselineCER == nil ? nil : $0.cer }
        meanBaselineOrderFreeCERByCapture = means(\.baselineOrderFreeCER)
        meanPairedOrderFreeCERByCapture = means { $0.baselineOrderFreeCER == nil ? nil : $0.orderFreeCER }
        meanWordRecallByCapture = means(\.wordRecall)
    }
}

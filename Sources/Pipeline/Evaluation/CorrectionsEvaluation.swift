import Akte
import Classification
import Foundation

/// The current rules (and model) measured against what caseworkers decided: every document
/// with a class, field or case correction is analysed again from its stored text, and the
/// result is compared with the corrected values.
public struct CorrectionsEvaluation: Sendable, Encodable {
    public struct FieldResult: Sendable, Encodable {
        public var key: String
        /// The caseworker's value.
        public var expected: String
        /// What the machine said when it filed the document.
        public var machine: String?
        /// What the current rules say.
        public var now: String?
        public var right: Bool
    }

    public struct DocumentResult: Sendable, Encodable {
        public var documentID: String
        public var expectedClass: String?
        public var machineClass: String?
        public var rulesClass: String?
        public var modelClass: String?
        public var fields: [FieldResult]
        public var expectedCase: String?
        public var machineCase: String?
        public var nowCase: String?
        public var caseOutcome: EvaluationReport.CaseOutcome?
        public var needsReviewNow: Bool

        enum CodingKeys: String, CodingKey {
            case documentID = "document"
            case expectedClass = "expected_class"
            case machineClass = "machine_class"
            case rulesClass = "rules_class"
            case modelClass = "rules_and_model_class"
            case fields
            case expectedCase = "expected_case"
            case machineCase = "machine_case"
            case nowCase = "now_case"
            case caseOutcome = "case_outcome"
            case needsReviewNow = "needs_review_now"
        }
    }

    public var documents: [DocumentResult]
    public var classCorrections: Int
    public var classRightNow: Int
    /// With the model as second opinion; nil without a model.
    public var classRightWithModel: Int?
    public var fieldCorrections: Int
    public var fieldsRightNow: Int
    public var caseCorrections: Int
    public var casesRightNow: Int
    public var casesWrongNow: Int
    public var casesToReviewNow: Int

    enum CodingKeys: String, CodingKey {
        case documents
        case classCorrections = "class_corrections"
        case classRightNow = "class_right_now"
        case classRightWithModel = "class_right_with_model"
        case fieldCorrections = "field_corrections"
        case fieldsRightNow = "fields_right_now"
        case caseCorrections = "case_corrections"
        case casesRightNow = "cases_right_now"
        case casesWrongNow = "cases_wrong_now"
        case casesToReviewNow = "cases_to_review_now"
    }

    /// Re-analyses every corrected document (corrections since `since`, all when nil).
    /// `analyzer` carries the current rules, register and model; documents are opened as
    /// `viewer` (audited as viewed).
    public static func run(
        store: any AkteStore, analyzer: DocumentAnalyzer, since: Date?, viewer: String
    ) throws -> CorrectionsEvaluation {
        var kinds: [String: Set<CorrectionKind>] = [:]
        var fieldKeys: [String: [String]] = [:]
        var order: [String] = []
        for correction in try store.corrections(since: since) where correction.kind != .review {
            if kinds[correction.documentID] == nil { order.append(correction.documentID) }
            kinds[correction.documentID, default: []].insert(correction.kind)
            if correction.kind == .field, let key = correction.key, !(fieldKeys[correction.documentID] ?? []).contains(key) {
                fieldKeys[correction.documentID, default: []].append(key)
            }
        }
        let rules = analyzer.with(model: nil)
        var results: [DocumentResult] = []
        for id in order {
            let document = try store.document(id: id, viewer: viewer)
            let corrected = kinds[id] ?? []
            let now = rules.analyze(text: document.text)
            let withModel = analyzer.model == nil ? nil : analyzer.analyze(text: document.text)
            var result = DocumentResult(
                documentID: id, expectedClass: nil, machineClass: nil, rulesClass: nil, modelClass: nil, fields: [],
                expectedCase: nil, machineCase: nil, nowCase: nil, caseOutcome: nil, needsReviewNow: now.needsReview)
            if corrected.contains(.documentClass) {
                result.expectedClass = document.effective.documentClass
                result.machineClass = document.machine.documentClass
                result.rulesClass = now.classification.classID
                result.modelClass = withModel?.classification.classID
            }
            for key in fieldKeys[id] ?? [] {
                guard let field = document.fields.first(where: { $0.key == key }) else { continue }
                let value = now.field(key)?.value
                result.fields.append(
                    FieldResult(
                        key: key, expected: field.value, machine: field.machineValue, now: value,
                        right: value.map { Evaluator.sameValue($0, field.value) } ?? false))
            }
            if corrected.contains(.caseAssignment) {
                let expected = document.effective.caseID, got = now.caseMatch.caseID
                result.expectedCase = expected
                result.machineCase = document.machine.caseID
                result.nowCase = got
                result.caseOutcome = got == expected ? .correct : got == nil ? .review : .wrong
            }
            results.append(result)
        }
        let classRows = results.filter { $0.expectedClass != nil }
        let caseRows = results.compactMap(\.caseOutcome)
        let fields = results.flatMap(\.fields)
        return CorrectionsEvaluation(
            documents: results, classCorrections: classRows.count,
            classRightNow: classRows.filter { $0.rulesClass == $0.expectedClass }.count,
            classRightWithModel: analyzer.model == nil ? nil : classRows.filter { $0.modelClass == $0.expectedClass }.count,
            fieldCorrections: fields.count, fieldsRightNow: fields.filter(\.right).count, caseCorrections: caseRows.count,
            casesRightNow: caseRows.filter { $0 == .correct }.count, casesWrongNow: caseRows.filter { $0 == .wrong }.count,
            casesToReviewNow: caseRows.filter { $0 == .review }.count)
    }

    /// The figures and every document the current rules still get wrong.
    public func rendered() -> String {
        var out: [String] = []
        out.append("corrected documents: \(documents.count) (the machine was wrong on each when it filed it)")
        var classLine = "class corrections: \(classCorrections), current rules agree with the caseworker on \(classRightNow)"
        if let classRightWithModel { classLine += ", rules + model on \(classRightWithModel)" }
        out.append(classLine)
        out.append("field corrections: \(fieldCorrections), current rules agree on \(fieldsRightNow)")
        out.append(
            "case corrections: \(caseCorrections), current rules: \(casesRightNow) right, \(casesWrongNow) WRONG, \(casesToReviewNow) sent to review"
        )
        var differences: [String] = []
        for document in documents {
            var parts: [String] = []
            if let expected = document.expectedClass, document.rulesClass != expected {
                parts.append("class \(document.rulesClass ?? "-") (caseworker: \(expected))")
            }
            for field in document.fields where !field.right {
                parts.append("\(field.key)=\(field.now.map { "'\($0)'" } ?? "missing") (caseworker: '\(field.expected)')")
            }
            if let outcome = document.caseOutcome, outcome != .correct {
                parts.append(
                    "case \(document.nowCase ?? "none")\(outcome == .wrong ? " WRONG" : "") (caseworker: \(document.expectedCase ?? "none"))")
            }
            if !parts.isEmpty { differences.append("  \(document.documentID.prefix(12)): " + parts.joined(separator: "; ")) }
        }
        if !differences.isEmpty {
            out.append("")
            out.append("still different from the caseworkers:")
            out += differences
        }
        return out.joined(separator: "\n")
    }
}

import Foundation

/// Turns a document's OCR text into class, fields, case and review decision.
///
/// Build one per configuration (regexes are compiled when the configuration loads) and
/// share it: it is a value type without mutable state, safe to use from any task.
public struct DocumentAnalyzer: Sendable {
    public let configuration: PipelineConfiguration
    public let register: CaseRegister?
    /// Day used by `not_future` checks; nil means the day of each analysis.
    public let referenceDate: Date?

    public init(configuration: PipelineConfiguration, register: CaseRegister?) {
        self.init(configuration: configuration, register: register, referenceDate: nil)
    }

    /// Like `init(configuration:register:)` with a fixed "today" for date checks (tests,
    /// re-analysis of old mail).
    public init(configuration: PipelineConfiguration, register: CaseRegister?, referenceDate: Date?) {
        self.configuration = configuration
        self.register = register
        self.referenceDate = referenceDate
    }

    /// Analyses one document. Pages in `text` are separated by form feed (`\f`).
    /// `sidecarCase` is the case named by the uploader; `barcodes` are decoded payloads.
    public func analyze(text: String, sidecarCase: String? = nil, barcodes: [String] = []) -> DocumentAnalysis {
        let document = DocumentText(text)
        let classification = Classifier(configuration: configuration).classify(document)
        let documentClass = configuration.documentClass(classification.classID)
        let fields = FieldExtractor(today: Self.isoDay(referenceDate ?? Date()))
            .extract(documentClass?.fields ?? [], from: document)
        let caseMatch: CaseMatch
        if let register {
            caseMatch = CaseMatcher(settings: configuration.caseMatching, register: register)
                .match(document, sidecarCase: sidecarCase, barcodes: barcodes)
        } else {
            caseMatch = CaseMatch(
                caseID: nil, route: .none, reasons: ["no case register loaded; cases cannot be matched"], candidates: [])
        }
        let sensitive = documentClass?.sensitive ?? false
        let reasons = reviewReasons(classification, documentClass, fields, caseMatch)
        return DocumentAnalysis(
            classification: classification, fields: fields, caseMatch: caseMatch, needsReview: !reasons.isEmpty,
            reviewReasons: reasons, sensitive: sensitive)
    }

    private func reviewReasons(
        _ classification: Classification, _ documentClass: DocumentClass?, _ fields: [ExtractedField], _ caseMatch: CaseMatch
    ) -> [String] {
        let policy = configuration.review
        var reasons: [String] = []
        if classification.isFallback {
            reasons.append("unknown document type (\(classification.classID)): no class reached its threshold")
        } else {
            if classification.confidence < policy.minimumConfidence {
                reasons.append(
                    "class '\(classification.classID)' confidence \(format(classification.confidence)) below \(format(policy.minimumConfidence))"
                )
            }
            if classification.margin < policy.minimumMargin {
                reasons.append(
                    "class '\(classification.classID)' leads runner-up '\(classification.runnerUp ?? "-")' by margin \(format(classification.margin)), below \(format(policy.minimumMargin))"
                )
            }
        }
        if caseMatch.caseID == nil {
            reasons.append("no case: " + caseMatch.reasons.joined(separator: "; "))
        }
        if policy.doubtfulFieldsNeedReview {
            for field in fields where field.doubtful {
                reasons.append("field '\(field.key)' doubtful: \(field.reason ?? "failed a check")")
            }
        }
        for definition in documentClass?.fields ?? []
        where definition.required && !fields.contains(where: { $0.key == definition.key }) {
            reasons.append("required field '\(definition.key)' not found")
        }
        if let documentClass, documentClass.sensitive {
            reasons.append("sensitive class '\(documentClass.id)' (\(documentClass.sensitivityNote)): restricted handling")
        }
        return reasons
    }

    private func format(_ value: Double) -> String {
        String(format: "%.2f", value)
    }

    /// `yyyy-mm-dd` of `date` in German time.
    static func isoDay(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Berlin") ?? TimeZone(secondsFromGMT: 3600)!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return DateParser.isoDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }
}

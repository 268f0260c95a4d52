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
    /// The learned second opinion (`pipeline.model.json`); nil: rules only.
    public let model: TextClassifierModel?
    /// Time all pattern searches of one document may take together; a search still running
    /// at the deadline is stopped, counts as no match, and sends the document to review.
    public var patternTimeBudget: Duration = .seconds(2)
    /// Where caseworkers' corrections showed layouts keep fields (`pipeline.fields.json`),
    /// tried for fields the rules miss; nil: rules only.
    public var fieldLocations: FieldLocationModel? = nil

    public init(configuration: PipelineConfiguration, register: CaseRegister?) {
        self.init(configuration: configuration, register: register, referenceDate: nil)
    }

    /// Like `init(configuration:register:)` with a fixed "today" for date checks (tests,
    /// re-analysis of old mail) and optionally the learned classifier.
    public init(
        configuration: PipelineConfiguration, register: CaseRegister?, referenceDate: Date?, model: TextClassifierModel? = nil
    ) {
        self.configuration = configuration
        self.register = register
        self.referenceDate = referenceDate
        self.model = model
    }

    /// The same rules with `model` as second opinion (nil: rules only).
    public func with(model: TextClassifierModel?) -> DocumentAnalyzer {
        var copy = DocumentAnalyzer(configuration: configuration, register: register, referenceDate: referenceDate, model: model)
        copy.patternTimeBudget = patternTimeBudget
        copy.fieldLocations = fieldLocations
        return copy
    }

    /// The same analyzer with `fieldLocations` learned from corrections (nil: rules only).
    public func with(fieldLocations: FieldLocationModel?) -> DocumentAnalyzer {
        var copy = self
        copy.fieldLocations = fieldLocations
        return copy
    }

    /// Analyses one document. Pages in `text` are separated by form feed (`\f`).
    /// `claims` are the cases a sidecar or cover sheet named; `barcodes` are decoded payloads.
    public func analyze(text: String, claims: CaseClaims = .none, barcodes: [String] = []) -> DocumentAnalysis {
        let budget = PatternBudget(limit: patternTimeBudget)
        return PatternBudget.$current.withValue(budget) {
            var analysis = analyzeWithinBudget(text: text, claims: claims, barcodes: barcodes)
            let stopped = budget.stopped
            if !stopped.isEmpty {
                analysis.reviewReasons.append(
                    "Mustersuche am Zeitlimit von \(format(Double(patternTimeBudget.components.seconds) + Double(patternTimeBudget.components.attoseconds) / 1e18)) s je Dokument abgebrochen (\(stopped.map { "„\($0.prefix(60))“" }.joined(separator: ", "))): Klasse, Angaben oder Fall können unvollständig sein; bitte `posteingang rules check` ausführen"
                )
                analysis.needsReview = true
            }
            return analysis
        }
    }

    private func analyzeWithinBudget(text: String, claims: CaseClaims, barcodes: [String]) -> DocumentAnalysis {
        let document = DocumentText(text)
        let rules = Classifier(configuration: configuration).classify(document)
        let vote = model.map { ModelVote(model: $0, opinion: $0.predict(text), rules: rules, configuration: configuration) }
        let classification = vote?.adopted == true ? adopt(vote!.opinion, over: rules) : rules
        let documentClass = configuration.documentClass(classification.classID)
        let today = Self.isoDay(referenceDate ?? Date())
        var fields = FieldExtractor(today: today).extract(documentClass?.fields ?? [], from: document)
        var learnedNotes: [LearnedFieldNote] = []
        if let fieldLocations, let documentClass {
            (fields, learnedNotes) = fieldLocations.complete(fields, documentClass: documentClass, document: document, today: today)
        }
        let caseMatch: CaseMatch
        if let register {
            caseMatch = CaseMatcher(settings: configuration.caseMatching, register: register)
                .match(document, claims: claims, barcodes: barcodes)
        } else {
            caseMatch = CaseMatch(caseID: nil, route: .none, reasons: [.noRegister], candidates: [])
        }
        let sensitive = documentClass?.sensitive ?? false
        var reasons = classReasons(rules, vote)
        reasons += reviewReasons(documentClass, fields, caseMatch)
        return DocumentAnalysis(
            classification: classification, fields: fields, caseMatch: caseMatch, needsReview: !reasons.isEmpty,
            reviewReasons: reasons, sensitive: sensitive, model: vote, learnedFields: learnedNotes.isEmpty ? nil : learnedNotes)
    }

    /// The model's class in place of the fallback, when the rules found nothing and the model is sure.
    private func adopt(_ opinion: ModelOpinion, over rules: Classification) -> Classification {
        var adopted = rules
        adopted.classID = opinion.classID
        adopted.label = configuration.documentClass(opinion.classID)?.label ?? opinion.classID
        adopted.confidence = opinion.probability
        adopted.isFallback = false
        return adopted
    }

    /// Why the class needs a person: the rules' own doubts, or, with a model, when rules and
    /// model disagree (a sure model, or rules with doubts of their own) or are both unsure. A sure
    /// model that agrees lifts the rules' doubt.
    private func classReasons(_ classification: Classification, _ vote: ModelVote?) -> [String] {
        let policy = configuration.review
        var reasons: [String] = []
        if classification.isFallback {
            reasons.append("Dokumentart unbekannt (\(classLabel(classification.classID))): keine Klasse hat ihre Schwelle erreicht")
        } else {
            if classification.confidence < policy.minimumConfidence {
                reasons.append(
                    "Klasse „\(classLabel(classification.classID))“ nur mit Sicherheit \(format(classification.confidence)) erkannt, verlangt sind \(format(policy.minimumConfidence))"
                )
            }
            if classification.margin < policy.minimumMargin {
                reasons.append(
                    "Klasse „\(classLabel(classification.classID))“ liegt nur mit Abstand \(format(classification.margin)) vor „\(classification.runnerUp.map(classLabel) ?? "-")“, verlangt sind \(format(policy.minimumMargin))"
                )
            }
        }
        // A model that never learnt the rules' class cannot judge it (e.g. a class added to
        // pipeline.yml after training): it abstains until retrained.
        guard let vote, !vote.abstained else { return reasons }
        let opinion = vote.opinion
        let rulesSay = classification.isFallback
            ? "die Regeln finden keine Klasse (am nächsten „\(classification.runnerUp.map(classLabel) ?? "-")“, unter ihrer Schwelle)"
            : "die Regeln sagen „\(classLabel(classification.classID))“ (Sicherheit \(format(classification.confidence)))"
        let modelSays = "das Modell sagt „\(classLabel(opinion.classID))“ (Wahrscheinlichkeit \(format(opinion.probability))\(opinion.sure ? "" : ", unsicher"))"
        if vote.adopted {
            return ["\(rulesSay); \(modelSays): Klasse vom Modell übernommen, eine Person bestätigt sie"]
        }
        // An unsure model that leans elsewhere does not outvote rules that are sure of their class
        // (it is shown by `explain`); a sure model that disagrees, or any disagreement where the
        // rules have doubts of their own, goes to a person.
        if !vote.agrees, opinion.sure || !reasons.isEmpty {
            let unknown = configuration.documentClass(opinion.classID) == nil
                ? " („\(opinion.classID)“ ist keine Klasse von \(configuration.sourceName): das Modell neu trainieren)" : ""
            return reasons + ["Regeln und Modell sind uneins: \(rulesSay), \(modelSays)\(unknown)"]
        }
        if reasons.isEmpty { return [] }
        if opinion.sure {
            // The rules doubted, the model is sure of the same class: two votes for it.
            return []
        }
        return reasons + ["Regeln und Modell sind beide unsicher: \(rulesSay), \(modelSays)"]
    }

    private func reviewReasons(
        _ documentClass: DocumentClass?, _ fields: [ExtractedField], _ caseMatch: CaseMatch
    ) -> [String] {
        let policy = configuration.review
        var reasons: [String] = []
        if caseMatch.caseID == nil {
            reasons.append("Kein Fall: " + caseMatch.reasons.map(\.german).joined(separator: "; "))
        }
        if policy.doubtfulFieldsNeedReview {
            for field in fields where field.doubtful {
                reasons.append("Angabe „\(fieldLabel(field.key, in: documentClass))“ zweifelhaft: \(field.reason ?? "eine Prüfung schlug fehl")")
            }
        }
        for definition in documentClass?.fields ?? []
        where definition.required && !fields.contains(where: { $0.key == definition.key }) {
            reasons.append("Pflichtangabe „\(definition.label)“ nicht gefunden")
        }
        if let documentClass, documentClass.sensitive {
            reasons.append("besonders geschützte Klasse „\(documentClass.label)“ (\(documentClass.sensitivityNote)): eingeschränkte Bearbeitung")
        }
        return reasons
    }

    /// A class's German name from the configuration, else its id.
    private func classLabel(_ id: String) -> String { configuration.documentClass(id)?.label ?? id }

    /// A field's German name from its class's configuration, else its key.
    private func fieldLabel(_ key: String, in documentClass: DocumentClass?) -> String {
        documentClass?.fields.first { $0.key == key }?.label ?? key
    }

    /// A share as German writes it: 0,62.
    private func format(_ value: Double) -> String {
        String(format: "%.2f", value).replacingOccurrences(of: ".", with: ",")
    }

    /// `yyyy-mm-dd` of `date` in German time.
    static func isoDay(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Berlin") ?? TimeZone(secondsFromGMT: 3600)!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return DateParser.isoDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }
}

/// The learned classifier's vote beside the rules' decision.
public struct ModelVote: Sendable, Codable, Equatable {
    public var opinion: ModelOpinion
    /// The model chose the class the rules chose.
    public var agrees: Bool
    /// The rules found no class and the sure model's class was taken (still reviewed).
    public var adopted: Bool
    /// The rules chose a class the model was not trained on: the model has no say.
    public var abstained: Bool

    init(model: TextClassifierModel, opinion: ModelOpinion, rules: Classification, configuration: PipelineConfiguration) {
        self.opinion = opinion
        agrees = opinion.classID == rules.classID
        abstained = !rules.isFallback && !model.file.classes.contains(rules.classID)
        adopted =
            rules.isFallback && opinion.sure && opinion.classID != configuration.fallbackClassID
            && configuration.documentClass(opinion.classID) != nil
    }
}

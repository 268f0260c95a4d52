import ArgumentParser
import Classification
import Foundation
import Pipeline

/// `posteingang explain FILE`: why a document got its class, fields and case.
struct ExplainCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a document's class (rules fired, winner, runner-up, margin), its fields (line, label, checks) and its case (evidence).")

    @OptionGroup var options: PipelineOptions
    @Flag(help: "Print the analysis as JSON.") var json = false
    @Argument(help: "The file to explain.") var file: String

    func execute() async throws {
        let configuration = try options.loadConfiguration()
        let register = try options.loadRegister()
        let pool = try options.makePool()
        defer { pool.shutdown() }
        let processor = DocumentProcessor(
            analyzer: DocumentAnalyzer(configuration: configuration, register: register).with(model: try options.loadModel())
                .with(fieldLocations: try options.loadFieldLocations()))
        switch await processor.process(fileAt: URL(fileURLWithPath: file), displayName: file, using: pool) {
        case .failure(let failure):
            throw ValidationError("\(failure.file): \(failure.error)")
        case .success(let result):
            if json {
                try Display.printJSON(result.analysis)
            } else {
                print(Self.render(result))
            }
        }
    }

    static func render(_ result: ProcessingResult) -> String {
        let a = result.analysis
        let c = a.classification
        var out: [String] = []
        func pct(_ v: Double) -> String { String(format: "%.0f%%", v * 100) }
        out.append("\(result.file): \(c.classID) (\(c.label)), confidence \(pct(c.confidence))\(c.isFallback ? ", fallback: no class reached its threshold" : "")")
        out.append("  runner-up: \(c.runnerUp ?? "—"), margin \(pct(c.margin))")
        out.append("")
        out.append("classes (score / threshold, rules fired):")
        for score in c.scores.sorted(by: { $0.score > $1.score }) where score.score != 0 || score.classID == c.classID {
            out.append("  \(score.classID): \(String(format: "%.1f", score.score)) / \(String(format: "%.1f", score.threshold))\(score.reachedThreshold ? "  reached" : "")")
            for rule in score.firedRules {
                out.append("      \(rule.negative ? "−" : "+")\(String(format: "%.1f", rule.weight))  \(rule.rule)  (page \(rule.page), line \(rule.line): \"\(rule.matched)\")")
            }
        }
        if let vote = a.model {
            let o = vote.opinion
            out.append("")
            let stance = vote.adopted ? "class taken from the model (rules found none)" : vote.agrees ? "agrees with the rules" : "DISAGREES with the rules"
            out.append("model (second opinion): \(o.classID), probability \(pct(o.probability))\(o.sure ? "" : " (unsure)"), \(stance)")
            out.append("  top classes: " + o.ranked.map { "\($0.classID) \(pct($0.probability))" }.joined(separator: ", "))
            if o.ranked.count > 1 {
                out.append("  strongest features for '\(o.classID)' over '\(o.ranked[1].classID)' (\(o.knownFeatures) known features in the text):")
            }
            for evidence in o.evidence {
                out.append("      +\(String(format: "%.3f", evidence.weight))  \(evidence.readable)")
            }
        }
        out.append("")
        out.append("fields:")
        if a.fields.isEmpty { out.append("  none") }
        for field in a.fields {
            out.append("  \(field.key) = \(field.value)\(field.doubtful ? "  DOUBTFUL: \(field.reason ?? "")" : "")")
            out.append("      from line \(field.line) \"\(field.raw)\", anchored to \"\(field.anchor)\"")
            for check in field.checks {
                out.append("      check \(check.check): \(check.passed ? "passed" : "FAILED") (\(check.detail))")
            }
        }
        for note in a.learnedFields ?? [] {
            out.append("  learned from corrections, \(note.key): \(note.outcome.rawValue): \(note.detail)")
        }
        out.append("")
        let m = a.caseMatch
        out.append("case: \(m.caseID ?? "none") via \(m.route.rawValue)")
        for reason in m.reasons { out.append("  \(reason.german)") }
        for candidate in m.candidates {
            out.append("  candidate \(candidate.caseID): " + candidate.evidence.joined(separator: "; "))
        }
        if result.needsReview {
            out.append("")
            out.append("needs review:")
            for reason in result.reviewReasons { out.append("  - \(reason)") }
        }
        return out.joined(separator: "\n")
    }
}

import Foundation

/// Scores every configured class by its rules and picks winner and runner-up.
///
/// Phrases are searched in the compact folded text (no case, umlauts spelled out, no
/// spaces or hyphens), exactly and, for phrases of ten or more letters, with one OCR
/// error; patterns run on the folded text with lines kept. Regexes are
/// compiled once with the configuration, so classifying a few pages takes milliseconds.
struct Classifier: Sendable {
    let configuration: PipelineConfiguration

    /// Scores at 1.5 × threshold count as full evidence for the confidence.
    static let saturation = 1.5

    func classify(_ document: DocumentText) -> Classification {
        let candidates = configuration.classes.filter { $0.id != configuration.fallbackClassID }
        var scores = candidates.map { score($0, in: document) }
        let ranked = scores.enumerated().sorted { lhs, rhs in
            lhs.element.score != rhs.element.score ? lhs.element.score > rhs.element.score : lhs.offset < rhs.offset
        }.map(\.element)
        scores = ranked

        let evidenceTotal = ranked.reduce(0) { $0 + max(0, $1.score) }
        if let winner = ranked.first(where: \.reachedThreshold), let winnerClass = configuration.documentClass(winner.classID) {
            let runner = ranked.first { $0.classID != winner.classID && $0.score > 0 }
            let share = evidenceTotal > 0 ? winner.score / evidenceTotal : 0
            let strength = min(1, winner.score / (Self.saturation * winner.threshold))
            let runnerScore = max(0, runner?.score ?? 0)
            let margin = winner.score > 0 ? (winner.score - runnerScore) / winner.score : 0
            return Classification(
                classID: winner.classID, label: winnerClass.label, confidence: clamp(share * strength),
                runnerUp: runner?.classID, margin: clamp(margin), isFallback: false, scores: scores)
        }
        let fallbackLabel = configuration.documentClass(configuration.fallbackClassID)?.label ?? configuration.fallbackClassID
        let best = ranked.first { $0.score > 0 }
        let closeness = best.map { min(1, $0.score / $0.threshold) } ?? 0
        return Classification(
            classID: configuration.fallbackClassID, label: fallbackLabel, confidence: clamp(1 - closeness),
            runnerUp: best?.classID, margin: clamp(1 - closeness), isFallback: true, scores: scores)
    }

    private func clamp(_ value: Double) -> Double {
        let bounded = min(1, max(0, value))
        return (bounded * 1000).rounded() / 1000
    }

    private func score(_ documentClass: DocumentClass, in document: DocumentText) -> ClassScore {
        var fired: [FiredRule] = []
        var total = 0.0
        for rule in documentClass.rules {
            guard let hit = find(rule, in: document) else { continue }
            total += rule.negative ? -rule.weight : rule.weight
            fired.append(
                FiredRule(
                    rule: rule.summary, weight: rule.weight, negative: rule.negative, line: hit.line,
                    page: document.pageOfLine[hit.line - 1], matched: String(hit.matched.prefix(60))))
        }
        return ClassScore(
            classID: documentClass.id, score: total, threshold: documentClass.threshold,
            reachedThreshold: total >= documentClass.threshold, firedRules: fired)
    }

    private func find(_ rule: ClassRule, in document: DocumentText) -> (line: Int, matched: String)? {
        switch rule.matcher {
        case .phrase:
            for variant in rule.compactPhrases {
                if let offset = document.compactOffset(of: variant) {
                    return (document.lineNumber(forCompactOffset: offset), String(decoding: variant, as: UTF8.self))
                }
            }
            // One OCR error in a long phrase ("Kontoauszuq") still counts.
            for variant in rule.compactPhrases {
                if let fuzzy = document.fuzzyCompactMatch(of: variant) {
                    return (
                        document.lineNumber(forCompactOffset: fuzzy.offset),
                        document.compactText(offset: fuzzy.offset, length: fuzzy.length)
                    )
                }
            }
            return nil
        case .pattern(let pattern):
            guard let match = pattern.regex.firstMatch(in: document.folded) else { return nil }
            return (document.lineNumber(forFoldedOffset: match.range.location), document.folded.substring(match.range) ?? "")
        }
    }
}

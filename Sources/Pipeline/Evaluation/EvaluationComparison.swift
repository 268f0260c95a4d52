import Foundation

/// Two evaluations of the same labelled folder, one with the rules in force (baseline) and one
/// with a proposed change: the figures side by side and every document whose outcome changed.
public struct EvaluationComparison: Sendable {
    public struct Change: Sendable, Codable {
        public var file: String
        /// What changed, in words: `class kontoauszug → sonstiges (expected kontoauszug)`.
        public var changes: [String]
        /// +1 when the change makes this document more right, −1 when less, 0 when neither.
        public var verdict: Int
    }

    public let baseline: EvaluationReport
    public let candidate: EvaluationReport
    public let changed: [Change]

    public init(baseline: EvaluationReport, candidate: EvaluationReport) {
        self.baseline = baseline
        self.candidate = candidate
        let old = Dictionary(baseline.rows.map { ($0.file, $0) }, uniquingKeysWith: { a, _ in a })
        var changed: [Change] = []
        for row in candidate.rows {
            guard let before = old[row.file] else { continue }
            var words: [String] = []
            var score = 0
            if before.predictedClass != row.predictedClass {
                words.append("class \(before.predictedClass ?? "error") → \(row.predictedClass ?? "error") (expected \(row.expectedClass))")
                score += (row.predictedClass == row.expectedClass ? 1 : 0) - (before.predictedClass == row.expectedClass ? 1 : 0)
            }
            if before.predictedCase != row.predictedCase {
                words.append("case \(before.predictedCase ?? "none") → \(row.predictedCase ?? "none") (expected \(row.expectedCase ?? "none"))\(row.caseOutcome == .wrong ? " WRONG" : "")")
                score += Self.caseRank(row.caseOutcome) - Self.caseRank(before.caseOutcome)
            }
            for key in Set(before.fieldOutcomes.keys).union(row.fieldOutcomes.keys).sorted() {
                let was = before.fieldOutcomes[key] ?? false, now = row.fieldOutcomes[key] ?? false
                if was != now {
                    words.append("field \(key) \(was ? "right" : "wrong") → \(now ? "right" : "wrong")")
                    score += now ? 1 : -1
                }
            }
            if !words.isEmpty { changed.append(Change(file: row.file, changes: words, verdict: score.signum())) }
        }
        self.changed = changed
    }

    /// Correct beats review beats a failure beats a wrong attachment.
    private static func caseRank(_ outcome: EvaluationReport.CaseOutcome) -> Int {
        switch outcome {
        case .correct: return 2
        case .review: return 1
        case .failed: return 0
        case .wrong: return -5
        }
    }

    /// The comparison as a person reads it.
    public func rendered(baselineName: String, candidateName: String) -> String {
        func pct(_ v: Double) -> String { String(format: "%.1f%%", v * 100) }
        func line(_ label: String, _ a: String, _ b: String) -> String {
            label.padding(toLength: 22, withPad: " ", startingAt: 0) + a.padding(toLength: 18, withPad: " ", startingAt: 0) + b
        }
        var out: [String] = []
        out.append(line("", "baseline", "candidate"))
        out.append(line("rules", baselineName, candidateName))
        out.append(line("class accuracy", pct(baseline.classAccuracy), pct(candidate.classAccuracy)))
        out.append(line("field accuracy", pct(baseline.fieldAccuracy), pct(candidate.fieldAccuracy)))
        out.append(line("cases correct", "\(baseline.casesCorrect)", "\(candidate.casesCorrect)"))
        out.append(line("cases WRONG", "\(baseline.casesWrong)", "\(candidate.casesWrong)"))
        out.append(line("cases to review", "\(baseline.casesSentToReview)", "\(candidate.casesSentToReview)"))
        out.append("")
        if changed.isEmpty {
            out.append("no document changed")
        } else {
            let worse = changed.filter { $0.verdict < 0 }.count, better = changed.filter { $0.verdict > 0 }.count
            out.append("\(changed.count) document(s) changed: \(better) better, \(worse) worse")
            for change in changed {
                let mark = change.verdict > 0 ? "+" : change.verdict < 0 ? "-" : "~"
                out.append("  \(mark) \(change.file): " + change.changes.joined(separator: "; "))
            }
        }
        return out.joined(separator: "\n")
    }
}

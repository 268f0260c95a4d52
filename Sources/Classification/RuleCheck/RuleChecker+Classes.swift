import Foundation

/// Checks between classes: a class that can never win against another, and (with fixtures)
/// rules that no labelled text triggers.
extension RuleChecker {
    /// B can never win when another class A has every positive rule of B with at least B's
    /// weight, no negative rule B lacks, a threshold no higher, and wins ties (comes first).
    func shadowedClasses(_ configuration: PipelineConfiguration, located: LocatedRules, file: String) -> [RuleFinding] {
        let classes = configuration.classes.filter { $0.id != configuration.fallbackClassID }
        var findings: [RuleFinding] = []
        func weights(_ c: DocumentClass, negative: Bool) -> [String: Double] {
            var result: [String: Double] = [:]
            for rule in c.rules where rule.negative == negative { result[rule.summary, default: 0] += rule.weight }
            return result
        }
        for (bIndex, b) in classes.enumerated() {
            let bPositive = weights(b, negative: false), bNegative = weights(b, negative: true)
            for (aIndex, a) in classes.enumerated() where aIndex != bIndex {
                let aPositive = weights(a, negative: false), aNegative = weights(a, negative: true)
                let covers = bPositive.allSatisfy { (aPositive[$0.key] ?? -1) >= $0.value }
                let noExtraAgainst = aNegative.allSatisfy { (bNegative[$0.key] ?? 0) >= $0.value }
                guard covers, noExtraAgainst, a.threshold <= b.threshold else { continue }
                let strictlyAhead =
                    aPositive.count > bPositive.count || a.threshold < b.threshold
                    || bPositive.contains { (aPositive[$0.key] ?? 0) > $0.value } || aNegative.count < bNegative.count
                guard aIndex < bIndex || strictlyAhead else { continue }
                let place = located.classes.first { $0.id == b.id }
                findings.append(
                    RuleFinding(
                        severity: .error, file: file, line: place?.line ?? 0, column: place?.column ?? 0, code: "shadowed_class",
                        message:
                            "class '\(b.id)' can never win: class '\(a.id)' has all of its rules with at least the same weight and a threshold no higher, so wherever '\(b.id)' scores, '\(a.id)' scores as much or more"
                    ))
                break
            }
        }
        return findings
    }

    /// Rules no fixture text triggers, and classes that score on fixtures but always lose to
    /// the same other class.
    func fixtureFindings(
        _ configuration: PipelineConfiguration, located: LocatedRules, file: String, fixtures: [RuleCheckSample]
    ) -> [RuleFinding] {
        let classifier = Classifier(configuration: configuration)
        var fired: [String: Set<String>] = [:]
        var scores: [[String: Double]] = []
        for sample in fixtures {
            let result = PatternBudget.$current.withValue(PatternBudget(limit: .seconds(2))) {
                classifier.classify(DocumentText(sample.text))
            }
            var row: [String: Double] = [:]
            for score in result.scores {
                row[score.classID] = score.score
                for rule in score.firedRules { fired[score.classID, default: []].insert(rule.rule) }
            }
            scores.append(row)
        }
        var findings: [RuleFinding] = []
        for (classIndex, documentClass) in configuration.classes.enumerated() {
            for (ruleIndex, rule) in documentClass.rules.enumerated()
            where !(fired[documentClass.id] ?? []).contains(rule.summary) {
                let place = located.rule(classIndex, ruleIndex)
                findings.append(
                    RuleFinding(
                        severity: .warning, file: file, line: place?.line ?? 0, column: place?.column ?? 0, code: "unused_rule",
                        message:
                            "\(rule.negative ? "negative " : "")rule \(rule.summary) of class '\(documentClass.id)' fires on none of the \(fixtures.count) fixture texts"
                    ))
            }
        }
        let candidates = configuration.classes.filter { $0.id != configuration.fallbackClassID }
        for b in candidates {
            let where_ = scores.indices.filter { (scores[$0][b.id] ?? 0) > 0 }
            guard !where_.isEmpty else { continue }
            for a in candidates where a.id != b.id {
                let always = where_.allSatisfy { (scores[$0][a.id] ?? 0) > (scores[$0][b.id] ?? 0) }
                guard always else { continue }
                let place = located.classes.first { $0.id == b.id }
                findings.append(
                    RuleFinding(
                        severity: .warning, file: file, line: place?.line ?? 0, column: place?.column ?? 0,
                        code: "shadowed_on_fixtures",
                        message:
                            "class '\(b.id)' is shadowed by '\(a.id)' on the fixtures: on all \(where_.count) texts where rules of '\(b.id)' fire, '\(a.id)' scores higher"
                    ))
                break
            }
        }
        return findings
    }
}

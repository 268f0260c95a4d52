import Foundation
import Yams

/// One problem `rules check` found, with its place in the configuration file.
public struct RuleFinding: Sendable, Codable, Equatable {
    public enum Severity: String, Sendable, Codable {
        /// The rule set is broken: a pattern that cannot match, can hang, or a class that can never win.
        case error
        /// Worth a look: a rule no fixture triggers, a slow pattern, a class the fixtures never pick.
        case warning
    }

    public var severity: Severity
    public var file: String
    public var line: Int
    public var column: Int
    /// Short stable name of the check, e.g. `catastrophic_backtracking`, `unused_rule`.
    public var code: String
    public var message: String

    /// `file:line:column: severity: message [code]`, the form editors and CI understand.
    public var rendered: String { "\(file):\(line):\(column): \(severity.rawValue): \(message) [\(code)]" }
}

/// A labelled text for the fixture-based checks (the `text` of `truth.jsonl`, no OCR needed).
public struct RuleCheckSample: Sendable {
    public var text: String
    public var label: String
    public var origin: String

    public init(text: String, label: String, origin: String) {
        self.text = text
        self.label = label
        self.origin = origin
    }
}

/// Static and probing checks of a `pipeline.yml`: patterns that can never match or can take
/// catastrophic time, documented examples that fail, classes that shadow each other, and
/// (with fixtures) rules that nothing triggers.
public struct RuleChecker: Sendable {
    /// A probe string (one line of 1000 characters) may take at most this long.
    public var probeLimit: Duration = .milliseconds(100)

    public init() {}

    /// Every finding for the configuration text `yaml`; `file` names it in the findings.
    public func check(yaml: String, file: String, fixtures: [RuleCheckSample]? = nil) -> [RuleFinding] {
        var findings: [RuleFinding] = []
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: yaml) else {
                return [RuleFinding(severity: .error, file: file, line: 1, column: 1, code: "not_loadable", message: "the configuration is empty")]
            }
            root = composed
        } catch {
            return [loadFailure(yaml: yaml, file: file)]
        }
        let located = LocatedRules(root: root)
        let sourceLines = yaml.components(separatedBy: "\n")
        for pattern in located.patterns {
            findings += check(pattern, file: file, sourceLines: sourceLines)
        }
        let configuration: PipelineConfiguration
        do {
            configuration = try PipelineConfiguration(yaml: yaml, sourceName: file)
        } catch let error as ConfigurationError {
            let duplicate = findings.contains { $0.severity == .error && $0.line == error.line }
            if !duplicate {
                findings.append(
                    RuleFinding(
                        severity: .error, file: file, line: error.line, column: error.column, code: "not_loadable",
                        message: error.message))
            }
            return findings.sorted(by: Self.order)
        } catch {
            findings.append(
                RuleFinding(severity: .error, file: file, line: 0, column: 0, code: "not_loadable", message: "\(error)"))
            return findings.sorted(by: Self.order)
        }
        findings += shadowedClasses(configuration, located: located, file: file)
        if let fixtures {
            findings += fixtureFindings(configuration, located: located, file: file, fixtures: fixtures)
        }
        return findings.sorted(by: Self.order)
    }

    private static func order(_ a: RuleFinding, _ b: RuleFinding) -> Bool {
        (a.line, a.column, a.code) < (b.line, b.column, b.code)
    }

    private func loadFailure(yaml: String, file: String) -> RuleFinding {
        do {
            _ = try PipelineConfiguration(yaml: yaml, sourceName: file)
        } catch let error as ConfigurationError {
            return RuleFinding(
                severity: .error, file: file, line: error.line, column: error.column, code: "not_loadable", message: error.message)
        } catch {}
        return RuleFinding(severity: .error, file: file, line: 0, column: 0, code: "not_loadable", message: "not readable as YAML")
    }

    // MARK: Patterns

    private func check(_ pattern: LocatedPattern, file: String, sourceLines: [String]) -> [RuleFinding] {
        func finding(_ severity: RuleFinding.Severity, _ code: String, _ message: String, offset: Int = 0) -> RuleFinding {
            RuleFinding(
                severity: severity, file: file, line: pattern.line, column: pattern.column + offset, code: code,
                message: "\(pattern.context) '\(pattern.source)': \(message)")
        }
        let expression: NSRegularExpression
        do {
            expression = try ConfiguredPattern.compile(pattern.source)
        } catch {
            return [finding(.error, "invalid_pattern", "not a valid ICU regular expression")]
        }
        var findings: [RuleFinding] = []
        if ConfiguredPattern.nestedQuantifier(in: pattern.source) != nil {
            findings.append(
                finding(
                    .error, "catastrophic_backtracking",
                    "repeats a group that itself repeats (nested quantifier): exponential time on hostile text"))
        }
        var suspicious = false
        guard let hazards = RegexHazards.findings(in: pattern.source) else {
            findings.append(
                finding(
                    .warning, "not_analysed",
                    "beyond the static analysis (e.g. groups nested deeper than \(RegexParser.maximumDepth)); only the timed probe checked it"
                ))
            if let slow = probe(BoundedRegex(expression: expression, source: pattern.source)) {
                findings.append(
                    finding(.error, "catastrophic_backtracking", "took \(slow.milliseconds) ms (limit \(probeLimit)) on \(slow.description)"))
            }
            return findings
        }
        for hazard in hazards {
            switch hazard.kind {
            case .exponential:
                findings.append(finding(.error, "catastrophic_backtracking", hazard.message, offset: hazard.offset))
            case .possiblyExponential, .polynomial:
                suspicious = true
                findings.append(finding(.warning, "slow_pattern", hazard.message, offset: hazard.offset))
            case .neverMatches:
                findings.append(finding(.error, "never_matches", hazard.message, offset: hazard.offset))
            case .emptyClass:
                findings.append(finding(.error, "empty_class", hazard.message, offset: hazard.offset))
            }
        }
        if let slow = probe(BoundedRegex(expression: expression, source: pattern.source)) {
            findings.append(
                finding(
                    .error, "catastrophic_backtracking",
                    "took \(slow.milliseconds) ms (limit \(probeLimit)) on \(slow.description)\(suspicious || !findings.isEmpty ? "" : " (the static analysis did not see it)")"
                ))
        }
        for example in Self.examples(above: pattern.line, in: sourceLines)
        where expression.firstMatch(in: example, range: NSRange(location: 0, length: example.utf16.count)) == nil {
            findings.append(finding(.error, "example_fails", "does not match its documented example '\(example)'"))
        }
        return findings
    }

    /// `# example: TEXT` comment lines directly above the pattern's line.
    static func examples(above line: Int, in sourceLines: [String]) -> [String] {
        var result: [String] = []
        var index = line - 2
        while index >= 0 {
            let trimmed = sourceLines[index].trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("#") else { break }
            if let range = trimmed.range(of: "example:", options: .caseInsensitive) {
                var text = trimmed[range.upperBound...].trimmingCharacters(in: .whitespaces)
                if text.count >= 2, let first = text.first, first == text.last, first == "'" || first == "\"" {
                    text = String(text.dropFirst().dropLast())
                }
                if !text.isEmpty { result.append(text) }
            }
            index -= 1
        }
        return result
    }

    /// Hostile lines (long runs of one character, alternating pairs, the pattern's own
    /// letters) timed against the pattern; the first that takes longer than `probeLimit`.
    func probe(_ regex: BoundedRegex) -> (milliseconds: Int, description: String)? {
        for (text, description) in Self.probeTexts(for: regex.source) {
            let budget = PatternBudget(limit: probeLimit * 3)
            let started = PatternBudget.now()
            PatternBudget.$current.withValue(budget) { _ = regex.firstMatch(in: text) }
            let nanoseconds = PatternBudget.now() - started
            if nanoseconds > PatternBudget.nanoseconds(probeLimit) || !budget.stopped.isEmpty {
                return (Int(nanoseconds / 1_000_000), description)
            }
        }
        return nil
    }

    static func probeTexts(for source: String) -> [(String, String)] {
        var units: [String] = ["a", "0", " ", ".", "-", "x", "ab", "a ", "0.", "a0", "1,"]
        var literal: [Character] = []
        var escaped = false
        for character in source {
            defer { escaped = character == "\\" && !escaped }
            if escaped { continue }
            if (character.isLetter || character.isNumber || character.isPunctuation) && character != "\\"
                && !literal.contains(character)
            {
                literal.append(character)
            }
        }
        units += literal.prefix(12).map { String($0).lowercased() }
        var seen = Set<String>()
        var texts: [(String, String)] = []
        for unit in units where seen.insert(unit).inserted {
            let count = max(1, 1000 / unit.count)
            texts.append((String(repeating: unit, count: count) + "\u{1}", "'\(unit)' repeated to 1000 characters"))
        }
        return texts
    }

    // MARK: Classes

    /// B can never win when another class A has every positive rule of B with at least B's
    /// weight, no negative rule B lacks, a threshold no higher, and wins ties (comes first).
    private func shadowedClasses(_ configuration: PipelineConfiguration, located: LocatedRules, file: String) -> [RuleFinding] {
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
    private func fixtureFindings(
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

/// A pattern of the configuration with where it is written.
struct LocatedPattern {
    var source: String
    var line: Int
    var column: Int
    /// `rule pattern of class 'kontoauszug'`, `case number pattern` …
    var context: String
}

/// Where classes, rules and patterns sit in the YAML, walked in the order the loader reads them.
struct LocatedRules {
    var patterns: [LocatedPattern] = []
    var classes: [(id: String, line: Int, column: Int)] = []
    /// Per class (in file order), per rule: line and column of its phrase or pattern.
    var rules: [[(line: Int, column: Int)]] = []

    init(root: Node) {
        guard let top = root.mapping else { return }
        if let matching = top["case_matching"]?.mapping {
            for (key, context) in [("case_number_patterns", "case number pattern"), ("customer_number_patterns", "customer number pattern")] {
                for item in matching[key]?.sequence.map(Array.init) ?? [] { add(item, context) }
            }
        }
        for item in top["classes"]?.sequence.map(Array.init) ?? [] {
            guard let entries = item.mapping else { continue }
            let id = entries["id"]?.string ?? "?"
            let idNode = entries["id"] ?? item
            classes.append((id, idNode.mark?.line ?? 0, idNode.mark?.column ?? 0))
            var places: [(Int, Int)] = []
            for rule in entries["rules"]?.sequence.map(Array.init) ?? [] {
                let matcher = rule.mapping?["pattern"] ?? rule.mapping?["phrase"] ?? rule
                places.append((matcher.mark?.line ?? 0, matcher.mark?.column ?? 0))
                if let pattern = rule.mapping?["pattern"] { add(pattern, "rule pattern of class '\(id)'") }
            }
            rules.append(places)
            for field in entries["fields"]?.sequence.map(Array.init) ?? [] {
                let key = field.mapping?["key"]?.string ?? "?"
                if let pattern = field.mapping?["pattern"] { add(pattern, "pattern of field '\(key)' of class '\(id)'") }
                if let count = field.mapping?["count_of"] { add(count, "count_of of field '\(key)' of class '\(id)'") }
            }
        }
    }

    private mutating func add(_ node: Node, _ context: String) {
        guard let source = node.string else { return }
        var column = node.mark?.column ?? 0
        if case .scalar(let scalar) = node, scalar.style == .singleQuoted || scalar.style == .doubleQuoted { column += 1 }
        patterns.append(LocatedPattern(source: source, line: node.mark?.line ?? 0, column: column, context: context))
    }

    func rule(_ classIndex: Int, _ ruleIndex: Int) -> (line: Int, column: Int)? {
        guard classIndex < rules.count, ruleIndex < rules[classIndex].count else { return nil }
        return rules[classIndex][ruleIndex]
    }
}

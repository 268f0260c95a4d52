import Foundation
import Yams

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
}

import Foundation
import Testing

@testable import Classification

/// Hostile and random text against every pattern of the shipped pipeline.yml, the whole
/// analysis, and `rules check`, with time bounds that must hold.
enum HostileTexts {
    /// A small seeded generator (xorshift64*), so a failure can be reproduced.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 2_685_821_657_736_338_717
        }
    }

    static let alphabet = Array(
        "abcdefghijklmnopqrstuvwxyzäöüßABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;-–/()[]{}€%§²&'\"\t\n\u{0C}аеорсх０１\u{200B}\u{00AD}")

    static func random(seed: UInt64, length: Int) -> String {
        var generator = Generator(state: seed | 1)
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// Named documents, each built to stress backtracking, size limits or Unicode handling.
    static let documents: [(String, String)] = {
        var result: [(String, String)] = []
        for unit in ["a", "0", " ", ".", "-", "/", "x", "ab", "a ", "0.", "1,", "ä", "\t"] {
            let line = String(repeating: unit, count: max(1, 1000 / unit.count))
            result.append(("run of '\(unit)'", Array(repeating: line, count: 200).joined(separator: "\n")))
        }
        result.append(("nested brackets", String(repeating: "(", count: 50_000) + String(repeating: ")", count: 50_000)))
        result.append(("nested square brackets", String(repeating: "[{(", count: 20_000)))
        result.append(("huge number", String(repeating: "9", count: 300_000)))
        result.append(("huge amount", "Gesamtmiete " + String(repeating: "1.000", count: 50_000) + ",00 €"))
        result.append(("amount-like run", String(repeating: "1.234,56 € ", count: 20_000)))
        result.append(("date-like run", String(repeating: "01.01.2025 - ", count: 20_000)))
        result.append(("case-number-like run", String(repeating: "96301 BG 001234", count: 10_000)))
        result.append(("unicode confusables", String(repeating: "Кonтоаuszug ＩＢＡＮ ＤＥ８９ Мiеtvеrtrаg ", count: 5_000)))
        result.append(("zero-width and soft hyphens", String(repeating: "Miet\u{200B}ver\u{00AD}trag ", count: 20_000)))
        result.append(("1 MB line", String(repeating: "Mietvertrag Kontoauszug IBAN DE 12 ", count: 30_000)))
        result.append(("many empty lines", String(repeating: "\n", count: 300_000)))
        result.append(("many pages", String(repeating: "Seite\u{0C}", count: 50_000)))
        for seed in 1...6 { result.append(("random \(seed)", random(seed: UInt64(seed) * 7_919, length: 200_000))) }
        return result
    }()
}

@Suite("Pattern fuzzing")
struct PatternFuzzTests {
    /// Where a configured pattern runs in the pipeline.
    enum Scope { case foldedDocument, rawDocument, rawLines }

    /// Every configured pattern of the shipped rules, with what it is and where it runs:
    /// rule patterns on the folded document, case and customer numbers on the raw document,
    /// field patterns and count_of on each raw line.
    static var shippedPatterns: [(String, ConfiguredPattern, Scope)] {
        let configuration = TestResources.configuration
        var patterns: [(String, ConfiguredPattern, Scope)] = []
        patterns += configuration.caseMatching.caseNumberPatterns.map { ("case number", $0, .rawDocument) }
        patterns += configuration.caseMatching.customerNumberPatterns.map { ("customer number", $0, .rawDocument) }
        for documentClass in configuration.classes {
            for rule in documentClass.rules {
                if case .pattern(let pattern) = rule.matcher { patterns.append(("rule of \(documentClass.id)", pattern, .foldedDocument)) }
            }
            for field in documentClass.fields {
                if let pattern = field.pattern { patterns.append(("field \(field.key)", pattern, .rawLines)) }
                if let count = field.countOf { patterns.append(("count_of \(field.key)", count, .rawLines)) }
            }
        }
        return patterns
    }

    @Test("Every shipped pattern runs through every hostile document, where the pipeline runs it, in bounded time")
    func shippedPatternsAreFast() {
        let patterns = Self.shippedPatterns
        #expect(patterns.count >= 10)
        for (name, text) in HostileTexts.documents {
            let document = DocumentText(text)
            for (what, pattern, scope) in patterns {
                let budget = PatternBudget(limit: .seconds(5))
                let started = PatternBudget.now()
                PatternBudget.$current.withValue(budget) {
                    switch scope {
                    case .foldedDocument: _ = pattern.regex.firstMatch(in: document.folded)
                    case .rawDocument: _ = pattern.regex.matches(in: document.raw)
                    case .rawLines: for line in document.lines { _ = pattern.regex.firstMatch(in: line.raw) }
                    }
                }
                let milliseconds = (PatternBudget.now() - started) / 1_000_000
                #expect(budget.stopped.isEmpty, "\(name): \(what) '\(pattern.source)' stopped")
                #expect(milliseconds < 2_000, "\(name): \(what) '\(pattern.source)' took \(milliseconds) ms")
            }
        }
    }

    @Test("The whole analysis of each hostile document stays within the per-document budget")
    func analysisIsBounded() {
        var analyzer = TestResources.analyzer
        analyzer.patternTimeBudget = .seconds(2)
        for (name, text) in HostileTexts.documents {
            let started = PatternBudget.now()
            let analysis = analyzer.analyze(text: text)
            let milliseconds = (PatternBudget.now() - started) / 1_000_000
            // Patterns stop at 2 s together; the rest (folding, phrases, labels) is linear in
            // the bounded text (200 000 characters, 1000 per line). A document whose pattern
            // searches were cut off is sent to review, never filed on a partial reading.
            #expect(milliseconds < 8_000, "\(name): analysis took \(milliseconds) ms")
            if analysis.reviewReasons.contains(where: { $0.hasPrefix("Mustersuche am Zeitlimit") }) {
                #expect(analysis.needsReview, "\(name)")
            }
        }
    }

    @Test("Real documents are analysed far inside the budget")
    func fixturesStayInsideBudget() {
        var analyzer = TestResources.analyzer
        analyzer.patternTimeBudget = .milliseconds(500)
        for sample in RuleFixtures.fixtureTexts {
            let analysis = analyzer.analyze(text: sample.text)
            #expect(!analysis.reviewReasons.contains { $0.hasPrefix("Mustersuche am Zeitlimit") }, "\(sample.origin)")
        }
    }

    @Test("A catastrophic pattern is refused at load and caught by rules check")
    func catastrophicPatternRefused() throws {
        for pattern in ["(a+)+$", "(\\w|\\d)+x", "(a|a)*b", "(\\s| )*z"] {
            let (yaml, line) = RuleFixtures.with(rules: ["      - pattern: '\(pattern)'", "        weight: 1"], inClass: "kontoauszug")
            do {
                _ = try PipelineConfiguration(yaml: yaml)
                Issue.record("'\(pattern)' was accepted at load")
            } catch let error as ConfigurationError {
                #expect(error.line == line, "\(error)")
                #expect(error.message.contains("hang"), "\(error)")
            }
            let findings = RuleChecker().check(yaml: yaml, file: "t.yml")
            #expect(findings.contains { $0.code == "catastrophic_backtracking" && $0.line == line && $0.severity == .error }, "\(pattern): \(findings.map(\.rendered))")
        }
    }

    @Test("A catastrophic pattern that got past the load checks is stopped at the deadline and the document reviewed")
    func catastrophicPatternBounded() throws {
        // '(a|aa)*c' is not refused at load (its alternatives only overlap in part) but takes
        // exponential time on a run of 'a's; rules check finds it with the timed probe.
        let (yaml, line) = RuleFixtures.with(rules: ["      - pattern: '(a|aa)*c'", "        weight: 1"], inClass: "kontoauszug")
        var configuration = try PipelineConfiguration(yaml: yaml)
        #expect(RuleChecker().check(yaml: yaml, file: "t.yml").contains { $0.code == "catastrophic_backtracking" && $0.line == line })
        // And one that only the run-time deadline can stop (built past the load checks).
        let index = try #require(configuration.classes.firstIndex { $0.id == "kontoauszug" })
        configuration.classes[index].rules.append(
            ClassRule(matcher: .pattern(try ConfiguredPattern(uncheckedSource: "(x+x+)+y")), weight: 1, negative: false))
        var analyzer = DocumentAnalyzer(configuration: configuration, register: nil, referenceDate: TestResources.referenceDate)
        analyzer.patternTimeBudget = .milliseconds(300)
        for text in [String(repeating: "a", count: 60), String(repeating: "x", count: 60) + "\n" + String(repeating: "a", count: 60)] {
            let started = PatternBudget.now()
            let analysis = analyzer.analyze(text: "Kontoauszug\n" + text)
            let milliseconds = (PatternBudget.now() - started) / 1_000_000
            #expect(milliseconds < 1_500, "analysis took \(milliseconds) ms despite a 300 ms budget")
            #expect(analysis.needsReview)
            #expect(analysis.reviewReasons.contains { $0.hasPrefix("Mustersuche am Zeitlimit") }, "\(analysis.reviewReasons)")
        }
    }

    @Test("rules check survives hostile rule files: random text, deep nesting, huge patterns")
    func ruleCheckOnHostileFiles() {
        var files: [(String, String)] = []
        for seed in 1...5 { files.append(("random \(seed)", HostileTexts.random(seed: UInt64(seed) * 104_729, length: 5_000))) }
        let deep = String(repeating: "(", count: 5_000) + "a" + String(repeating: ")", count: 5_000)
        var hostilePatterns: [String] = [deep]
        hostilePatterns.append(String(repeating: "a?", count: 3_000) + String(repeating: "a", count: 3_000))
        hostilePatterns.append(String(repeating: "x", count: 100_000))
        hostilePatterns.append(String(repeating: "[", count: 1_000))
        hostilePatterns.append("(?<=" + String(repeating: "a", count: 500) + ")b")
        hostilePatterns.append(String(repeating: "(?:a|b)", count: 2_000))
        hostilePatterns += ["\\", "(", "[z-a]", "a{99999999999}"]
        for (index, pattern) in hostilePatterns.enumerated() {
            let quoted = pattern.replacingOccurrences(of: "'", with: "''")
            files.append(
                ("pattern \(index)", RuleFixtures.with(rules: ["      - pattern: '\(quoted)'", "        weight: 1"], inClass: "kontoauszug").yaml))
        }
        for (name, yaml) in files {
            let started = PatternBudget.now()
            let findings = RuleChecker().check(yaml: yaml, file: "hostile.yml")
            let milliseconds = (PatternBudget.now() - started) / 1_000_000
            #expect(findings.contains { $0.severity == .error } || name.hasPrefix("pattern"), "\(name): \(findings.map(\.rendered))")
            #expect(milliseconds < 30_000, "\(name): rules check took \(milliseconds) ms")
        }
    }

    @Test("rules check over the shipped rules finishes in bounded time on hostile probes")
    func ruleCheckIsBounded() {
        let started = PatternBudget.now()
        let findings = RuleChecker().check(yaml: RuleFixtures.shipped, file: "pipeline.yml")
        let milliseconds = (PatternBudget.now() - started) / 1_000_000
        #expect(!findings.contains { $0.severity == .error }, "\(findings.map(\.rendered))")
        #expect(milliseconds < 20_000, "rules check took \(milliseconds) ms")
    }
}

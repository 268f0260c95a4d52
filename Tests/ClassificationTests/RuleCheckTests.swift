import Foundation
import Testing

@testable import Classification

/// The shipped pipeline.yml with extra rules put into one class, and the line each landed on.
enum RuleFixtures {
    static let shipped = (try? String(contentsOf: TestResources.pipelineURL, encoding: .utf8)) ?? ""

    /// Inserts `rules` (YAML lines, indented as rules) right after the `rules:` line of
    /// class `id`; returns the text and the line number of the first inserted line.
    static func with(rules: [String], inClass id: String) -> (yaml: String, firstLine: Int) {
        var lines = shipped.components(separatedBy: "\n")
        let classLine = lines.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "- id: \(id)" }!
        let rulesLine = lines[classLine...].firstIndex { $0.trimmingCharacters(in: .whitespaces) == "rules:" }!
        lines.insert(contentsOf: rules, at: rulesLine + 1)
        return (lines.joined(separator: "\n"), rulesLine + 2)
    }

    /// The `text` of every fixture in fixtures/truth.jsonl (true text, no OCR).
    static let fixtureTexts: [RuleCheckSample] = {
        let url = TestResources.repositoryRoot.appendingPathComponent("fixtures/truth.jsonl")
        let content = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return content.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let text = object["text"] as? String, let label = object["class"] as? String
            else { return nil }
            return RuleCheckSample(text: text, label: label, origin: object["file"] as? String ?? "?")
        }
    }()
}

@Suite("rules check")
struct RuleCheckTests {
    @Test("The shipped pipeline.yml has no errors, also against the fixture texts")
    func shippedRulesAreClean() {
        #expect(RuleFixtures.fixtureTexts.count >= 40)
        let findings = RuleChecker().check(yaml: RuleFixtures.shipped, file: "pipeline.yml", fixtures: RuleFixtures.fixtureTexts)
        let errors = findings.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.rendered))")
    }

    @Test("Hazardous and dead patterns are reported at their line with the reason")
    func brokenPatterns() throws {
        let (yaml, first) = RuleFixtures.with(
            rules: [
                "      - pattern: '(a|aa)*b'", "        weight: 1",
                "      - pattern: 'konto^auszug'", "        weight: 1",
                "      # example: 'iban de12'",
                "      - pattern: 'iban [^\\s\\S]'", "        weight: 1",
                "      - pattern: '(x+x+)+y'", "        weight: 1",
            ], inClass: "kontoauszug")
        let findings = RuleChecker().check(yaml: yaml, file: "bad.yml")
        func has(_ code: String, line: Int) -> Bool {
            findings.contains { $0.code == code && $0.line == line && $0.severity == .error && $0.file == "bad.yml" }
        }
        #expect(has("catastrophic_backtracking", line: first), "\(findings.map(\.rendered))")
        #expect(has("never_matches", line: first + 2))
        #expect(has("empty_class", line: first + 5))
        #expect(has("example_fails", line: first + 5))
        #expect(has("catastrophic_backtracking", line: first + 7))
        // The nested quantifier also stops the configuration from loading at all.
        #expect(throws: ConfigurationError.self) { try PipelineConfiguration(yaml: yaml) }
        let rendered = try #require(findings.first { $0.code == "never_matches" }).rendered
        #expect(rendered.hasPrefix("bad.yml:\(first + 2):"))
        #expect(rendered.contains(": error: "))
    }

    @Test("A pattern that matches its documented example passes")
    func exampleHolds() {
        let (yaml, first) = RuleFixtures.with(
            rules: ["      # example: 'iban de12'", "      - pattern: 'iban [a-z]{2}\\d{2}'", "        weight: 1"],
            inClass: "kontoauszug")
        let findings = RuleChecker().check(yaml: yaml, file: "ok.yml")
        #expect(!findings.contains { $0.line == first + 1 && $0.severity == .error }, "\(findings.map(\.rendered))")
    }

    @Test("A class whose rules another class has with at least the same weight is shadowed")
    func shadowedClass() {
        let yaml = RuleFixtures.shipped.replacingOccurrences(
            of: "  - id: sonstiges",
            with: """
                  - id: mietvertrag_kopie
                    label: Kopie
                    threshold: 6
                    rules:
                      - phrase: [Mietvertrag, Wohnraummietvertrag, Dauernutzungsvertrag, Nutzungsvertrag über eine Genossenschaftswohnung]
                        weight: 5
                      - phrase: Mietsache
                        weight: 2
                      - phrase: [Mietbescheinigung, Vermieterbescheinigung, Mietbestätigung, Erklärung des Vermieters]
                        weight: 5
                        negative: true
                  - id: sonstiges
                """)
        let findings = RuleChecker().check(yaml: yaml, file: "p.yml")
        let shadow = findings.first { $0.code == "shadowed_class" }
        #expect(shadow?.message.contains("'mietvertrag_kopie' can never win") == true, "\(findings.map(\.rendered))")
        #expect(shadow?.message.contains("'mietvertrag'") == true)
    }

    @Test("With fixtures, a rule that nothing triggers and a class that always loses are warned about")
    func fixtureChecks() {
        let (yaml, first) = RuleFixtures.with(
            rules: ["      - phrase: Zauberwortxyz", "        weight: 1"], inClass: "kontoauszug")
        let findings = RuleChecker().check(yaml: yaml, file: "p.yml", fixtures: RuleFixtures.fixtureTexts)
        #expect(findings.contains { $0.code == "unused_rule" && $0.line == first && $0.severity == .warning })

        // A class scoring only on words that kontoauszug also scores higher on.
        let loser = RuleFixtures.shipped.replacingOccurrences(
            of: "  - id: sonstiges",
            with: """
                  - id: buchungsliste
                    label: Buchungsliste
                    threshold: 2
                    rules:
                      - phrase: Buchungstag
                        weight: 1
                  - id: sonstiges
                """)
        let shadowed = RuleChecker().check(yaml: loser, file: "p.yml", fixtures: RuleFixtures.fixtureTexts)
        #expect(
            shadowed.contains { $0.code == "shadowed_on_fixtures" && $0.message.contains("'buchungsliste' is shadowed by 'kontoauszug'") },
            "\(shadowed.map(\.rendered))")
    }

    @Test("A file that is not YAML or not a configuration is one located error")
    func unloadable() {
        let findings = RuleChecker().check(yaml: "version: 1\nclasses: [\n", file: "broken.yml")
        #expect(findings.count == 1)
        #expect(findings.first?.code == "not_loadable")
        #expect((findings.first?.line ?? 0) > 0)
    }
}

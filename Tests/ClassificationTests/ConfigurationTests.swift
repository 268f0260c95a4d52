import Foundation
import Testing

@testable import Classification

@Suite("Configuration")
struct ConfigurationTests {
    /// Everything of a valid configuration up to its class list (which follows `classes:`).
    static let header = """
        version: 1
        review:
          minimum_confidence: 0.5
          minimum_margin: 0.3
        case_matching:
          case_number_patterns: ['(\\d{5}BG\\d{7})']
          customer_number_patterns: []
          name_matching:
            address_evidence: [street, postcode]
            minimum_address_matches: 1
        fallback_class: sonstiges
        classes:

        """

    /// A minimal valid configuration; tests break it one line at a time.
    static let valid = header + """
          - id: mietvertrag
            label: Mietvertrag
            threshold: 4
            rules:
              - phrase: Mietvertrag
                weight: 5
            fields:
              - key: kaltmiete
                type: amount
                labels: [Kaltmiete]
              - key: nebenkosten
                type: amount
                labels: [Nebenkosten]
              - key: gesamtmiete
                type: amount
                labels: [Gesamtmiete]
                checks:
                  - sum_of: [kaltmiete, nebenkosten]
                  - range: [0, 5000]
          - id: sonstiges
            label: Sonstiges
        """

    /// Line number (from 1) of the first line of `yaml` containing `text`.
    private func line(of text: String, in yaml: String) -> Int {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        return (lines.firstIndex { $0.contains(text) } ?? -1) + 1
    }

    private func error(_ yaml: String) -> ConfigurationError? {
        do {
            _ = try PipelineConfiguration(yaml: yaml, sourceName: "pipeline.yml")
            return nil
        } catch let error as ConfigurationError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    @Test("The shipped pipeline.yml loads with every contract class")
    func shippedFileLoads() throws {
        let configuration = try PipelineConfiguration.load(from: TestResources.pipelineURL)
        let ids = Set(configuration.classes.map(\.id))
        #expect(
            ids == [
                "mietvertrag", "mietbescheinigung", "lohnabrechnung", "kontoauszug", "betriebskostenabrechnung",
                "kindergeldbescheid", "au_bescheinigung", "sonstiges",
                // more of the real mail
                "heizkostenabrechnung", "energierechnung", "einkommensbescheinigung", "arbeitsvertrag", "kuendigung",
                "rentenbescheid", "wohngeldbescheid", "meldebescheinigung", "schulbescheinigung", "ausweis",
            ])
        #expect(configuration.fallbackClassID == "sonstiges")
        #expect(configuration.documentClass("au_bescheinigung")?.sensitive == true)
        #expect(configuration.documentClass("mietvertrag")?.sensitive == false)
    }

    @Test("The shipped classes carry exactly the contract's field keys and types")
    func shippedFieldsFollowContract() {
        let rent: [String: FieldType] = [
            "kaltmiete": .amount, "nebenkosten": .amount, "heizkosten": .amount, "gesamtmiete": .amount,
            "wohnflaeche": .area, "mietbeginn": .date, "vermieter": .name,
        ]
        let contract: [String: [String: FieldType]] = [
            "mietvertrag": rent, "mietbescheinigung": rent,
            "lohnabrechnung": [
                "abrechnungsmonat": .month, "brutto": .amount, "netto": .amount, "auszahlung": .amount, "arbeitgeber": .name,
                "steuerklasse": .integer,
            ],
            "kontoauszug": [
                "iban": .iban, "zeitraum_von": .date, "zeitraum_bis": .date, "saldo_alt": .amount, "saldo_neu": .amount,
                "bank": .name,
            ],
            "betriebskostenabrechnung": [
                "zeitraum_von": .date, "zeitraum_bis": .date, "nachzahlung": .amount, "guthaben": .amount,
            ],
            "kindergeldbescheid": ["betrag_monatlich": .amount, "anzahl_kinder": .integer, "gueltig_ab": .date],
            "au_bescheinigung": ["au_von": .date, "au_bis": .date],
            "sonstiges": [:],
        ]
        for (id, fields) in contract {
            let configured = TestResources.configuration.documentClass(id)?.fields ?? []
            #expect(Dictionary(uniqueKeysWithValues: configured.map { ($0.key, $0.type) }) == fields, "class \(id)")
        }
    }

    @Test("The minimal configuration loads")
    func minimalLoads() throws {
        let configuration = try PipelineConfiguration(yaml: Self.valid)
        #expect(configuration.classes.count == 2)
        #expect(
            configuration.documentClass("mietvertrag")?.fields[2].checks == [
                .sumOf(["kaltmiete", "nebenkosten"]), .range(0, 5000),
            ])
    }

    @Test("A field's label is what pipeline.yml says, else made from its key; an empty label is refused at its line")
    func fieldLabels() throws {
        let labelled = Self.valid.replacingOccurrences(
            of: "      - key: kaltmiete\n", with: "      - key: kaltmiete\n        label: Nettokaltmiete\n")
        let configuration = try PipelineConfiguration(yaml: labelled)
        let fields = try #require(configuration.documentClass("mietvertrag")?.fields)
        #expect(fields.map(\.label).prefix(2) == ["Nettokaltmiete", "Nebenkosten"])
        #expect(FieldDefinition.defaultLabel("saldo_neu") == "Saldo neu")
        let allFields = TestResources.configuration.classes.flatMap(\.fields)
        #expect(allFields.first { $0.key == "wohnflaeche" }?.label == "Wohnfläche")
        #expect(allFields.first { $0.key == "iban" }?.label == "IBAN")
        let empty = labelled.replacingOccurrences(of: "label: Nettokaltmiete", with: "label: ''")
        let error = try #require(self.error(empty))
        #expect(error.line == line(of: "label: ''", in: empty))
        #expect(error.description.contains("label of field 'kaltmiete'"))
    }

    @Test("An unknown field type names file, line, column and the accepted types")
    func unknownFieldType() throws {
        let yaml = Self.valid.replacingOccurrences(
            of: "    type: amount\n        labels: [Kaltmiete]", with: "    type: amout\n        labels: [Kaltmiete]")
        let error = try #require(self.error(yaml))
        #expect(error.file == "pipeline.yml")
        #expect(error.line == line(of: "amout", in: yaml))
        #expect(error.column == 15)
        #expect(
            error.description.hasPrefix(
                "pipeline.yml:\(error.line):15: unknown field type 'amout' (accepted: amount, date, month, iban, area, integer, text, name)"
            ))
    }

    @Test("An invalid regex is reported at its line")
    func invalidRegex() throws {
        let yaml = Self.valid.replacingOccurrences(of: "['(\\d{5}BG\\d{7})']", with: "['(\\d{5}BG']")
        let error = try #require(self.error(yaml))
        #expect(error.line == line(of: "case_number_patterns", in: yaml))
        #expect(error.message.contains("invalid regular expression"))
    }

    @Test("A pattern with a nested quantifier is refused")
    func nestedQuantifier() throws {
        let yaml = Self.valid.replacingOccurrences(of: "- phrase: Mietvertrag", with: "- pattern: '(miet\\w+\\s?)+'")
        let error = try #require(self.error(yaml))
        #expect(error.line == line(of: "- pattern:", in: yaml))
        #expect(error.message.contains("nested quantifier"))
    }

    @Test("A typo in a key is an error, not ignored")
    func unknownKey() throws {
        let yaml = Self.valid.replacingOccurrences(of: "threshold: 4", with: "treshold: 4")
        let error = try #require(self.error(yaml))
        #expect(error.line == line(of: "treshold", in: yaml))
        #expect(error.column == 5)
        #expect(error.message.contains("unknown key 'treshold'"))
        #expect(error.message.contains("did you mean 'threshold'?"))
    }

    @Test("A duplicate class id names both lines")
    func duplicateClass() throws {
        let yaml = Self.valid.replacingOccurrences(
            of: "  - id: sonstiges",
            with:
                "  - id: mietvertrag\n    label: Doppelt\n    threshold: 3\n    rules:\n      - phrase: Miete\n        weight: 3\n  - id: sonstiges"
        )
        let error = try #require(self.error(yaml))
        let first = line(of: "- id: mietvertrag", in: yaml)
        let second = yaml.split(separator: "\n", omittingEmptySubsequences: false).lastIndex { $0.contains("- id: mietvertrag") }
        #expect(error.line == (second ?? -1) + 1)
        #expect(error.line > first)
        #expect(error.message.contains("duplicate class id 'mietvertrag' (first defined at line \(first))"))
    }

    @Test("A class without threshold is an error")
    func missingThreshold() throws {
        let yaml = Self.valid.replacingOccurrences(of: "    threshold: 4\n", with: "")
        let error = try #require(self.error(yaml))
        #expect(error.line == line(of: "- id: mietvertrag", in: yaml))
        #expect(error.message.contains("missing 'threshold'"))
    }

    @Test("A sum_of naming an unknown field is an error")
    func sumOfUnknownField() throws {
        let yaml = Self.valid.replacingOccurrences(
            of: "sum_of: [kaltmiete, nebenkosten]", with: "sum_of: [kaltmiete, heizkosten]")
        let error = try #require(self.error(yaml))
        #expect(error.line == line(of: "sum_of", in: yaml))
        #expect(error.message.contains("unknown field 'heizkosten'"))
    }

    @Test("A field pattern needs exactly one capture group")
    func fieldPatternGroups() throws {
        let yaml = Self.valid.replacingOccurrences(of: "labels: [Kaltmiete]", with: "pattern: 'kalt (\\d+) (\\d+)'")
        let error = try #require(self.error(yaml))
        #expect(error.message.contains("exactly one capture group"))
    }

    @Test("doubtful_with takes phrases of four letters or more and is refused empty, at its line")
    func doubtfulWith() throws {
        let good = Self.valid.replacingOccurrences(of: "labels: [Kaltmiete]", with: "labels: [Kaltmiete]\n        doubtful_with: [Staffelmiete]")
        let configuration = try PipelineConfiguration(yaml: good, sourceName: "pipeline.yml")
        #expect(configuration.documentClass("mietvertrag")?.fields.first?.doubtfulWith == ["Staffelmiete"])
        let yaml = Self.valid.replacingOccurrences(of: "labels: [Kaltmiete]", with: "labels: [Kaltmiete]\n        doubtful_with: [ab]")
        let error = try #require(self.error(yaml))
        #expect(error.line == line(of: "doubtful_with", in: yaml))
        #expect(error.message.contains("at least four letters"))
    }

    @Test("not_with names another field of the same type of the class, else it is refused at its line")
    func notWith() throws {
        let good = Self.valid.replacingOccurrences(of: "labels: [Kaltmiete]", with: "labels: [Kaltmiete]\n        checks:\n          - not_with: nebenkosten")
        #expect(self.error(good) == nil)
        let unknown = Self.valid.replacingOccurrences(of: "labels: [Kaltmiete]", with: "labels: [Kaltmiete]\n        checks:\n          - not_with: guthaben")
        let error = try #require(self.error(unknown))
        #expect(error.message.contains("unknown field 'guthaben'"))
        let itself = Self.valid.replacingOccurrences(of: "labels: [Kaltmiete]", with: "labels: [Kaltmiete]\n        checks:\n          - not_with: kaltmiete")
        let selfError = try #require(self.error(itself))
        #expect(selfError.message.contains("names the field itself"))
        #expect(selfError.line == line(of: "not_with: kaltmiete", in: itself))
    }

    @Test("count_of is refused on a field that is not an integer")
    func countOfType() throws {
        let yaml = Self.valid.replacingOccurrences(of: "labels: [Kaltmiete]", with: "count_of: 'miete'")
        let error = try #require(self.error(yaml))
        #expect(error.line == line(of: "count_of", in: yaml))
        #expect(error.message.contains("count_of applies to integer fields only"))
    }

    @Test("Broken YAML syntax is located")
    func syntaxError() throws {
        let yaml = Self.valid.replacingOccurrences(of: "  minimum_margin: 0.3", with: "  minimum_margin: [0.3")
        let error = try #require(self.error(yaml))
        #expect(error.line > 0)
        #expect(error.message.hasPrefix("YAML syntax"))
    }

    @Test("A fallback class that does not exist is an error")
    func unknownFallback() throws {
        let yaml = Self.valid.replacingOccurrences(of: "fallback_class: sonstiges", with: "fallback_class: other")
        let error = try #require(self.error(yaml))
        #expect(error.line == line(of: "fallback_class", in: yaml))
        #expect(error.message.contains("'other' is not among the classes"))
    }

    @Test("Loading a missing file says which path")
    func missingFile() {
        #expect(throws: ConfigurationError.self) {
            try PipelineConfiguration.load(from: URL(fileURLWithPath: "/nonexistent/pipeline.yml"))
        }
    }
}

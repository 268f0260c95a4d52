import Foundation
import Testing

@testable import Classification

@Suite("Classification")
struct ClassifierTests {
    private func classify(_ text: String) -> Classification {
        Classifier(configuration: TestResources.configuration).classify(DocumentText(text))
    }

    @Test(
        "Each class is recognised from a realistic German text",
        arguments: [
            (SampleDocuments.mietvertrag, "mietvertrag"), (SampleDocuments.mietbescheinigung, "mietbescheinigung"),
            (SampleDocuments.lohnabrechnung, "lohnabrechnung"), (SampleDocuments.kontoauszug, "kontoauszug"),
            (SampleDocuments.betriebskostenabrechnung, "betriebskostenabrechnung"),
            (SampleDocuments.kindergeldbescheid, "kindergeldbescheid"), (SampleDocuments.auBescheinigung, "au_bescheinigung"),
        ])
    func recognisesClass(text: String, expected: String) {
        let result = classify(text)
        #expect(result.classID == expected)
        #expect(!result.isFallback)
        #expect(result.confidence >= TestResources.configuration.review.minimumConfidence)
        #expect(result.margin >= TestResources.configuration.review.minimumMargin)
    }

    @Test("A letter of no known kind falls back to sonstiges")
    func fallback() {
        let result = classify(SampleDocuments.sonstiges)
        #expect(result.classID == "sonstiges")
        #expect(result.isFallback)
    }

    @Test("The fired rules explain the decision with line and page")
    func firedRules() throws {
        let result = classify("Deckblatt\n\u{0C}Seite 2\nMIETBESCHEINIGUNG\nvom Vermieter auszufuellen")
        let winner = try #require(result.scores.first)
        #expect(winner.classID == "mietbescheinigung")
        let rule = try #require(winner.firedRules.first { $0.rule.hasPrefix("phrase") && $0.rule.contains("'Mietbescheinigung'") })
        #expect(rule.line == 3)
        #expect(rule.page == 2)
        #expect(winner.firedRules.contains { $0.rule.hasPrefix("phrase 'vom Vermieter auszufüllen'") })
    }

    @Test(
        "Umlauts, case and split words do not matter",
        arguments: [
            "ARBEITSUNFAEHIGKEITSBESCHEINIGUNG", "Arbeits-\nunfähigkeits-\nbescheinigung", "arbeitsunfähigkeits bescheinigung",
        ])
    func folding(text: String) {
        #expect(classify(text).classID == "au_bescheinigung")
    }

    @Test("A long phrase with one OCR error still fires, and shows what it saw")
    func fuzzyPhrase() throws {
        let result = classify("Betriebskostenabrechnunq 2024\nUmlageschlüssel: Wohnfläche")
        #expect(result.classID == "betriebskostenabrechnung")
        let rule = try #require(result.scores.first?.firedRules.first)
        #expect(rule.matched == "betriebskostenabrechnunq")
        #expect(rule.line == 1)
    }

    @Test("Phrases under ten letters need an exact match")
    func shortPhraseExact() {
        let result = classify("Bescheld")
        #expect(!result.scores.contains { $0.classID == "kindergeldbescheid" && $0.score > 0 })
    }

    @Test("Spelling variants of one phrase count once")
    func variantsCountOnce() throws {
        let result = classify("Arbeitsunfähigkeitsbescheinigung Arbeitsunfahigkeitsbescheinigung")
        let au = try #require(result.scores.first { $0.classID == "au_bescheinigung" })
        #expect(au.firedRules.filter { $0.rule.contains("Arbeitsunfahigkeitsbescheinigung") }.count == 1)
        // The title (6), "arbeitsunfähig" inside it (3) and "Arbeitsunfähigkeit" inside it (2), each once.
        #expect(au.score == 6 + 3 + 2)
    }

    @Test("A rent certificate that mentions the contract is still a certificate")
    func negativeRule() {
        let result = classify(SampleDocuments.mietbescheinigung + "\nlaut Mietvertrag vom 01.10.2019")
        #expect(result.classID == "mietbescheinigung")
        let contract = result.scores.first { $0.classID == "mietvertrag" }
        #expect(contract?.firedRules.contains { $0.negative } == true)
    }

    @Test("A bank statement with a child-benefit booking stays a bank statement, clearly")
    func statementWithChildBenefit() {
        let text = SampleDocuments.kontoauszug + "\n19.03. 19.03. Gutschrift Familienkasse 255,00\nKindergeld KG-Nr. 123FK768828"
        let result = classify(text)
        #expect(result.classID == "kontoauszug")
        #expect(result.margin >= TestResources.configuration.review.minimumMargin)
    }

    @Test("A rent contract that mentions the operating-cost statement stays a rent contract")
    func contractMentioningStatement() {
        let result = classify(
            SampleDocuments.mietvertrag
                + "\nÜber die Vorauszahlungen wird jährlich mit einer Betriebskostenabrechnung abgerechnet.")
        #expect(result.classID == "mietvertrag")
        #expect(result.margin >= TestResources.configuration.review.minimumMargin)
    }

    @Test("A document with equal evidence for two classes has a small margin")
    func smallMargin() {
        let result = classify("Mietbescheinigung\nKontoauszug")
        #expect(result.margin < TestResources.configuration.review.minimumMargin)
        #expect(result.runnerUp != nil)
    }

    @Test("Hostile text (long runs, no line breaks) is analysed in bounded time")
    func hostileText() {
        let hostile =
            String(repeating: "a", count: 100_000) + String(repeating: "1.", count: 20_000)
            + String(repeating: "DE00 ", count: 5_000)
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = TestResources.analyzer.analyze(text: hostile) }
        #expect(elapsed < .seconds(5))
    }

    @Test("Many label lines without values and one endless line stay bounded")
    func hostileLabels() {
        let manyLines =
            "Mietvertrag über Wohnraum, Mietsache, Kaution\n"
            + String(repeating: "Gesamtmiete Wohnfläche Mietbeginn Vermieter\n", count: 1_000)
        let endlessLine =
            "Mietvertrag über Wohnraum, Mietsache, Kaution\n"
            + String(repeating: "Gesamtmiete Wohnfläche Mietbeginn Vermieter ", count: 4_000)
        let clock = ContinuousClock()
        for text in [manyLines, endlessLine] {
            var analysis: DocumentAnalysis?
            let elapsed = clock.measure { analysis = TestResources.analyzer.analyze(text: text) }
            // A guard against runaway work (minutes), not a speed target: shared 2-core machines
            // under a build's load take several seconds for what an idle one does in one.
            #expect(elapsed < .seconds(20))
            #expect(analysis?.classification.classID == "mietvertrag")
            #expect(analysis?.field("gesamtmiete") == nil)
        }
    }
}

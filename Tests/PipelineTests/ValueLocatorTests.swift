import Foundation
import OCR
import PosteingangTestKit
import Testing

@testable import Classification
@testable import Pipeline

/// Where a value stands on its page: the words of its line found again among the OCR's boxes.
@Suite("Values carry their box on the page", .tags(.ocr), .slow)
struct ValueLocatorTests {
    static func word(_ text: String, _ x: Int, _ y: Int, confidence: Float = 90) -> RecognizedWord {
        RecognizedWord(text: text, confidence: confidence, x: x, y: y, width: 12 * text.count, height: 24)
    }

    static func page(_ words: [RecognizedWord], text: String) -> ReadPage {
        var page = ReadPage(
            number: 1, source: .ocr, text: text, words: words, meanConfidence: 90, preparation: nil, barcodes: [], notes: [])
        page.width = 2000
        page.height = 3000
        return page
    }

    @Test("The box of the words the value was read from, as shares of the page, with their confidence")
    func boxOfValue() throws {
        let words = [
            Self.word("Gesamt-Brutto", 200, 900), Self.word("2.284,59", 1500, 902, confidence: 80),
            Self.word("Netto-Verdienst", 900, 1200), Self.word("1.635,96", 1500, 1199, confidence: 96),
        ]
        let text = "Gesamt-Brutto 2.284,59\nNetto-Verdienst 1.635,96"
        let located = ValueLocator.locate(
            [ExtractedFieldStub(key: "netto", raw: "1.635,96", line: 2).field, ExtractedFieldStub(key: "brutto", raw: "2.284,59", line: 1).field],
            text: text, pages: [Self.page(words, text: text)])
        let netto = try #require(located[0].location)
        #expect(netto.page == 1)
        #expect(netto.x == 0.75 && netto.y == 0.3997)
        #expect(netto.width == 0.048 && netto.height == 0.008)
        #expect(netto.confidence == 96)
        #expect(located[1].location?.y == 0.3007)
        #expect(located[1].location?.confidence == 80)
    }

    @Test("The same figure twice on a page: the row whose words are the line's is the one")
    func sameValueTwice() throws {
        let words = [
            Self.word("Kaltmiete", 200, 600), Self.word("500,00", 1500, 600),
            Self.word("Vorauszahlung", 200, 1400), Self.word("Heizung", 400, 1400), Self.word("500,00", 1500, 1401),
        ]
        let text = "Kaltmiete 500,00\nVorauszahlung Heizung 500,00"
        let located = ValueLocator.locate(
            [ExtractedFieldStub(key: "heizkosten", raw: "500,00", line: 2).field], text: text, pages: [Self.page(words, text: text)])
        #expect(located[0].location?.y == 0.467)
    }

    @Test("A value glued to its label or split over two words is found; a repaired digit too")
    func gluedAndSplit() throws {
        let words = [
            Self.word("IBAN", 200, 500), Self.word("DE89", 400, 500), Self.word("3704", 500, 500), Self.word("0044", 600, 500),
            Self.word("0532", 700, 500), Self.word("0130", 800, 500), Self.word("00", 900, 500),
            Self.word("Miete:580,O0", 200, 800),
        ]
        let text = "IBAN DE89 3704 0044 0532 0130 00\nMiete:580,O0"
        let located = ValueLocator.locate(
            [
                ExtractedFieldStub(key: "iban", raw: "DE89 3704 0044 0532 0130 00", line: 1).field,
                ExtractedFieldStub(key: "kaltmiete", raw: "580,00", line: 2).field,
            ], text: text, pages: [Self.page(words, text: text)])
        let iban = try #require(located[0].location)
        #expect(iban.x == 0.2 && iban.width == 0.262)
        #expect(located[1].location?.x == 0.1)
    }

    @Test("No box where the words are not there, for a one-digit value only a word of its own, none on a text layer")
    func noGuess() {
        let words = [Self.word("Steuerklasse", 200, 500), Self.word("10,5", 600, 500), Self.word("Gehalt", 200, 900)]
        let text = "Steuerklasse 10,5\nGehalt"
        let pages = [Self.page(words, text: text)]
        let located = ValueLocator.locate(
            [
                ExtractedFieldStub(key: "steuerklasse", raw: "1", line: 1).field,
                ExtractedFieldStub(key: "netto", raw: "1.635,96", line: 2).field,
                ExtractedFieldStub(key: "brutto", raw: "2.000,00", line: 9).field,
            ], text: text, pages: pages)
        #expect(located.allSatisfy { $0.location == nil })
        var textLayer = pages[0]
        textLayer.words = []
        textLayer.source = .textLayer
        #expect(ValueLocator.locate([ExtractedFieldStub(key: "x", raw: "Gehalt", line: 2).field], text: text, pages: [textLayer])[0].location == nil)
    }

    @Test("A photographed payslip's figures come with boxes where they stand: amounts right, one below the other")
    func photographedPayslip() async throws {
        let processor = DocumentProcessor(
            analyzer: DocumentAnalyzer(configuration: try PipelineConfiguration.load(from: TestKit.pipelineYML), register: nil))
        let pool = try EnginePool(size: 1)
        defer { pool.shutdown() }
        let result = try await processor.process(
            fileAt: TestKit.fixture("layouts/tune/lohnabrechnung_02.jpg"), using: pool
        ).get()
        func place(_ key: String) throws -> ValueBox { try #require(result.analysis.field(key)?.location, "\(key)") }
        let brutto = try place("brutto"), netto = try place("netto"), paid = try place("auszahlung")
        let employer = try place("arbeitgeber")
        for box in [brutto, netto, paid] {
            #expect(box.x > 0.6 && box.width < 0.15 && box.height < 0.03)
            #expect(box.confidence > 60)
        }
        #expect(brutto.y < netto.y && netto.y < paid.y)
        #expect(employer.x < 0.3 && employer.y < brutto.y)
        #expect([brutto, netto, paid, employer].allSatisfy { $0.page == 1 })
    }
}

/// A field as extraction hands it over, before its place is known.
struct ExtractedFieldStub {
    var key: String
    var raw: String
    var line: Int

    var field: ExtractedField {
        ExtractedField(key: key, type: .text, value: raw, raw: raw, doubtful: false, reason: nil, line: line, anchor: "test", checks: [])
    }
}

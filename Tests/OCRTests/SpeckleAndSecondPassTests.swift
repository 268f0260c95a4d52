import Foundation
import Imaging
@testable import OCR
import PosteingangTestKit
import Testing

/// Scanner speckle (`Despeckle`, `GlyphRepair.specks`) and the second pass over text the page's
/// reading left out (`UncoveredText`), on real scans of both fixture families.
@Suite(.tags(.ocr), .slow)
struct SpeckleAndSecondPassTests {
    /// The words of one or two dot-like marks in `text` ("·", ":", ";", "." standing alone).
    static func loneDots(_ text: String) -> [String] {
        text.split(whereSeparator: \.isWhitespace).map(String.init).filter { GlyphRepair.isLoneDotMark($0) && $0 != "·" }
    }

    @Test("Specks of dust on a scanned payslip are not read as lone full stops; the amounts stay")
    func speckleOnAScan() throws {
        let path = "layouts/tune/lohnabrechnung_05.tif"
        let plain = try Recognition.firstPage(path) { $0.steps.whitenSpeckle = nil; $0.steps.dropSpecks = nil; $0.steps.uncoveredText = nil }.text
        let cleaned = try Recognition.firstPage(path).text
        // Without the filter this page has specks read as "." beside its words.
        #expect(!Self.loneDots(plain).isEmpty, "\(plain)")
        #expect(Self.loneDots(cleaned).isEmpty, "\(cleaned)")
        #expect(cleaned.contains("46236 Bottrop StKl 1"), "\(cleaned)")
        #expect(cleaned.contains("Lohnsteuer 365,67"), "\(cleaned)")
    }

    @Test("Real punctuation on a scan stays: the date after its colon, the page counter, middle dots")
    func realPunctuationStays() throws {
        let statement = try Recognition.firstPage("scan/kontoauszug_03.tif").text
        #expect(statement.contains("Datum: 01.02.2025"), "\(statement)")
        #expect(statement.contains("Seite 1 von 2"), "\(statement)")
        #expect(Self.loneDots(statement).isEmpty, "\(statement)")
        let sickNote = try Recognition.firstPage("layouts/tune/au_bescheinigung_02.png").text
        #expect(sickNote.contains("Kettwiger Straße 40 · 45127 Essen · Telefon 0201 2290810"), "\(sickNote)")
    }

    @Test("Lone dot-like marks are candidates for removal; dashes, signs and words are not")
    func loneDotMarks() {
        for token in [".", ":", ";", "·", "„", "'", ".."] { #expect(GlyphRepair.isLoneDotMark(token), "\(token)") }
        for token in ["-", "–", "/", "€", "2.", "a", "...", "Datum:"] { #expect(!GlyphRepair.isLoneDotMark(token), "\(token)") }
    }

    @Test("Dropped words leave the rest of the text as it was; a line of specks goes with its break")
    func removing() {
        func word(_ text: String, line: Int) -> GlyphRepair.Word { GlyphRepair.Word(text: text, box: (0, 0, 1, 1), line: line, baseline: nil) }
        let words = [word("Seite", line: 0), word("1", line: 0), word("von", line: 0), word("2.", line: 0), word(".", line: 0),
                     word(":", line: 1), word("Datum:", line: 2), word("01.03.2025", line: 2)]
        let text = "Seite 1 von 2. .\n:\nDatum: 01.03.2025\n\n"
        #expect(GlyphRepair.removing([4, 5], from: text, words: words) == "Seite 1 von 2.\nDatum: 01.03.2025\n\n")
    }

    @Test("Recovered lines go where they stand on the page: a footer at the end, a missed line by its height")
    func insertingByHeight() {
        func word(_ text: String, x: Int, y: Int, line: Int) -> GlyphRepair.Word {
            GlyphRepair.Word(text: text, box: (x, y, 50, 20), line: line, baseline: nil)
        }
        let words = [word("Sehr", x: 100, y: 100, line: 0), word("geehrte", x: 160, y: 100, line: 0),
                     word("Mit", x: 100, y: 500, line: 1), word("Grüßen", x: 160, y: 500, line: 1)]
        let text = "Sehr geehrte\n\nMit Grüßen\n\n"
        let footer = [[word("Hausverwaltung", x: 100, y: 3000, line: 9)], [word("IBAN", x: 900, y: 3000, line: 10)]]
        let middle = [[word("Betreff", x: 100, y: 300, line: 11)]]
        let (withFooter, footerAt) = UncoveredText.inserting(footer, into: text, words: words)
        #expect(withFooter == "Sehr geehrte\n\nMit Grüßen\n\nHausverwaltung\nIBAN\n\n")
        #expect(footerAt == [4, 4])
        let (withMiddle, middleAt) = UncoveredText.inserting(middle, into: text, words: words)
        #expect(withMiddle == "Sehr geehrte\n\nBetreff\nMit Grüßen\n\n")
        #expect(middleAt == [2])
    }

    @Test("Blocks side by side are read column by column, rows top to bottom")
    func blockOrder() {
        let a = UncoveredText.Block(x: 900, y: 3000, width: 300, height: 80, markHeight: 14)
        let b = UncoveredText.Block(x: 100, y: 3005, width: 300, height: 120, markHeight: 14)
        let c = UncoveredText.Block(x: 100, y: 200, width: 300, height: 40, markHeight: 20)
        #expect(UncoveredText.readingOrder([a, b, c]) == [c, b, a])
    }
}

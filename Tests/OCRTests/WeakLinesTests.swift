import Foundation
import PosteingangTestKit
import Testing

@testable import OCR

/// Lines Tesseract was unsure of in the whole page, read again alone (`WeakLines`).
@Suite(.tags(.ocr), .slow) struct WeakLinesTests {
    @Test("A form's date in a monospaced font, lost in the page's reading, is read when its line is read alone")
    func monospacedDate() throws {
        let path = "layouts/tune/au_bescheinigung_03.pdf"
        let once = try Recognition.firstPage(path) { $0.steps.weakLines = nil }
        let twice = try Recognition.firstPage(path)
        #expect(!once.text.contains("06.06.25"), "\(once.text)")
        #expect(twice.text.contains("voraussichtlich arbeitsunfähig bis einschließlich\n06.06.25\n"), "\(twice.text)")
        // The new word has its box where the old one was, and is sure of itself.
        let date = try #require(twice.words.first { $0.text == "06.06.25" })
        #expect(date.confidence >= WeakLines.accepted)
        #expect(!twice.words.contains { $0.text == "25," })
        // Nothing else changed: every other line reads as before.
        let others = { (text: String) in text.split(separator: "\n").filter { !$0.contains("06.06.25") && $0 != "25," } }
        #expect(others(once.text) == others(twice.text))
    }

    @Test("Only unsure lines with letters or digits are read again, the least sure first, at most six")
    func candidates() {
        func word(_ text: String, _ confidence: Float, line: Int) -> (RecognizedWord, GlyphRepair.Word) {
            (RecognizedWord(text: text, confidence: confidence, x: 0, y: line * 40, width: 50, height: 30),
             GlyphRepair.Word(text: text, box: (0, line * 40, 50, 30), line: line, baseline: nil))
        }
        var items = [word("Miete", 95, line: 0), word("580,00", 93, line: 0), word("25,", 36, line: 1), word("—", 20, line: 2)]
        for line in 3..<12 { items.append(word("ab\(line)", Float(line), line: line)) }
        let ranges = WeakLines.candidates(items.map(\.0), items.map(\.1))
        #expect(ranges.count == WeakLines.maximumPerPage)
        #expect(ranges.first == 4..<5)  // "ab3", the least sure
        #expect(!ranges.contains(0..<2))  // a sure line
        #expect(!ranges.contains(3..<4))  // a lone dash
        #expect(WeakLines.replacing(line: "25,", with: "06.06.25", in: "bis\n25,\nArzt") == "bis\n06.06.25\nArzt")
        #expect(WeakLines.replacing(line: "25,", with: "x", in: "25,\n25,") == nil)
    }
}

/// An unsure line that jumps from the address window to the information block beside it.
@Suite(.tags(.ocr), .slow) struct WeakColumnLinesTests {
    @Test("Address line and side block joined by Tesseract into one unsure line are read again as columns")
    func sideBlockBesideAddress() throws {
        let path = "ocr/side-block-payslip.pdf"
        let once = try Recognition.firstPage(path) { $0.steps.weakLines = nil }
        let twice = try Recognition.firstPage(path)
        #expect(!once.text.contains("Steuerklasse 1"), "\(once.text)")
        #expect(twice.text.contains("Kirchstraße 5\n"), "\(twice.text)")
        #expect(twice.text.contains("Steuerklasse 1\n"), "\(twice.text)")
        #expect(twice.text.contains("Kinderfreibeträge 0,5"), "\(twice.text)")
        // The address's next line and the rest of the page stay as they were.
        #expect(twice.text.contains("44147 Dortmund"))
        #expect(twice.text.contains("Gehaltsabrechnung 06/2025"))
        let value = try #require(twice.words.first { $0.text == "Steuerklasse" })
        #expect(value.confidence >= WeakLines.keptLine)
    }

    @Test("A column gap is a gap of more than six word heights between two words of a line")
    func columnSplit() {
        func word(_ text: String, x: Int, width: Int) -> RecognizedWord {
            RecognizedWord(text: text, confidence: 10, x: x, y: 700, width: width, height: 33)
        }
        #expect(WeakLines.columnSplit([word("Krise", x: 298, width: 206), word("5", x: 523, width: 18), word("Feel", x: 1396, width: 325)]) == 2)
        #expect(WeakLines.columnSplit([word("Miete", x: 100, width: 200), word("580,00", x: 400, width: 150)]) == nil)
        #expect(WeakLines.columnSplit([word("Miete", x: 100, width: 200)]) == nil)
    }
}

import Foundation
import PosteingangTestKit
import Testing

@testable import OCR

/// Short lines of figures read again alone, in black and white (`ReadNumberLines`).
@Suite(.tags(.ocr), .slow) struct NumberLinesTests {
    @Test("A sick note's dates in thin monospaced type, read with digits for full stops in the page, are read as dates")
    func monospacedDates() throws {
        let path = "ocr/monospace-dates-photo.jpg"
        let once = try Recognition.firstPage(path) { $0.steps.numberLines = nil }
        let twice = try Recognition.firstPage(path)
        #expect(!once.text.contains("14.01.25"), "\(once.text)")
        #expect(twice.text.contains("arbeitsunfähig seit festgestellt am\n\n12.01.25 12.01.25\n"), "\(twice.text)")
        #expect(twice.text.contains("voraussichtlich arbeitsunfähig bis einschließlich\n14.01.25\n"), "\(twice.text)")
        let date = try #require(twice.words.first { $0.text == "14.01.25" })
        #expect(date.confidence >= ReadNumberLines().accepted)
        // Lines of words read as before.
        let words = { (text: String) in text.split(separator: "\n").filter { $0.filter(\.isNumber).count < 6 } }
        #expect(words(once.text) == words(twice.text))
    }

    @Test("On a scanned sick note two dates of neighbouring cells read as \"20.0225 ZONE\" and one as \"2m) 2425\" are read as dates")
    func scannedDates() throws {
        let path = "ocr/monospace-dates-scan.pdf"
        let once = try Recognition.firstPage(path) { $0.steps.numberLines = nil }
        let twice = try Recognition.firstPage(path)
        #expect(!once.text.contains("20.01.25 20.01.25"), "\(once.text)")
        #expect(twice.text.contains("20.01.25 20.01.25"), "\(twice.text)")
        #expect(twice.text.contains("voraussichtlich arbeitsunfähig bis einschließlich\n02.02.25"), "\(twice.text)")
    }

    @Test("Only short lines that are mostly figures are read again, the least sure first")
    func candidates() {
        var page = PageWords(text: "", words: [], placed: [])
        func line(_ texts: [String], _ confidence: Float) {
            let number = (page.placed.last?.line ?? -1) + 1
            for (k, text) in texts.enumerated() {
                page.words.append(RecognizedWord(text: text, confidence: confidence, x: k * 100, y: number * 40, width: 90, height: 30))
                page.placed.append(GlyphRepair.Word(text: text, box: (k * 100, number * 40, 90, 30), line: number, baseline: nil))
            }
        }
        line(["1220", "7225"], 73)  // 0..<2: a date read with digits for its full stops
        line(["Miete", "monatlich", "512,00"], 40)  // 2..<5: words
        line(["Versicherten-Nr.", "A371726629"], 60)  // 5..<7: a label beside a number: fewer than 60 % digits
        line(["12.01.25"], 95)  // 7..<8: a sure date
        line(["1", "2", "3", "4", "5", "6"], 30)  // 8..<14: too many words
        let ranges = ReadNumberLines().candidates(page)
        #expect(ranges == [0..<2, 7..<8])
        var fewer = ReadNumberLines()
        fewer.maximumPerPage = 1
        #expect(fewer.candidates(page) == [0..<2])
    }
}

import Foundation
import Imaging
@testable import OCR
import PosteingangTestKit
import Testing

/// A letter's information block ("Datum: …") beside the address field is written after the
/// address instead of interleaved with it (`ReadingOrder`): on real fixture pages through the real
/// engine, and on word boxes laid out by hand for the cases it must leave alone.
@Suite(.tags(.ocr, .process), .slow)
struct ReadingOrderTests {
    /// Reads page 1 of a fixture with the reordering on or off.
    static func read(_ fixture: String, reorder: Bool) throws -> String {
        try Recognition.firstPage(fixture) { $0.steps.sideBlocks = reorder ? SideBlocksAfterAddress() : nil }.text
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    @Test("A photographed letter: the address stays whole, the information block follows it")
    func photographedLetter() throws {
        let text = try Self.read("photo/sonstiges_05.jpg", reorder: true)
        let plain = try Self.read("photo/sonstiges_05.jpg", reorder: false)
        let lines = Self.lines(text)
        // Without it, Tesseract's single column runs across: "Frau Claudia Neumann Datum: 03.04.2025".
        #expect(Self.lines(plain).contains { $0.hasPrefix("Frau Claudia Neumann") && $0.contains("Datum:") }, "\(plain)")
        guard let name = lines.firstIndex(of: "Frau Claudia Neumann") else {
            Issue.record("no line with the name alone: \(text)")
            return
        }
        #expect(Array(lines[name...].prefix(5)) == [
            "Frau Claudia Neumann", "Marktstraße 14", "46045 Oberhausen", "Ausweis-Nr.: 56168511", "Datum: 03.04.2025",
        ], "\(text)")
        // Only the order changed: the same words.
        #expect(text.split(whereSeparator: \.isWhitespace).sorted() == plain.split(whereSeparator: \.isWhitespace).sorted())
    }

    @Test("A scanned notice: the whole address first, then the block's entries, each on its own line")
    func scannedNotice() throws {
        let lines = Self.lines(try Self.read("scan/kindergeldbescheid_03.tif", reorder: true))
        guard let block = lines.firstIndex(where: { $0.hasPrefix("Kindergeldnummer:") }), block + 2 < lines.count,
              let town = lines.firstIndex(of: "45326 Essen")
        else {
            Issue.record("no block line or town line alone: \(lines)")
            return
        }
        #expect(town < block, "\(lines)")
        #expect(lines[block + 1].hasPrefix("Datum:") && lines[block + 2].hasPrefix("Telefon:"), "\(lines)")
        // No address line carries an entry of the block any more.
        #expect(!lines.contains { !$0.hasPrefix("Datum") && $0.contains("Datum:") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("Frau ") || $0 == "Frau" }, "\(lines)")
    }

    @Test("A real bank statement (Postbank, page 1 rendered at 300 dpi): the address stands together")
    func realStatement() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posteingang-order-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try ChildProcess(
            "pdftoppm",
            ["-f", "1", "-l", "1", "-r", "300", "-gray", "-png",
             TestKit.fixture("real/postbank_kontoauszug_2020-01.pdf").path, folder.appendingPathComponent("page").path],
            package: "poppler-utils"
        ).run().check("pdftoppm")
        let image = try PageImage.read(contentsOf: folder.appendingPathComponent("page-1.png"))
        func lines(reorder: Bool) throws -> [String] {
            let engine = try TesseractEngine()
            engine.steps.sideBlocks = reorder ? SideBlocksAfterAddress() : nil
            let (prepared, report) = try PagePreparer().prepare(image, orientationCheck: engine.orientation(of:))
            return Self.lines(try engine.recognize(prepared, resolution: report.resolution).text)
        }
        let plain = try lines(reorder: false), ordered = try lines(reorder: true)
        // Tesseract alone: "53113 Bonn E-Mail: direkt@postbank.de".
        #expect(plain.contains { $0.contains("53113 Bonn") && $0.contains("E-Mail") }, "\(plain)")
        guard let street = ordered.firstIndex(of: "Friedrich-Ebert-Allee 114"), street + 2 < ordered.count else {
            Issue.record("no street line alone: \(ordered)")
            return
        }
        #expect(ordered[street + 1] == "53113 Bonn", "\(ordered)")
        #expect(ordered[street + 2].hasPrefix("Erreichbarkeit:"), "\(ordered)")
        #expect(!ordered.contains { $0.contains("Bonn") && $0.contains("E-Mail") }, "\(ordered)")
    }

    // Word boxes on a 2480 × 3508 page (A4 at 300 dpi), 40 px text.
    static func word(_ text: String, line: Int, x: Int, y: Int) -> ReadingOrder.Word {
        ReadingOrder.Word(text: text, box: (x, y, text.count * 22, 40), line: line, baseline: nil)
    }

    /// Lines of (x, words…) at 60 px pitch; the text Tesseract would write for them.
    static func page(_ rows: [(x: [Int], words: [[String]])], top: Int = 600) -> (String, [ReadingOrder.Word]) {
        var words: [ReadingOrder.Word] = []
        var text: [String] = []
        for (index, row) in rows.enumerated() {
            var line: [String] = []
            for (part, start) in zip(row.words, row.x) {
                var x = start
                for token in part {
                    words.append(word(token, line: index, x: x, y: top + 60 * index))
                    x += token.count * 22 + 14
                    line.append(token)
                }
            }
            text.append(line.joined(separator: " "))
        }
        return (text.joined(separator: "\n"), words)
    }

    @Test("Address and block laid out by hand: moved; the lines after the block keep their place")
    func handMadeLetter() throws {
        let (text, words) = Self.page([
            ([250, 1500], [["Frau"], ["Aktenzeichen:", "123-45"]]),
            ([250, 1500], [["Anna", "Schmidt"], ["Datum:", "01.02.2025"]]),
            ([250], [["Hauptstraße", "1"]]),
            ([250], [["45127", "Essen"]]),
        ])
        // The salutation, a paragraph below: not part of the address.
        var x = 250
        let salutation = ["Sehr", "geehrte", "Frau", "Schmidt,"].map { token in
            defer { x += token.count * 22 + 14 }
            return Self.word(token, line: 4, x: x, y: 600 + 60 * 4 + 200)
        }
        let moved = try #require(ReadingOrder.separatingSideBlocks(
            text: text + "\n\nSehr geehrte Frau Schmidt,", words: words + salutation, pageWidth: 2480, pageHeight: 3508))
        #expect(Self.lines(moved) == [
            "Frau", "Anna Schmidt", "Hauptstraße 1", "45127 Essen", "Aktenzeichen: 123-45", "Datum: 01.02.2025",
            "Sehr geehrte Frau Schmidt,",
        ])
    }

    @Test("The block's heading and a stray mark in the address margin do not stop the block")
    func headingAndStrayMark() throws {
        let (text, words) = Self.page([
            ([250, 1500], [["Frau"], ["Kundenservice", "Nord:"]]),
            ([420, 1500], [["·"], ["Telefon:", "0800", "123"]]),
            ([250, 1500], [["Anna", "Schmidt"], ["Telefax:", "0800", "124"]]),
            ([250, 1500], [["Hauptstraße", "1"], ["E-Mail:", "info@example.de"]]),
        ])
        let moved = try #require(ReadingOrder.separatingSideBlocks(text: text, words: words, pageWidth: 2480, pageHeight: 3508))
        #expect(Self.lines(moved) == [
            "Frau", "·", "Anna Schmidt", "Hauptstraße 1",
            "Kundenservice Nord:", "Telefon: 0800 123", "Telefax: 0800 124", "E-Mail: info@example.de",
        ])
    }

    @Test("A form's labels with their values across a wide gap stay on their lines")
    func formRowsStay() {
        // "Kaltmiete:   450,00 EUR": the left part ends in a colon, the right is its value.
        let (form, formWords) = Self.page([
            ([250, 1500], [["Kaltmiete:"], ["450,00", "EUR"]]),
            ([250, 1500], [["Nebenkosten:"], ["120,00", "EUR"]]),
        ])
        #expect(ReadingOrder.separatingSideBlocks(text: form, words: formWords, pageWidth: 2480, pageHeight: 3508) == nil)
        // A table row: the right part is a figure, not a label.
        let (table, tableWords) = Self.page([
            ([250, 1500], [["Grundmiete"], ["450,00", "EUR"]]),
            ([250, 1500], [["Heizung", "Wasser"], ["Summe:", "120,00"]]),
        ])
        #expect(ReadingOrder.separatingSideBlocks(text: table, words: tableWords, pageWidth: 2480, pageHeight: 3508) == nil)
        // One line across the gap is not a block.
        let (single, singleWords) = Self.page([([250, 1500], [["Anna", "Schmidt"], ["Datum:", "01.02.2025"]]), ([250], [["Essen"]])])
        #expect(ReadingOrder.separatingSideBlocks(text: single, words: singleWords, pageWidth: 2480, pageHeight: 3508) == nil)
        // In the lower half of the page (a signature block, a footer) nothing moves.
        let (low, lowWords) = Self.page([
            ([250, 1500], [["Frau"], ["Aktenzeichen:", "123-45"]]),
            ([250, 1500], [["Anna", "Schmidt"], ["Datum:", "01.02.2025"]]),
        ], top: 2500)
        #expect(ReadingOrder.separatingSideBlocks(text: low, words: lowWords, pageWidth: 2480, pageHeight: 3508) == nil)
    }

    @Test("Words that do not match the text line by line leave the text as it is")
    func mismatchLeavesText() {
        let (text, words) = Self.page([
            ([250, 1500], [["Frau"], ["Aktenzeichen:", "123-45"]]),
            ([250, 1500], [["Anna", "Schmidt"], ["Datum:", "01.02.2025"]]),
        ])
        #expect(ReadingOrder.separatingSideBlocks(text: text.replacingOccurrences(of: "Anna", with: "Anne"), words: words, pageWidth: 2480, pageHeight: 3508) == nil)
        #expect(ReadingOrder.separatingSideBlocks(text: text + "\nEssen", words: words, pageWidth: 2480, pageHeight: 3508) == nil)
        #expect(ReadingOrder.separatingSideBlocks(text: text, words: words, pageWidth: 2480, pageHeight: 3508) != nil)
    }
}

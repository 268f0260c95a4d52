import Foundation
import Imaging
@testable import OCR
import PosteingangTestKit
import Testing

/// The middle dot and the en dash, which the German model cannot write, read back from their
/// ink (`GlyphRepair`): on real fixture pages through the real engine, with the repair on and off.
@Suite(.tags(.ocr), .slow)
struct GlyphRepairTests {
    /// Reads page 1 of a fixture (decode, prepare, OCR) with the glyph repair on or off.
    static func read(_ fixture: String, repair: Bool) throws -> String {
        try Recognition.firstPage(fixture) { $0.steps.repairGlyphs = repair ? RepairGlyphs() : nil }.text
    }

    @Test("A photographed letterhead's middle dots come back as · (the model alone writes - or :)")
    func middleDotsOnAPhoto() throws {
        let repaired = try Self.read("photo/betriebskostenabrechnung_03.jpg", repair: true)
        let plain = try Self.read("photo/betriebskostenabrechnung_03.jpg", repair: false)
        #expect(repaired.contains("Neumarkt 10 · 42103 Wuppertal"), "\(repaired)")
        #expect(repaired.contains("Amtsgericht Wuppertal HRB 5521 · Geschäftsführung"), "\(repaired)")
        // Without the repair the engine cannot write the character at all.
        #expect(!plain.contains("·"))
        // Nothing else changes: the texts differ only where a dot was read back.
        #expect(repaired.replacingOccurrences(of: "·", with: "").split(whereSeparator: \.isWhitespace).count
            <= plain.split(whereSeparator: \.isWhitespace).count)
    }

    @Test("En dashes are told from hyphens by their length; hyphens inside words stay")
    func dashes() throws {
        // DejaVu Sans on a photographed contract: "– nachfolgend „Arbeitgeber“ genannt –".
        let text = try Self.read("photo/arbeitsvertrag_03.jpg", repair: true)
        #expect(text.contains("– nachfolgend „Arbeitgeber“ genannt –"), "\(text)")
        #expect(!text.contains("- nachfolgend"))
        // Liberation/Nimbus-like sans on a scanned form; the model alone writes an em dash here.
        let scan = try Self.read("scan/mietbescheinigung_03.tif", repair: true)
        #expect(scan.contains("Mietbescheinigung – vom Vermieter auszufüllen"), "\(scan)")
        #expect(scan.contains("Steinstraße 39 · 44135 Dortmund"), "\(scan)")
    }

    @Test("Only stand-alone punctuation is looked at")
    func candidates() {
        for token in ["-", "—", ":", "»", ":-", " -", "·", "."] { #expect(GlyphRepair.isCandidate(token), "\(token)") }
        for token in ["Rhein-Wupper", "10", "a", "-5", "----", "", "|", "€"] { #expect(!GlyphRepair.isCandidate(token), "\(token)") }
    }

    @Test("The page text is rewritten token by token, and left alone when the words do not line up")
    func applying() {
        func word(_ text: String) -> GlyphRepair.Word { GlyphRepair.Word(text: text, box: (0, 0, 1, 1), line: 0, baseline: nil) }
        let words = ["Neumarkt", "10", "-", "42103", " *", "Essen"].map(word)
        let text = "Neumarkt 10 - 42103\n* Essen\n\n"
        let decisions = [GlyphRepair.Decision(index: 2, from: "-", to: "·")]
        #expect(GlyphRepair.apply(decisions, to: text, words: words) == "Neumarkt 10 · 42103\n* Essen\n\n")
        #expect(GlyphRepair.apply(decisions, to: "Neumarkt 11 - 42103 * Essen", words: words) == nil)
        #expect(GlyphRepair.apply([], to: text, words: words) == text)
    }
}

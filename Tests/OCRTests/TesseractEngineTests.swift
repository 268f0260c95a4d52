import Foundation
import Imaging
import OCR
import PosteingangTestKit
import Testing

/// Tesseract on a real scan: words, confidences, errors and the searchable PDF.
@Suite(.tags(.ocr), .slow)
struct TesseractEngineTests {
    @Test("Tesseract reads a scan with words, boxes and confidences; engines in a pool work in parallel")
    func recognitionInPool() async throws {
        let pool = try EnginePool(size: 2)
        defer { pool.shutdown() }
        let page = try Recognition.scanPage()
        let (prepared, report) = try PagePreparer().prepare(page)
        async let first = pool.run { engine in try engine.recognize(prepared, resolution: report.resolution) }
        async let second = pool.run { engine in try engine.recognize(prepared, resolution: report.resolution) }
        let (a, b) = try await (first, second)
        #expect(a.text == b.text)
        #expect(a.text.contains("Mietvertrag"))
        #expect(a.meanConfidence > 70)
        #expect(a.words.count > 50)
        #expect(a.words.allSatisfy { $0.width > 0 && $0.height > 0 })
    }

    @Test("A missing language model is a clear error, not a crash")
    func missingLanguage() {
        #expect(throws: OCRError.self) { try TesseractEngine(language: "xyz") }
    }

    @Test("The searchable PDF of a page carries the page and its text")
    func searchablePDF() throws {
        let engine = try TesseractEngine()
        let (prepared, report) = try PagePreparer().prepare(try Recognition.scanPage())
        _ = try engine.recognize(prepared, resolution: report.resolution)
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID().uuidString.prefix(6))").path
        let pdf = try SearchablePDF(outputBase: base, engine: engine, title: "test")
        try pdf.addLastRecognisedPage(of: engine)
        let url = try pdf.finish()
        defer { try? FileManager.default.removeItem(at: url) }
        let text = try DocumentDecoder().decode(fileAt: url)
        guard case .text(let layer) = text.pages[0].content else {
            Issue.record("the archive PDF should have a text layer")
            return
        }
        #expect(layer.contains("Mietvertrag"))
    }
}

import Foundation
import Imaging
import OCR
import Testing

/// Page preparation and OCR on real images with known answers.
struct PreparationTests {
    static func scanPage() throws -> PageImage {
        let document = try DocumentDecoder().decode(fileAt: Fixtures.url("scan/mietvertrag_05.png"))
        guard case .image(let image) = document.pages[0].content else { throw CocoaError(.fileReadCorruptFile) }
        return image
    }

    @Test("A page turned by 0, 90, 180 or 270 degrees is turned back upright", arguments: [0, 90, 180, 270])
    func uprightFromAnyQuarterTurn(turn: Int) throws {
        let turned = try Self.scanPage().rotated(clockwiseDegrees: turn)
        let (_, report) = try PagePreparer().prepare(turned)
        #expect((report.rotation + turn) % 360 == 0, "turned \(turn)°, preparation applied \(report.rotation)°")
    }

    @Test("A photo's sheet is found against the table, warped flat, and text is scaled to the target height")
    func photoSheetAndScale() throws {
        let document = try DocumentDecoder().decode(fileAt: Fixtures.url("photo/kontoauszug_04.jpg"))
        guard case .image(let image) = document.pages[0].content else { Issue.record("no image"); return }
        let preparer = PagePreparer()
        let (prepared, report) = try preparer.prepare(image)
        let corners = try #require(report.pageCorners, "the sheet's corners should be found")
        #expect(corners.allSatisfy { $0[0] > 0 && $0[0] < Double(image.width) && $0[1] > 0 && $0[1] < Double(image.height) })
        let flat = try #require(report.flatSize)
        #expect(flat[0] < image.width && flat[1] < image.height)
        #expect(report.textHeight > 4)
        #expect(abs(report.textHeight * report.scale - preparer.targetTextHeight) < 4)
        #expect(prepared.depth == 8)
    }

    @Test("A clean scan keeps its geometry: no crop, small scale change")
    func scanNotCropped() throws {
        let (_, report) = try PagePreparer().prepare(try Self.scanPage())
        #expect(report.pageRegion == nil)
        #expect(abs(report.skewDegrees) < 3)
    }

    @Test("The QR code on a cover sheet is read")
    func barcode() throws {
        let document = try DocumentDecoder().decode(fileAt: Fixtures.url("photo/kindergeldbescheid_04.jpg"))
        guard case .image(let image) = document.pages[0].content else { Issue.record("no image"); return }
        let (prepared, _) = try PagePreparer().prepare(image)
        let codes = try BarcodeReader().read(prepared)
        #expect(codes.contains { $0.contains("96305BG0010044") }, "found: \(codes)")
    }

    @Test("Tesseract reads a scan with words, boxes and confidences; engines in a pool work in parallel")
    func recognitionInPool() async throws {
        let pool = try EnginePool(size: 2)
        defer { pool.shutdown() }
        let page = try Self.scanPage()
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
        let (prepared, report) = try PagePreparer().prepare(try Self.scanPage())
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

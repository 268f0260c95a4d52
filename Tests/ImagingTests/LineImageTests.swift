import Foundation
import Imaging
@testable import OCR
import Testing

/// Tesseract's line images written without zlib (CLineImages): the interposed pixWriteMem is
/// the one libtesseract calls, and the page reads the same with it and without it.
struct LineImageTests {
    static func read(_ fixture: String, fast: Bool) throws -> (text: String, fastWrites: Int) {
        let engine = try TesseractEngine()
        engine.fastLineImages = fast
        let document = try DocumentDecoder().decode(fileAt: Fixtures.url(fixture))
        guard case .image(let image) = document.pages[0].content else { throw CocoaError(.fileReadCorruptFile) }
        let (prepared, report) = try PagePreparer().prepare(image, orientationCheck: engine.uprightTurn(of:))
        let before = TesseractEngine.fastLineImagesOnThisThread
        let text = try engine.recognize(prepared, resolution: report.resolution).text
        return (text, TesseractEngine.fastLineImagesOnThisThread - before)
    }

    @Test("libtesseract's line images go through the uncompressed path, and the text stays the same")
    func sameTextFewerBytes() throws {
        let fast = try Self.read("photo/kontoauszug_04.jpg", fast: true)
        let plain = try Self.read("photo/kontoauszug_04.jpg", fast: false)
        // One image per text line at least: the call from libtesseract reached our pixWriteMem.
        #expect(fast.fastWrites >= 20, "line images written uncompressed: \(fast.fastWrites)")
        #expect(plain.fastWrites == 0)
        #expect(fast.text == plain.text)
        #expect(fast.text.contains("Kontoauszug"), "\(fast.text)")
    }

    @Test("PNG written outside recognition is still compressed and reads back")
    func ownPNGUnchanged() throws {
        let document = try DocumentDecoder().decode(fileAt: Fixtures.url("photo/kontoauszug_04.jpg"))
        guard case .image(let image) = document.pages[0].content else { throw CocoaError(.fileReadCorruptFile) }
        let before = TesseractEngine.fastLineImagesOnThisThread
        let png = try image.pngData()
        #expect(TesseractEngine.fastLineImagesOnThisThread == before)
        // A photo compresses: far below the raw size of its pixels.
        #expect(png.count < image.width * image.height / 2, "\(png.count) bytes")
    }
}

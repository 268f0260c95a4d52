import Foundation
import Imaging
@testable import OCR
import PosteingangTestKit
import Testing

/// Faster roads for Leptonica calls made inside Tesseract (CTesseractSpeedups): the interposed
/// functions are the ones libtesseract calls, and a page reads the same with them and without.
@Suite(.tags(.ocr), .slow)
struct TesseractSpeedupTests {
    struct Reading { var text: String; var lineImages: Int; var dwaMorphology: Int }

    static func read(_ fixture: String, fast: Bool) throws -> Reading {
        let engine = try TesseractEngine()
        engine.steps.recognize.fastLineImages = fast
        engine.steps.recognize.fastMorphology = fast
        let document = try DocumentDecoder().decode(fileAt: TestKit.fixture(fixture))
        guard case .image(let image) = document.pages[0].content else { throw CocoaError(.fileReadCorruptFile) }
        let (prepared, report) = try PagePreparer().prepare(image, orientationCheck: engine.orientation(of:))
        let lines = TesseractEngine.fastLineImagesOnThisThread, morphology = TesseractEngine.dwaMorphologyOnThisThread
        let text = try engine.recognize(prepared, resolution: report.resolution).text
        return Reading(text: text, lineImages: TesseractEngine.fastLineImagesOnThisThread - lines,
                       dwaMorphology: TesseractEngine.dwaMorphologyOnThisThread - morphology)
    }

    @Test("libtesseract's calls reach the faster roads, and the text stays the same", arguments: [
        "photo/kontoauszug_04.jpg",  // a photo
        "scan/mietbescheinigung_03.tif",  // a scanned form full of frames and rules
    ])
    func sameText(fixture: String) throws {
        let fast = try Self.read(fixture, fast: true)
        let plain = try Self.read(fixture, fast: false)
        // One line image per text line at least went through our pixWriteMem, and the rule
        // finder's openings and closings through our pixOpenBrick/pixCloseBrick.
        #expect(fast.lineImages >= 20, "line images written uncompressed: \(fast.lineImages)")
        #expect(fast.dwaMorphology >= 3, "brick operations in DWA code: \(fast.dwaMorphology)")
        #expect(plain.lineImages == 0 && plain.dwaMorphology == 0)
        #expect(fast.text == plain.text)
        #expect(fast.text.count > 500, "\(fast.text)")
    }

    @Test("Outside recognition Leptonica works as always: PNG compressed, no DWA")
    func outsideRecognition() throws {
        let document = try DocumentDecoder().decode(fileAt: TestKit.fixture("photo/kontoauszug_04.jpg"))
        guard case .image(let image) = document.pages[0].content else { throw CocoaError(.fileReadCorruptFile) }
        let lines = TesseractEngine.fastLineImagesOnThisThread, morphology = TesseractEngine.dwaMorphologyOnThisThread
        let png = try image.pngData()
        _ = RuleEraser().erased(image)
        #expect(TesseractEngine.fastLineImagesOnThisThread == lines)
        #expect(TesseractEngine.dwaMorphologyOnThisThread == morphology)
        // A photo compresses: far below the raw size of its pixels.
        #expect(png.count < image.width * image.height / 2, "\(png.count) bytes")
    }

    @Test("Tesseract given our Otsu binary image reads exactly what it reads thresholding itself", arguments: [
        "photo/kontoauszug_04.jpg", "photo/sonstiges_05.jpg", "scan/mietbescheinigung_03.tif",
    ])
    func ownBinarySameText(fixture: String) throws {
        func read(own: Bool) throws -> PageRecognition {
            try Recognition.firstPage(fixture) { $0.steps.ownBinary = own ? OwnBinary() : nil }
        }
        // The page does get a binary image of ours (else both readings would be Tesseract's own).
        let document = try DocumentDecoder().decode(fileAt: TestKit.fixture(fixture))
        guard case .image(let image) = document.pages[0].content else { throw CocoaError(.fileReadCorruptFile) }
        let (prepared, _) = try PagePreparer().prepare(image)
        #expect(OtsuBinary.of(prepared) != nil)
        let own = try read(own: true), plain = try read(own: false)
        #expect(own.text == plain.text)
        #expect(own.words == plain.words)
        #expect(own.text.count > 300, "\(own.text)")
    }
}

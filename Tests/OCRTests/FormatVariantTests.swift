import CLeptonica
import Foundation
@testable import Imaging
import OCR
import Pipeline
import PosteingangTestKit
import Testing

/// The HEIC, PNG, TIFF, PDF and WebP files phones, scanner apps and office scanners
/// write are read, the page the same whatever the variant (fixtures/formats/{heic,png,tiff,pdf,webp},
/// made by tools/fixtures/format_variants.py). Each is decoded and OCRed and its text compared
/// with the lossless reference's (png/reference.png).
@Suite(.serialized, .tags(.ocr, .process), .slow)
struct FormatVariantTests {
    static let folder = "formats/"
    /// Most character error against the reference's text: lossy, bilevel and 10-bit variants
    /// read a letter or two differently, a wrongly read variant far more.
    static let maxCER = 0.02

    static let reference: Result<String, any Error> = Result { try Recognition.firstPage(folder + "png/reference.png").text }

    @Test("The reference (lossless RGB PNG, 200 dpi, tinted) reads as well as its 300 dpi source scan")
    func referenceReads() throws {
        let truth = try TestKit.truthText("scan/kuendigung_03.png")
        let cer = TextMetrics.characterErrorRate(truth: truth, read: try Self.reference.get())
        let source = TextMetrics.characterErrorRate(truth: truth, read: try Recognition.firstPage("scan/kuendigung_03.png").text)
        #expect(cer <= source + 0.01, "reference CER against the truth \(cer), the scan's \(source)")
    }

    @Test("Each variant decodes to the page and OCRs to the reference's text", arguments: [
        "heic/plain.heic", "heic/grid.heic", "heic/10bit.heic", "heic/thumbnail.heic", "heic/alpha.heic", "heic/transparent.heic", "heic/secondary.heic",
        "png/alpha.png", "png/grey-alpha.png", "png/16bit-grey.png", "png/16bit-rgb.png", "png/palette.png",
        "png/palette-trns.png", "png/bilevel.png", "png/interlaced.png",
        "tiff/jpeg.tiff", "tiff/lzw.tiff", "tiff/deflate.tiff", "tiff/g4.tiff", "tiff/packbits.tiff", "tiff/16bit-grey.tiff",
        "pdf/jpeg.pdf", "pdf/jbig2.pdf", "pdf/jpx.pdf", "pdf/ccitt.pdf", "pdf/flate.pdf",
        "pdf/rotate-90.pdf", "pdf/rotate-180.pdf", "pdf/rotate-270.pdf",
        "webp/lossless.webp", "webp/lossless-alpha.webp",
    ])
    func variantReadsLikeReference(name: String) throws {
        let document = try DocumentDecoder().decode(fileAt: TestKit.fixture(Self.folder + name))
        #expect(document.pages.count == 1, "\(name): \(document.pages.count) pages")
        #expect(document.pages[0].reviewReasons.isEmpty, "\(name): \(document.pages[0].reviewReasons)")
        guard case .image(let image) = document.pages[0].content else { Issue.record("\(name): no image"); return }
        // PDFs are rendered at 300 dpi, the rest kept at the file's 200 dpi.
        let (w, h) = name.hasPrefix("pdf/") ? (2480, 3509) : (1653, 2339)
        #expect(abs(image.width - w) <= 2 && abs(image.height - h) <= 2, "\(name): \(image.width)x\(image.height), expected \(w)x\(h)")
        let paper = Self.meanGrey(image)
        #expect(paper > 200, "\(name): mean grey \(paper): the paper is not white (transparency flattened onto black?)")
        let text = try Recognition.firstPage(Self.folder + name).text
        let cer = TextMetrics.characterErrorRate(truth: try Self.reference.get(), read: text)
        print("format variant \(name): CER against the reference \(String(format: "%.4f", cer)); mean grey \(Int(paper)); notes: \(document.pages[0].notes)")
        #expect(cer <= Self.maxCER, "\(name): CER against the reference's text \(cer)")
    }

    @Test("A multi-page TIFF of mixed sizes and compressions gives each page in its own size, all readable")
    func multipageTIFF() throws {
        let name = "tiff/multipage.tiff"
        let document = try DocumentDecoder().decode(fileAt: TestKit.fixture(Self.folder + name))
        try #require(document.pages.count == 3, "\(document.pages.count) pages")
        let sizes = document.pages.map { page -> String in
            guard case .image(let image) = page.content else { return "text" }
            return "\(image.width)x\(image.height)@\(image.resolution)"
        }
        #expect(sizes == ["1653x2339@200", "1240x877@150", "826x1169@100"], "\(sizes)")
        let engine = try TesseractEngine()
        let reference = try Self.reference.get()
        for page in document.pages {
            guard case .image(let image) = page.content else { continue }
            let (prepared, report) = try PagePreparer().prepare(image, orientationCheck: engine.orientation(of:))
            let text = try engine.recognize(prepared, resolution: report.resolution).text
            // The half page holds only the top half's words; every word it reads is the reference's.
            let precision = TextMetrics.wordRecall(truth: text, read: reference)
            let share = TextMetrics.wordRecall(truth: reference, read: text)
            print("format variant \(name) page \(page.number): words also in the reference \(precision), share of the reference's words \(share)")
            #expect(precision >= 0.9, "page \(page.number): \(precision)")
            #expect(share >= (page.number == 2 ? 0.3 : 0.85), "page \(page.number): \(share)")
        }
    }

    @Test("The isolated decoder gives the same pages as decoding in-process", arguments: [
        "heic/grid.heic", "heic/10bit.heic", "heic/transparent.heic", "png/alpha.png", "png/16bit-rgb.png", "webp/lossless-alpha.webp",
    ])
    func isolatedSame(name: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posteingang-iso-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("posteingang-decode").path
        try #require(FileManager.default.isExecutableFile(atPath: executable))
        let url = TestKit.fixture(Self.folder + name)
        let isolated = try DocumentDecoder(isolation: DecoderIsolation(executable: executable, workDirectory: folder)).decode(fileAt: url)
        let local = try DocumentDecoder().decode(fileAt: url)
        guard case .image(let a) = isolated.pages[0].content, case .image(let b) = local.pages[0].content else {
            Issue.record("\(name): no image"); return
        }
        #expect(a.width == b.width && a.height == b.height, "\(name)")
        #expect(abs(Self.meanGrey(a) - Self.meanGrey(b)) < 1, "\(name): isolated \(Self.meanGrey(a)), in-process \(Self.meanGrey(b))")
    }

    /// Mean grey value 0...255 of a page (its 8-bit grey version).
    static func meanGrey(_ image: PageImage) -> Double {
        guard let grey = Leptonica.gray8(image.pix) else { return -1 }
        defer { Leptonica.destroy(grey) }
        var value: Float = 0
        pixGetAverageMasked(grey, nil, 0, 0, 4, Int32(L_MEAN_ABSVAL), &value)
        return Double(value)
    }
}

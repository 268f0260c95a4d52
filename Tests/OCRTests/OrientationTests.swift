import CLeptonica
import Foundation
@testable import Imaging
import OCR
import Pipeline
import PosteingangTestKit
import Testing

/// Pages still upside down or sideways after EXIF: real fixture photos, EXIF applied by the
/// decoder, then turned by a known quarter turn with no EXIF left to tell. Leptonica's cheap
/// text-line test decides where it is sure; Tesseract's OSD where it is not.
@Suite(.tags(.ocr), .slow)
struct OrientationTests {
    static func photo(_ name: String) throws -> PageImage {
        let document = try DocumentDecoder().decode(fileAt: TestKit.fixture("photo/\(name)"))
        guard case .image(let image) = document.pages[0].content else { throw CocoaError(.fileReadCorruptFile) }
        return image
    }

    @Test("A photo turned by 0, 90, 180 or 270 degrees without EXIF is turned back upright",
          arguments: ["kontoauszug_04.jpg", "mietvertrag_03.jpg", "au_bescheinigung_04.jpg", "mietbescheinigung_04.png"],
          [0, 90, 180, 270])
    func photoUprightFromAnyQuarterTurn(name: String, turn: Int) throws {
        let engine = try TesseractEngine()
        let turned = try Self.photo(name).rotated(clockwiseDegrees: turn)
        let (_, report) = try PagePreparer().prepare(turned, orientationCheck: engine.orientation(of:))
        #expect((report.rotation + turn) % 360 == 0,
                "\(name) turned \(turn)°: preparation turned it \(report.rotation)° (found by \(report.orientationFoundBy ?? "-"))")
        #expect(report.orientationFoundBy != "unsure")
    }

    @Test("Where the half-size text-line test is unsure, the full-size one decides; OSD is not asked",
          arguments: [0, 90])
    func fullSizeDecidesWhereHalfSizeIsUnsure(turn: Int) throws {
        let turned = try Self.photo("mietbescheinigung_04.png").rotated(clockwiseDegrees: turn)
        var asked = 0
        let (prepared, report) = try PagePreparer().prepare(turned) { _ in asked += 1; return nil }
        #expect((report.rotation + turn) % 360 == 0, "turned \(turn)°, preparation turned it \(report.rotation)°")
        #expect(asked == 0)
        #expect(report.orientationFoundBy == "text lines")
        if turn == 0 {
            // This page is one the half-size test alone cannot decide.
            let binary = try #require(BinaryCopies(of: prepared))
            var up: Float = 0, left: Float = 0, orientation: Int32 = 0
            _ = pixOrientDetect(binary.half.pix, &up, &left, 0, 0)
            _ = makeOrientDecision(up, left, 0, 0, &orientation, 0)
            #expect(Int(orientation) == L_TEXT_ORIENT_UNKNOWN, "half size: up \(up), left \(left)")
        }
    }

    @Test("The second opinion is asked only where the text-line test is unsure; unsure twice leaves the page alone")
    func secondOpinionOnlyWhereUnsure() throws {
        let engine = try TesseractEngine()
        var asked = 0
        let (_, upright) = try PagePreparer().prepare(try Recognition.scanPage()) { page in
            asked += 1
            return engine.orientation(of: page)
        }
        #expect(asked == 0)
        #expect(upright.orientationFoundBy == "text lines")
        #expect((upright.orientationConfidence ?? 0) > 5)
        // A blank sheet: no text for either test.
        guard let blank = pixCreate(2480, 3508, 8) else { Issue.record("no pix"); return }
        pixSetAllArbitrary(blank, 250)
        let (_, empty) = try PagePreparer().prepare(PageImage.adopting(blank)) { page in
            asked += 1
            return engine.orientation(of: page)
        }
        #expect(asked == 1)
        #expect(empty.orientationFoundBy == "unsure")
        #expect(empty.rotation == 0)
    }

    @Test("OSD names the turn of an upright and of a sideways page")
    func osdTurns() throws {
        let engine = try TesseractEngine()
        let (upright, _) = try PagePreparer().prepare(try Recognition.scanPage())
        #expect(engine.uprightTurn(of: upright) == 0)
        #expect(engine.uprightTurn(of: try upright.rotated(clockwiseDegrees: 90)) == 270)
        #expect(engine.uprightTurn(of: try upright.rotated(clockwiseDegrees: 270)) == 90)
    }

    @Test("OSD naming the opposite of a clear text-line lean on the same axis is overruled (an ID card read upside down before)")
    func osdAgainstALean() throws {
        // At text height 28 the ID card photo's text-line test leans upright but below
        // Leptonica's bar; OSD, asked then, says 180°. Its upright text must stay upright,
        // and turned upside down it must come back.
        let engine = try TesseractEngine()
        for turn in [0, 180] {
            let image = try Self.photo("ausweis_02.jpg").rotated(clockwiseDegrees: turn)
            let (prepared, report) = try PagePreparer(targetTextHeight: 28).prepare(image, orientationCheck: engine.orientation(of:))
            #expect((report.rotation + turn) % 360 == 0, "turned \(turn)°: preparation turned it \(report.rotation)° (\(report.orientationFoundBy ?? "-"))")
            if turn == 0 {
                #expect(report.orientationFoundBy?.contains("with little confidence") == true, "\(report.orientationFoundBy ?? "-")")
                let text = try engine.recognize(prepared, resolution: report.resolution).text
                #expect(text.contains("BUNDESREPUBLIK DEUTSCHLAND"), "\(text.prefix(300))")
            }
        }
    }

    @Test("OSD is overruled only by a clear text-line score for the opposite way on its own axis")
    func overruling() {
        #expect(PagePreparer.overrule(osd: 180, scores: (up: 6.0, left: -4.1)) == 0)  // the ID card at 12 MP
        #expect(PagePreparer.overrule(osd: 0, scores: (up: -5, left: 1)) == 180)
        #expect(PagePreparer.overrule(osd: 270, scores: (up: 0.3, left: 6)) == 90)
        #expect(PagePreparer.overrule(osd: 90, scores: (up: 1, left: -3.5)) == 270)
        #expect(PagePreparer.overrule(osd: 180, scores: (up: 2.9, left: 0)) == nil)  // too weak
        #expect(PagePreparer.overrule(osd: 0, scores: (up: 7, left: 0)) == nil)  // agrees
        #expect(PagePreparer.overrule(osd: 90, scores: (up: -9, left: 0.5)) == nil)  // other axis
    }
}

/// A photo far above the resolution OCR needs is decoded at reduced size by libjpeg.
@Suite(.tags(.ocr), .slow)
struct ReducedDecodingTests {
    @Test("A 31 MP JPEG is decoded at half size, noted, and still reads")
    func largeJPEGHalfSize() throws {
        let photo = try OrientationTests.photo("kontoauszug_04.jpg")
        guard let big = pixScale(photo.unsafePix, 2.2, 2.2) else { Issue.record("scale failed"); return }
        let large = PageImage.adopting(big)
        let data = try large.jpegData(quality: 85)
        let document = try DocumentDecoder().decode(data)
        guard case .image(let image) = document.pages[0].content else { Issue.record("no image"); return }
        #expect(image.width == (large.width + 1) / 2 && image.height == (large.height + 1) / 2,
                "\(large.width)x\(large.height) decoded as \(image.width)x\(image.height)")
        #expect(document.pages[0].notes.contains { $0.hasPrefix("decoded at 1/2 size") }, "notes: \(document.pages[0].notes)")
        let (prepared, report) = try PagePreparer().prepare(image)
        let read = try TesseractEngine().recognize(prepared, resolution: report.resolution)
        let recall = TextMetrics.wordRecall(truth: try TestKit.truthText("photo/kontoauszug_04.jpg"), read: read.text)
        #expect(recall > 0.9, "word recall \(recall)")
    }

    @Test("The fixture photos (5–9 MP) are decoded whole")
    func fixturePhotoWhole() throws {
        let document = try DocumentDecoder().decode(fileAt: TestKit.fixture("photo/mietbescheinigung_05.jpg"))
        guard case .image(let image) = document.pages[0].content else { Issue.record("no image"); return }
        #expect(max(image.width, image.height) == 3200)
        #expect(!document.pages[0].notes.contains { $0.hasPrefix("decoded at") })
    }
}

/// The photo fixtures read end to end (decode, prepare, OCR): a guard against regressions in
/// the image steps, the glyph repair and the reading order, measured as eval measures
/// (`TextMetrics`). Figures at the time of writing (33 photos): mean word recall 98.65%, lowest
/// 94.2% (kontoauszug_04); mean CER 1.29%, order-free 1.64%.
@Suite(.tags(.ocr), .slow)
struct PhotoReadingGuardTests {
    struct Figures { var recall, cer, orderFreeCER: Double }

    @Test("The photo fixtures read with mean word recall ≥ 97% (none below 92%) and mean CER ≤ 3%, in order and order-free")
    func photoFigures() async throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: TestKit.fixture("photo").path)
            .filter { !$0.hasSuffix(".json") }.sorted()
        #expect(names.count >= 33)
        let pool = try EnginePool(size: 2)
        defer { pool.shutdown() }
        let figures = try await withThrowingTaskGroup(of: (String, Figures).self) { group in
            for name in names {
                group.addTask {
                    let truth = try TestKit.truthText("photo/\(name)")
                    let text = try await pool.run { engine -> String in
                        let document = try DocumentDecoder().decode(fileAt: TestKit.fixture("photo/\(name)"))
                        guard case .image(let image) = document.pages[0].content else { return "" }
                        let (prepared, report) = try PagePreparer().prepare(image, orientationCheck: engine.orientation(of:))
                        return try engine.recognize(prepared, resolution: report.resolution).text
                    }
                    return (name, Figures(
                        recall: TextMetrics.wordRecall(truth: truth, read: text),
                        cer: TextMetrics.characterErrorRate(truth: truth, read: text),
                        orderFreeCER: TextMetrics.orderFreeCharacterErrorRate(truth: truth, read: text)))
                }
            }
            return try await group.reduce(into: [String: Figures]()) { $0[$1.0] = $1.1 }
        }
        func mean(_ key: KeyPath<Figures, Double>) -> Double { figures.values.map { $0[keyPath: key] }.reduce(0, +) / Double(figures.count) }
        print("photos: mean word recall \(mean(\.recall)), CER \(mean(\.cer)), order-free \(mean(\.orderFreeCER)); "
            + figures.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.recall)/\($0.value.cer)" }.joined(separator: ", "))
        // The issue's targets over the photo fixtures (33: 18 older ones, 11 of the newer classes,
        // 4 taken at a 22-25 degree slant): word recall ≥ 97%, CER ≤ 3% in order and order-free.
        #expect(mean(\.recall) >= 0.97, "mean word recall \(mean(\.recall))")
        #expect(mean(\.cer) <= 0.03, "mean CER \(mean(\.cer))")
        #expect(mean(\.orderFreeCER) <= 0.03, "mean order-free CER \(mean(\.orderFreeCER))")
        for (name, figure) in figures { #expect(figure.recall >= 0.92, "\(name): word recall \(figure.recall)") }
    }
}

import Foundation
import Imaging
import PosteingangTestKit
import Testing

/// Page preparation on real images with known answers.
struct PreparationTests {
    static func scanPage() throws -> PageImage {
        let document = try DocumentDecoder().decode(fileAt: TestKit.fixture("scan/mietvertrag_05.png"))
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
        let document = try DocumentDecoder().decode(fileAt: TestKit.fixture("photo/kontoauszug_04.jpg"))
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
        let document = try DocumentDecoder().decode(fileAt: TestKit.fixture("photo/kindergeldbescheid_04.jpg"))
        guard case .image(let image) = document.pages[0].content else { Issue.record("no image"); return }
        let (prepared, _) = try PagePreparer().prepare(image)
        let codes = try BarcodeReader().read(prepared)
        #expect(codes.contains { $0.contains("96305BG0010044") }, "found: \(codes)")
    }
}

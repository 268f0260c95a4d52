import CLeptonica
import Foundation
import PosteingangTestKit
@testable import Imaging
import Testing

/// Our blocked quarter turn of grey pages gives Leptonica's `pixRotate90` pixel for pixel.
struct QuarterTurnTests {
    @Test("A real photo and odd sizes turn as pixRotate90 turns them", arguments: [true, false])
    func sameAsLeptonica(clockwise: Bool) throws {
        let photo = try PageImage.read(contentsOf: TestKit.fixture("photo/kontoauszug_04.jpg"))
        let grey = try #require(Leptonica.gray8(photo.unsafePix))
        defer { Leptonica.destroy(grey) }
        try Self.expectSame(grey, clockwise: clockwise)
        // Sizes that do not fill whole words or whole 64-pixel blocks, cut from the photo.
        for (width, height) in [(1, 1), (3, 7), (65, 130), (129, 63)] {
            let box = boxCreate(100, 200, Int32(width), Int32(height))
            defer { var b = box; boxDestroy(&b) }
            let cut = try #require(pixClipRectangle(grey, box, nil))
            defer { Leptonica.destroy(cut) }
            try Self.expectSame(cut, clockwise: clockwise)
        }
    }

    @Test("Pages that are not plain grey are left to Leptonica")
    func onlyGrey() throws {
        let binary = try #require(pixCreate(40, 30, 1))
        defer { Leptonica.destroy(binary) }
        #expect(Orientation.quarterTurned(binary, clockwise: true) == nil)
        let turned = try Orientation.rotate(PageImage(owning: try #require(pixCopy(nil, binary))), clockwiseDegrees: 90)
        #expect(turned.width == 30 && turned.height == 40 && turned.depth == 1)
    }

    static func expectSame(_ pix: UnsafeMutablePointer<PIX>, clockwise: Bool) throws {
        let ours = try #require(Orientation.quarterTurned(pix, clockwise: clockwise))
        defer { Leptonica.destroy(ours) }
        let theirs = try #require(pixRotate90(pix, clockwise ? 1 : -1))
        defer { Leptonica.destroy(theirs) }
        var same: Int32 = 0
        pixEqual(ours, theirs, &same)
        #expect(same == 1, "\(pixGetWidth(pix))x\(pixGetHeight(pix)) turned \(clockwise ? "clockwise" : "counter-clockwise")")
    }
}

import CLeptonica
import Foundation
@testable import Imaging
import Testing

/// The rule eraser's painting: the same pixels as Leptonica's pixPaintThroughMask.
struct RuleEraserTests {
    @Test("Whitening through a mask sets exactly the pixels pixPaintThroughMask sets", arguments: [97, 128, 131])
    func whitenMatchesLeptonica(width: Int) throws {
        let height = 41
        let page = try #require(pixCreate(Int32(width), Int32(height), 8))
        let mask = try #require(pixCreate(Int32(width), Int32(height), 1))
        defer {
            var p: UnsafeMutablePointer<PIX>? = page, m: UnsafeMutablePointer<PIX>? = mask
            pixDestroy(&p)
            pixDestroy(&m)
        }
        var seed: UInt32 = 12345
        func next() -> UInt32 { seed = seed &* 1_103_515_245 &+ 12345; return seed >> 16 }
        for y in 0..<height {
            for x in 0..<width {
                pixSetPixel(page, Int32(x), Int32(y), next() % 256)
                // Rules: a few long runs and scattered bits, the last column included.
                let on = y == 7 || (x == width - 1) || (y % 5 == 0 && x % 3 == 0) || next() % 17 == 0
                pixSetPixel(mask, Int32(x), Int32(y), on ? 1 : 0)
            }
        }
        pixSetPadBits(mask, 1)  // set bits beyond the width must not paint anything
        let expected = try #require(pixCopy(nil, page))
        defer { var e: UnsafeMutablePointer<PIX>? = expected; pixDestroy(&e) }
        pixPaintThroughMask(expected, mask, 0, 0, 255)
        RuleEraser.whiten(page, where: mask)
        var same: Int32 = 0
        pixEqual(page, expected, &same)
        #expect(same == 1)
    }
}

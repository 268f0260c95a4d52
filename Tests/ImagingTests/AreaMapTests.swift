import CLeptonica
import Foundation
@testable import Imaging
import PosteingangTestKit
import Testing

/// `AreaMap.reduce` must give exactly Leptonica's `pixScaleAreaMap` bytes (prepared pages, and
/// so the text read, stay the same), for the whole image and for a region.
struct AreaMapTests {
    /// The bytes of an 8 bpp image, row by row.
    private func bytes(_ pix: UnsafeMutablePointer<PIX>) throws -> [UInt8] {
        try PageImage(owning: #require(pixClone(pix))).grayBytes().bytes
    }

    private func leptonica(_ pix: UnsafeMutablePointer<PIX>, _ scale: Float, region: (x: Int, y: Int, width: Int, height: Int)?) throws -> [UInt8] {
        var source = pix
        if let region {
            let box = try #require(boxCreate(Int32(region.x), Int32(region.y), Int32(region.width), Int32(region.height)))
            defer { var b: UnsafeMutablePointer<BOX>? = box; boxDestroy(&b) }
            source = try #require(pixClipRectangle(pix, box, nil))
        }
        defer { if source != pix { Leptonica.destroy(source) } }
        let reduced = try #require(pixScaleAreaMap(source, scale, scale))
        defer { Leptonica.destroy(reduced) }
        return try bytes(reduced)
    }

    private func ours(_ pix: UnsafeMutablePointer<PIX>, _ scale: Float, region: (x: Int, y: Int, width: Int, height: Int)?) throws -> [UInt8] {
        let reduced = try #require(AreaMap.reduce(pix, scale: scale, region: region))
        defer { Leptonica.destroy(reduced) }
        return try bytes(reduced)
    }

    @Test("Random grey values: the same bytes as pixScaleAreaMap at odd sizes, scales and regions")
    func randomImage() throws {
        let (width, height) = (1001, 743)
        let pix = try #require(pixCreate(Int32(width), Int32(height), 8))
        defer { Leptonica.destroy(pix) }
        var generator = SystemRandomNumberGenerator()
        for y in 0..<height {
            for x in 0..<width { pixSetPixel(pix, Int32(x), Int32(y), UInt32.random(in: 0...255, using: &generator)) }
        }
        for scale: Float in [0.03, 0.1, 0.2283, 0.3, 0.33333, 0.4561, 0.6, 0.6999] {
            for region in [nil, (x: 0, y: 0, width: width, height: height), (x: 3, y: 5, width: 900, height: 700),
                           (x: 130, y: 77, width: 611, height: 413)] as [(x: Int, y: Int, width: Int, height: Int)?] {
                let expected = try leptonica(pix, scale, region: region)
                #expect(!expected.isEmpty)
                #expect(try ours(pix, scale, region: region) == expected, "scale \(scale), region \(String(describing: region))")
            }
        }
    }

    @Test("A 12 MP-like photo reduced as the detector and the probe do: the same bytes")
    func photo() throws {
        let photo = try PageQuadTests.image("photo/kontoauszug_04.jpg")
        for longSide in [800.0, 1600.0] {
            let scale = Float(min(1, longSide / Double(max(photo.width, photo.height))))
            #expect(try ours(photo.pix, scale, region: nil) == leptonica(photo.pix, scale, region: nil))
        }
        // Where Leptonica takes another way (0.5, 0.7 and above), it is asked itself: same bytes.
        for scale: Float in [0.5, 0.75] {
            #expect(try ours(photo.pix, scale, region: nil) == leptonica(photo.pix, scale, region: nil))
        }
    }
}

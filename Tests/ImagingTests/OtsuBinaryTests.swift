import CLeptonica
import Foundation
@testable import Imaging
import Testing

/// The binary image Tesseract would make of a page (`OtsuBinary`): its histogram, its threshold
/// and its polarity as Tesseract 5.3 computes them. (That Tesseract then reads exactly the same
/// text is tested in TesseractSpeedupTests.)
struct OtsuBinaryTests {
    @Test("Otsu as Tesseract computes it: the first best threshold, ink the dark minority")
    func otsuThreshold() {
        // Paper at 250 (90%), ink at 40 (10%): any t from 40 to 249 splits them; Tesseract keeps the first.
        var histogram = [Int](repeating: 0, count: 256)
        histogram[250] = 900
        histogram[40] = 100
        #expect(OtsuBinary.threshold(histogram: histogram) == 40)
        // A brute-force between-class variance agrees on a spread-out histogram.
        var spread = [Int](repeating: 0, count: 256)
        for value in 0..<256 { spread[value] = value < 120 ? (value % 7) + 1 : 40 + (value % 13) * 3 }
        let found = OtsuBinary.threshold(histogram: spread)
        let total = Double(spread.reduce(0, +))
        func variance(_ t: Int) -> Double {
            let w0 = Double(spread[0...t].reduce(0, +)), w1 = total - w0
            let m0 = Double((0...t).map { $0 * spread[$0] }.reduce(0, +)) / w0
            let m1 = Double(((t + 1)..<256).map { $0 * spread[$0] }.reduce(0, +)) / w1
            return w0 * w1 * (m1 - m0) * (m1 - m0)
        }
        let best = (0..<255).max { variance($0) < variance($1) }!
        if let found {
            #expect(abs(variance(found) - variance(best)) <= variance(best) * 1e-9)
        } else {
            // Tesseract leaves a page whose dark class is a quarter or more to its own rules.
            #expect(Double(spread[0...best].reduce(0, +)) >= total * 0.25)
        }
        // White text on black (the dark class is the majority), or one grey: Tesseract decides.
        var inverted = [Int](repeating: 0, count: 256)
        inverted[20] = 900
        inverted[230] = 100
        #expect(OtsuBinary.threshold(histogram: inverted) == nil)
        var flat = [Int](repeating: 0, count: 256)
        flat[128] = 1000
        #expect(OtsuBinary.threshold(histogram: flat) == nil)
    }

    @Test("The histogram counts every pixel once, whatever the row's padding", arguments: [101, 102, 103, 104])
    func histogram(width: Int) throws {
        let pix = try #require(pixCreate(Int32(width), 7, 8))
        let page = PageImage(owning: pix)
        for y in 0..<7 {
            for x in 0..<width { pixSetPixel(pix, Int32(x), Int32(y), UInt32((x * 3 + y) % 256)) }
        }
        // Padding bytes at the end of each row hold garbage that must not be counted.
        pixSetPadBits(pix, 1)
        let counts = OtsuBinary.histogram(of: page)
        #expect(counts.reduce(0, +) == width * 7)
        var expected = [Int](repeating: 0, count: 256)
        for y in 0..<7 { for x in 0..<width { expected[(x * 3 + y) % 256] += 1 } }
        #expect(counts == expected)
        // Ink is what lies at or below the threshold: the binary image has exactly those pixels.
        let threshold = 100
        let binary = try #require(pixConvertTo1(pix, Int32(threshold + 1)))
        var ink: Int32 = 0
        pixCountPixels(binary, &ink, nil)
        var binaryRef: UnsafeMutablePointer<PIX>? = binary
        pixDestroy(&binaryRef)
        #expect(Int(ink) == expected[0...threshold].reduce(0, +))
    }
}

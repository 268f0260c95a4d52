import CLeptonica
import Foundation
@testable import Imaging
import PosteingangTestKit
import Testing

/// Page detection, perspective correction and deskewing against answers known from the
/// fixture generator (`fixtures/photo_corners.json`: where it put each sheet's corners).
struct PageQuadTests {
    struct KnownCorners: Decodable {
        let width: Int
        let height: Int
        let corners: [[Double]]
    }

    static let known: [String: KnownCorners] = {
        guard let data = try? TestKit.fixtureData("photo_corners.json"),
              let table = try? JSONDecoder().decode([String: KnownCorners].self, from: data)
        else { return [:] }
        return table
    }()

    static func image(_ path: String) throws -> PageImage {
        let document = try DocumentDecoder().decode(fileAt: TestKit.fixture(path))
        guard case .image(let image) = document.pages[0].content else { throw CocoaError(.fileReadCorruptFile) }
        return image
    }

    @Test("The sheet's four corners are found within a few pixels of where the generator put them",
          arguments: known.keys.sorted())
    func cornersOfEachPhoto(path: String) throws {
        let truth = try #require(Self.known[path])
        let photo = try Self.image(path)
        #expect(photo.width == truth.width && photo.height == truth.height)
        let quad = try #require(PageQuadDetector().detect(in: photo), "no sheet found in \(path)")
        let tolerance = 0.003 * Double(max(truth.width, truth.height))  // 9 px at 3000 px
        for (found, expected) in zip(quad.corners, truth.corners) {
            let off = hypot(found.x - expected[0], found.y - expected[1])
            #expect(off < tolerance, "\(path): corner \(found) is \(off) px from \(expected)")
        }
    }

    /// A perspective quad (keystone and a turn) inside a 320 × 240 image.
    static let skewedQuad = PageQuad(corners: [
        .init(x: 40.5, y: 30.2), .init(x: 280.3, y: 45.7), .init(x: 300.1, y: 220.4), .init(x: 20.8, y: 200.9),
    ])

    @Test("The projective map puts the unit square's corners on the quad's and its centre where the diagonals cross")
    func unitSquareMap() {
        let map = UnitSquareMap(onto: Self.skewedQuad.corners)
        let c = Self.skewedQuad.corners
        for ((s, t), corner) in zip([(0.0, 0.0), (1, 0), (1, 1), (0, 1)], c) {
            let p = map(s: s, t: t)
            #expect(abs(p.x - corner.x) < 1e-9 && abs(p.y - corner.y) < 1e-9, "(\(s), \(t)) → \(p), expected \(corner)")
        }
        // Lines stay lines: the square's centre lands where the quad's diagonals cross.
        let (d1x, d1y, d2x, d2y) = (c[2].x - c[0].x, c[2].y - c[0].y, c[3].x - c[1].x, c[3].y - c[1].y)
        let k = ((c[1].x - c[0].x) * d2y - (c[1].y - c[0].y) * d2x) / (d1x * d2y - d1y * d2x)
        let centre = map(s: 0.5, t: 0.5)
        #expect(abs(centre.x - (c[0].x + k * d1x)) < 1e-9 && abs(centre.y - (c[0].y + k * d1y)) < 1e-9)
    }

    @Test("One warp samples the source where the quad says, at any output size (a grey ramp stays the ramp)",
          arguments: [(120, 90), (480, 360)])
    func warpSamplesTheQuad(width: Int, height: Int) throws {
        // Grey level = (x + 2y) / 4 at pixel (x, y): bilinear interpolation reproduces it exactly
        // (up to rounding) wherever it samples, so every output pixel tells where it was read.
        let source = try #require(pixCreate(320, 240, 8))
        for y in 0..<240 {
            for x in 0..<320 { pixSetPixel(source, Int32(x), Int32(y), UInt32((Double(x + 2 * y) / 4).rounded())) }
        }
        let page = PageImage.adopting(source)
        let warped = try #require(Self.skewedQuad.warp(page, width: width, height: height))
        #expect(warped.width == width && warped.height == height)
        let map = UnitSquareMap(onto: Self.skewedQuad.corners)
        let raster = try warped.grayBytes()
        var worst = 0.0
        for y in 0..<height {
            for x in 0..<width {
                let p = map(s: (Double(x) + 0.5) / Double(width), t: (Double(y) + 0.5) / Double(height))
                let expected = ((p.x - 0.5) + 2 * (p.y - 0.5)) / 4
                worst = max(worst, abs(Double(raster.bytes[y * width + x]) - expected))
            }
        }
        #expect(worst < 1.1, "largest difference from the ramp: \(worst) grey levels")
    }

    @Test("Outside the photo the warp brings in white")
    func warpOutsideIsWhite() throws {
        let source = try #require(pixCreate(100, 100, 8))  // all black
        let quad = PageQuad(corners: [.init(x: -100, y: 0), .init(x: 100, y: 0), .init(x: 100, y: 100), .init(x: -100, y: 100)])
        let raster = try #require(quad.warp(PageImage.adopting(source), width: 200, height: 100)).grayBytes()
        #expect(raster.bytes[50 * 200 + 10] == 255)  // left half: outside
        #expect(raster.bytes[50 * 200 + 150] == 0)  // right half: the black image
    }

    @Test("A photo is warped once, straight to the final size: flat size × scale, text at the target height")
    func warpedStraightToFinalSize() throws {
        let preparer = PagePreparer()
        let (prepared, report) = try preparer.prepare(try Self.image("photo/kontoauszug_04.jpg"))
        let flat = try #require(report.flatSize)
        #expect(report.scale > 1.1, "the fixture's text is small: the page is enlarged")
        #expect(abs(Double(prepared.width) - Double(flat[0]) * report.scale) <= 1)
        #expect(abs(Double(prepared.height) - Double(flat[1]) * report.scale) <= 1)
        let height = Probe(prepared).medianTextHeight(in: nil)
        #expect(abs(height - preparer.targetTextHeight) <= 3, "text on the prepared page is \(height) px high")
    }

    @Test("A warped photo becomes an upright A4 page and the report names the corners")
    func warpedToA4() throws {
        let (prepared, report) = try PagePreparer().prepare(try Self.image("photo/kontoauszug_04.jpg"))
        let corners = try #require(report.pageCorners)
        #expect(corners.count == 4)
        let size = try #require(report.flatSize)
        #expect(abs(Double(size[1]) / Double(size[0]) - 2.0.squareRoot()) < 0.01)
        #expect(abs(Double(prepared.height) / Double(prepared.width) - 2.0.squareRoot()) < 0.02)
        #expect(abs(report.skewDegrees) < 0.5, "a flattened page has no skew left: \(report.skewDegrees)°")
    }

    @Test("A scan that fills the frame has no sheet to find: its geometry is left alone")
    func scanHasNoQuad() throws {
        #expect(PageQuadDetector().detect(in: try PreparationTests.scanPage()) == nil)
        let (_, report) = try PagePreparer().prepare(try PreparationTests.scanPage())
        #expect(report.pageCorners == nil)
    }

    @Test("A page turned by a known angle is deskewed by that angle within 0.5°", arguments: [-7.0, -3.0, 2.5, 6.0])
    func skewWithinHalfDegree(angle: Double) throws {
        let page = try PreparationTests.scanPage()
        let (_, plain) = try PagePreparer().prepare(page)
        let (_, turned) = try PagePreparer().prepare(try page.rotated(byDegrees: angle))
        // The scan carries its own small skew; turning it by `angle` adds to it.
        let expected = plain.skewDegrees - angle
        #expect(abs(turned.skewDegrees - expected) < 0.5, "found \(turned.skewDegrees)°, expected \(expected)°")
    }
}

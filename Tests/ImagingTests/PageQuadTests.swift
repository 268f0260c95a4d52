import Foundation
import Imaging
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
        guard let data = try? Fixtures.data("photo_corners.json"),
              let table = try? JSONDecoder().decode([String: KnownCorners].self, from: data)
        else { return [:] }
        return table
    }()

    static func image(_ path: String) throws -> PageImage {
        let document = try DocumentDecoder().decode(fileAt: Fixtures.url(path))
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

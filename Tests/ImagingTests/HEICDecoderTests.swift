import CLeptonica
import Foundation
import PosteingangTestKit
@testable import Imaging
import Testing

/// The grey HEIC decoder's own road (HEIF boxes read by us, HEVC tiles by libde265) gives the
/// picture libheif gives: same size, same grey levels, turned and mirrored the same way.
struct HEICDecoderTests {
    static let decoder = HEICDecoder(limits: .standard, threads: 2)

    @Test("libde265's road gives libheif's picture", arguments: [
        "plain.heic", "grid.heic", "10bit.heic", "thumbnail.heic", "secondary.heic",
        "orientation-1.heic", "orientation-2.heic", "orientation-3.heic", "orientation-4.heic",
        "orientation-5.heic", "orientation-6.heic", "orientation-7.heic", "orientation-8.heic",
    ])
    func sameAsLibheif(name: String) throws {
        let data = try TestKit.fixtureData("formats/heic/" + name)
        var exact = Self.decoder
        exact.sampleAdaptiveOffset = true
        let ours = try exact.decode(data)
        let theirs = try Self.decoder.decodeWithLibheif(data)
        try #require(ours.count == 1 && theirs.count == 1)
        #expect(ours[0].notes.first?.contains("libde265") == true, "\(name) went another road: \(ours[0].notes)")
        let difference = try Self.meanDifference(ours[0], theirs[0])
        #expect(difference < 0.05, "\(name): mean grey difference \(difference)")
        // Without SAO (the default, for speed): the same picture within a small fraction of a grey level.
        let fast = try Self.decoder.decode(data)
        #expect(!Self.decoder.sampleAdaptiveOffset)
        let drift = try Self.meanDifference(fast[0], theirs[0])
        #expect(drift < 0.5, "\(name) without SAO: mean grey difference \(drift)")
    }

    @Test("Every orientation shows the same upright picture")
    func orientationsUpright() throws {
        let upright = try Self.decoder.decode(TestKit.fixtureData("formats/heic/orientation-1.heic"))[0]
        for orientation in 2...8 {
            let turned = try Self.decoder.decode(TestKit.fixtureData("formats/heic/orientation-\(orientation).heic"))[0]
            // Lossy coding of differently stored pixels: close, not equal; a wrong turn is far off.
            let difference = try Self.meanDifference(upright, turned)
            #expect(difference < 3, "orientation \(orientation): mean grey difference \(difference) from orientation 1")
        }
    }

    @Test("Transparent HEICs keep libheif's road (laid onto white there)")
    func alphaGoesThroughLibheif() throws {
        let page = try Self.decoder.decode(TestKit.fixtureData("formats/heic/transparent.heic"))[0]
        #expect(page.notes.contains("transparency laid onto white"), "\(page.notes)")
    }

    static func meanDifference(_ a: DecodedPage, _ b: DecodedPage) throws -> Double {
        guard case .image(let x) = a.content, case .image(let y) = b.content else { throw CocoaError(.fileReadCorruptFile) }
        try #require(x.width == y.width && x.height == y.height && x.depth == 8 && y.depth == 8,
                     "\(x.width)x\(x.height)x\(x.depth) against \(y.width)x\(y.height)x\(y.depth)")
        guard let difference = pixAbsDifference(x.unsafePix, y.unsafePix) else { throw CocoaError(.fileReadCorruptFile) }
        defer { var p: UnsafeMutablePointer<PIX>? = difference; pixDestroy(&p) }
        var mean: Float = 0
        pixGetAverageMasked(difference, nil, 0, 0, 1, Int32(L_MEAN_ABSVAL), &mean)
        return Double(mean)
    }
}

import CLeptonica
import Foundation
import PosteingangTestKit
@testable import Imaging
import Testing

/// A rendered PDF page (pdftoppm's grey PGM) is read by whole rows into the same page that
/// Leptonica's own PNM reader gives; what that fast road does not cover is left to Leptonica.
struct PDFPageRasterTests {
    @Test("pdftoppm's grey PGM of a scanned page gives Leptonica's page, pixel for pixel")
    func renderedPage() throws {
        let rendered = try ToolRunner(timeout: 60).run(
            "pdftoppm", ["-f", "1", "-l", "1", "-r", "100", "-gray", TestKit.fixture("scan/mietvertrag_01.pdf").path])
        try #require(rendered.status == 0)
        try Self.expectSameAsLeptonica(rendered.stdout)
    }

    @Test("Odd widths, comments and whitespace in the header read like Leptonica reads them", arguments: [
        "P5\n5 3\n255\n", "P5 # made by hand\n5\n3 255\n", "P5\n# comment\n# another\n5 3\n255\n",
    ])
    func handMade(header: String) throws {
        var data = Data(header.utf8)
        data.append(contentsOf: (0..<15).map { UInt8($0 * 17) })
        try Self.expectSameAsLeptonica(data)
    }

    @Test("What the row copy does not read goes to Leptonica: ASCII PGM, 16-bit, truncated", arguments: [
        "P2\n2 2\n255\n0 1 2 3\n", "P5\n2 2\n65535\n\0\0\0\0\0\0\0\0", "P5\n4 4\n255\n\0\0\0", "P6\n1 1\n255\n\0\0\0",
    ])
    func leftToLeptonica(file: String) {
        #expect(PDFDecoder.greyPGM(Data(file.utf8)) == nil)
    }

    static func expectSameAsLeptonica(_ data: Data) throws {
        let ours = try #require(PDFDecoder.greyPGM(data))
        defer { Leptonica.destroy(ours) }
        let theirs = try #require(data.withUnsafeBytes { pixReadMem($0.bindMemory(to: UInt8.self).baseAddress, $0.count) })
        defer { Leptonica.destroy(theirs) }
        var same: Int32 = 0
        pixEqual(ours, theirs, &same)
        #expect(same == 1, "\(pixGetWidth(ours))x\(pixGetHeight(ours)) against \(pixGetWidth(theirs))x\(pixGetHeight(theirs))")
    }
}

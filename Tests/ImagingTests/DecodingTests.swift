import Foundation
import Imaging
import PosteingangTestKit
import Testing

/// Every accepted input format decodes from a real file; everything else is refused with a
/// reason that names what is accepted.
struct DecodingTests {
    let decoder = DocumentDecoder()

    @Test("Each format is recognised by content and decoded", arguments: [
        ("scan/mietvertrag_05.png", FileFormat.png, 1),
        ("scan/mietvertrag_02.tif", FileFormat.tiff, 2),
        ("photo/kontoauszug_05.webp", FileFormat.webp, 1),
        ("photo/mietvertrag_04.heic", FileFormat.heic, 1),
        ("photo/kontoauszug_04.jpg", FileFormat.jpeg, 1),
        ("scan/mietvertrag_01.pdf", FileFormat.pdf, 3),
    ])
    func decodesFormat(path: String, format: FileFormat, minimumPages: Int) throws {
        let document = try decoder.decode(fileAt: TestKit.fixture(path))
        #expect(document.format == format)
        #expect(document.pages.count >= minimumPages)
        for page in document.pages {
            guard case .image(let image) = page.content else {
                Issue.record("\(path) page \(page.number) should be an image")
                continue
            }
            #expect(image.width > 500 && image.height > 500)
        }
    }

    @Test("A multi-page TIFF gives every page")
    func multipageTIFF() throws {
        let document = try decoder.decode(fileAt: TestKit.fixture("scan/kindergeldbescheid_03.tif"))
        let pages = try TestKit.truthText("scan/kindergeldbescheid_03.tif").split(separator: "\u{0C}", omittingEmptySubsequences: false).count
        #expect(document.pages.count == pages)
        #expect(document.pages.map(\.number) == Array(1...pages))
    }

    @Test("Born-digital PDF pages are taken from the text layer, not rendered")
    func pdfTextLayer() throws {
        let document = try decoder.decode(fileAt: TestKit.fixture("digital/lohnabrechnung_01.pdf"))
        #expect(document.format == .pdf)
        for page in document.pages {
            guard case .text(let text) = page.content else {
                Issue.record("page \(page.number) of a born-digital PDF was rendered")
                continue
            }
            #expect(text.contains("Brutto") || text.contains("brutto"))
        }
    }

    @Test("A scanned PDF's pages are rendered at 300 dpi for OCR")
    func pdfImagePages() throws {
        let document = try decoder.decode(fileAt: TestKit.fixture("scan/lohnabrechnung_03.pdf"))
        guard case .image(let image) = document.pages[0].content else {
            Issue.record("an image-only PDF page should be rendered")
            return
        }
        #expect(image.resolution == 300)
        #expect(image.width > 2000)
    }

    @Test("Sideways phone photos are turned upright by their EXIF tag", arguments: [
        ("photo/mietvertrag_03.jpg", EXIFOrientation.right),
        ("photo/mietbescheinigung_02.jpg", EXIFOrientation.left),
        ("photo/lohnabrechnung_04.jpg", EXIFOrientation.down),
    ])
    func exifOrientation(path: String, expected: EXIFOrientation) throws {
        let data = try TestKit.fixtureData(path)
        #expect(EXIFOrientation.read(fromJPEG: data) == expected)
        let document = try decoder.decode(data)
        guard case .image(let image) = document.pages[0].content else { Issue.record("no image"); return }
        // The stored pixels of tags 6 and 8 are landscape; the page is portrait once turned.
        #expect(image.height > image.width)
        #expect(document.pages[0].notes.contains { $0.contains("EXIF orientation \(expected.rawValue)") })
    }

    @Test("All eight EXIF orientations turn or mirror the stored pixels")
    func allEightOrientations() throws {
        let original = try TestKit.fixtureData("photo/mietvertrag_03.jpg")
        guard let (position, littleEndian) = Self.orientationValueOffset(in: original) else {
            Issue.record("fixture has no orientation tag")
            return
        }
        var sizes: [Int: (Int, Int)] = [:]
        for value in 1...8 {
            var data = original
            data[position] = 0
            data[position + 1] = 0
            data[position + (littleEndian ? 0 : 1)] = UInt8(value)
            #expect(EXIFOrientation.read(fromJPEG: data)?.rawValue == value)
            let document = try decoder.decode(data)
            guard case .image(let image) = document.pages[0].content else { continue }
            sizes[value] = (image.width, image.height)
        }
        let stored = sizes[1]!
        for value in 1...4 { #expect(sizes[value]! == stored, "orientation \(value) keeps the stored size") }
        for value in 5...8 { #expect(sizes[value]! == (stored.1, stored.0), "orientation \(value) swaps width and height") }
    }

    /// Where the orientation tag's value sits in a JPEG written by our fixture generator (for
    /// rewriting it in the test). Searches the IFD entry 0x0112, type SHORT, count 1.
    static func orientationValueOffset(in data: Data) -> (Int, Bool)? {
        let bytes = [UInt8](data.prefix(65536))
        for i in 0..<(bytes.count - 12) {
            let littleEndian = bytes[i] == 0x12 && bytes[i + 1] == 0x01 && bytes[i + 2] == 3 && bytes[i + 3] == 0 && bytes[i + 4] == 1
            let bigEndian = bytes[i] == 0x01 && bytes[i + 1] == 0x12 && bytes[i + 2] == 0 && bytes[i + 3] == 3 && bytes[i + 7] == 1
            if littleEndian || bigEndian { return (i + 8, littleEndian) }
        }
        return nil
    }

    @Test("Bad input gets a clear error naming the reason and what is accepted", arguments: [
        ("bad/empty.pdf", "empty_file"),
        ("bad/no-image-data.jpg", "corrupt"),
        ("bad/truncated.png", "corrupt"),
        ("bad/animation.gif", "unsupported_format"),
        ("bad/notes.png", "unsupported_format"),
        ("bad/bomb.png", "too_many_pixels"),
        ("bad/garbage.pdf", "corrupt"),
    ])
    func refusesBadInput(path: String, code: String) throws {
        do {
            _ = try decoder.decode(fileAt: TestKit.fixture(path))
            Issue.record("\(path) should be refused")
        } catch let error as ImagingError {
            #expect(error.code == code, "\(path): \(error)")
            if code == "unsupported_format" || code == "empty_file" || code == "corrupt" {
                #expect(error.description.contains("JPEG, PNG, TIFF, WebP, HEIC, PDF"))
            }
        }
    }

    @Test("A JPEG cut at 30 % of its bytes is read as far as it goes, its page marked for review with how much was read")
    func truncatedJPEGRead() throws {
        let document = try decoder.decode(fileAt: TestKit.fixture("bad/truncated.jpg"))
        let page = document.pages[0]
        guard case .image(let image) = page.content else { Issue.record("no image"); return }
        let reason = try #require(page.reviewReasons.first)
        print("bad/truncated.jpg: \(image.width)x\(image.height); \(reason); \(page.notes)")
        #expect(reason.hasPrefix("Die Bilddatei endet vorzeitig: etwa "))
        #expect(reason.hasSuffix("% des Bildes gelesen; die Seite kann abgeschnitten sein."))
        #expect(page.notes.contains { $0.hasPrefix("JPEG data ends early") })
    }

    @Test("The GIF refusal names the detected type")
    func gifNamed() {
        #expect(throws: ImagingError.unsupportedFormat(detected: "'image/gif'")) {
            try decoder.decode(fileAt: TestKit.fixture("bad/animation.gif"))
        }
    }

    @Test("Limits on bytes and pages are checked before decoding")
    func limits() throws {
        let small = DocumentDecoder(limits: DecodeLimits(maxBytes: 10_000))
        #expect(throws: ImagingError.self) { try small.decode(fileAt: TestKit.fixture("scan/mietvertrag_05.png")) }
        let onePage = DocumentDecoder(limits: DecodeLimits(maxPages: 1))
        do {
            _ = try onePage.decode(fileAt: TestKit.fixture("scan/mietvertrag_02.tif"))
            Issue.record("a 2-page TIFF must be refused with maxPages 1")
        } catch let error as ImagingError {
            #expect(error.code == "too_many_pages")
        }
        do {
            _ = try onePage.decode(fileAt: TestKit.fixture("scan/mietvertrag_01.pdf"))
            Issue.record("a 3-page PDF must be refused with maxPages 1")
        } catch let error as ImagingError {
            #expect(error.code == "too_many_pages")
        }
    }

    @Test("A PNG named .pdf is read as PNG: the content decides")
    func contentNotName() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("png-named-\(UUID().uuidString.prefix(6)).pdf")
        try FileManager.default.copyItem(at: TestKit.fixture("scan/mietvertrag_05.png"), to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        #expect(try decoder.decode(fileAt: copy).format == .png)
    }

    @Test("SHA-256 of known input")
    func sha256() {
        #expect(SHA256Digest.hex(of: Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

import Foundation
import Imaging
import PosteingangTestKit
import Testing

@testable import Server

@Suite(.tags(.process), .slow) struct PageBundleTests {
    @Test("JPEG, PNG and PDF page files are joined into one PDF with one page per image, in order, and poppler reads every page")
    func combinesPages() throws {
        let folder = try TestKit.temporaryDirectory("bundle")
        defer { try? FileManager.default.removeItem(at: folder) }
        let pdf = TestKit.fixture("digital/lohnabrechnung_01.pdf")
        let png = TestKit.fixture("scan/lohnabrechnung_05.png")
        let jpeg = TestKit.fixture("photo/lohnabrechnung_04.jpg")
        let parts = [(pdf, FileFormat.pdf), (png, .png), (jpeg, .jpeg)].map { PageBundle.Part(file: $0.0, format: $0.1, fileName: $0.0.lastPathComponent) }
        let output = folder.appendingPathComponent("combined.pdf")
        try PageBundle.combine(parts, into: output, scratch: folder)
        #expect(try TestKit.pdfPageCount(output) == (try TestKit.pdfPageCount(pdf)) + 2)

        // Images only: written directly; the JPEG goes in byte for byte.
        let imagesOnly = folder.appendingPathComponent("images.pdf")
        try PageBundle.combine(Array(parts.dropFirst()), into: imagesOnly, scratch: folder)
        #expect(try TestKit.pdfPageCount(imagesOnly) == 2)
        let written = try Data(contentsOf: imagesOnly)
        #expect(written.range(of: try Data(contentsOf: jpeg)) != nil)
        // Rendered at 300 dpi, the JPEG page has the photo's own pixel size (turned by its EXIF orientation).
        let decoded = try DocumentDecoder().decode(fileAt: imagesOnly)
        guard case .image(let page) = decoded.pages[1].content else { Issue.record("page 2 is not an image"); return }
        let original = try DocumentDecoder().decode(fileAt: jpeg)
        guard case .image(let photo) = original.pages[0].content else { Issue.record("photo not decoded"); return }
        #expect(abs(page.width - photo.width) <= 2 && abs(page.height - photo.height) <= 2, "\(page.width)x\(page.height) vs \(photo.width)x\(photo.height)")
    }

    @Test("CMYK and YCCK JPEGs (Adobe's inverted ones too) and a phone's trailer go into the bundle and render as the JPEG reader reads them")
    func cmykAndTrailers() throws {
        let folder = try TestKit.temporaryDirectory("bundle-cmyk")
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = ["cmyk.jpg", "cmyk-adobe.jpg", "ycck-adobe.jpg", "samsung-trailer.jpg", "baseline.jpg"]
        let files = names.map { TestKit.fixture("formats/jpeg/\($0)") }
        let output = folder.appendingPathComponent("bundle.pdf")
        try PageBundle.combine(files.map { PageBundle.Part(file: $0, format: .jpeg, fileName: $0.lastPathComponent) }, into: output, scratch: folder)
        let rendered = try DocumentDecoder().decode(fileAt: output)
        #expect(rendered.pages.count == names.count)
        for (index, file) in files.enumerated() {
            guard case .image(let page) = rendered.pages[index].content,
                case .image(let direct) = try DocumentDecoder().decode(fileAt: file).pages[0].content
            else { Issue.record("\(names[index]): no image"); continue }
            let a = try page.grayBytes(), b = try direct.grayBytes()
            #expect(abs(a.width - b.width) <= 2 && abs(a.height - b.height) <= 2, "\(names[index])")
            // Mean grey level and mean difference over a grid of samples: an inverted page would
            // differ by most of the scale, a page of another colour transform by tens of levels.
            var difference = 0.0, samples = 0.0
            for y in stride(from: 0, to: min(a.height, b.height), by: 7) {
                for x in stride(from: 0, to: min(a.width, b.width), by: 7) {
                    difference += abs(Double(a.bytes[y * a.width + x]) - Double(b.bytes[y * b.width + x]))
                    samples += 1
                }
            }
            #expect(difference / samples < 12, "\(names[index]): mean grey difference \(difference / samples)")
        }
    }

    @Test("TIFF, WebP or HEIC among several pages, and a damaged JPEG, are refused with 415 naming the file")
    func refusesWhatCannotBeCombined() throws {
        let folder = try TestKit.temporaryDirectory("bundle-refused")
        defer { try? FileManager.default.removeItem(at: folder) }
        let tif = TestKit.fixture("scan/mietvertrag_02.tif")
        let jpeg = TestKit.fixture("photo/lohnabrechnung_04.jpg")
        let truncated = folder.appendingPathComponent("cut.jpg")
        try Data(try Data(contentsOf: jpeg).prefix(100)).write(to: truncated)
        for parts in [
            [PageBundle.Part(file: tif, format: .tiff, fileName: "a.tif"), PageBundle.Part(file: jpeg, format: .jpeg, fileName: "b.jpg")],
            [PageBundle.Part(file: truncated, format: .jpeg, fileName: "cut.jpg"), PageBundle.Part(file: jpeg, format: .jpeg, fileName: "b.jpg")],
        ] {
            #expect {
                try PageBundle.combine(parts, into: folder.appendingPathComponent("out.pdf"), scratch: folder)
            } throws: { error in
                guard let error = error as? APIError else { return false }
                return error.status == .unsupportedMediaType && error.english.contains(parts[0].fileName)
            }
        }
    }
}

import Foundation
import Imaging
import PosteingangTestKit
import Testing

/// Data Matrix codes (BA forms, cover sheets) are read with libdmtx within a time bound.
struct DataMatrixTests {
    /// The first page of a multi-page TIFF, decoded as the pipeline does.
    private func tiffPage(_ path: String, _ number: Int) throws -> PageImage {
        let document = try DocumentDecoder().decode(fileAt: TestKit.fixture(path))
        guard case .image(let image) = document.pages[number - 1].content else {
            throw ImagingError.internalFailure(operation: "\(path) page \(number) is not an image")
        }
        return image
    }

    @Test("A form's Data Matrix gives its BG-Nummer, on the scan and on the prepared page")
    func formCode() throws {
        let scan = try PageImage.read(contentsOf: TestKit.fixture("batches/datamatrix_form.png"))
        // A generous budget: this test is about reading, not about the machine's load.
        let reader = DataMatrixReader(timeBudgetMilliseconds: 5000)
        #expect(try reader.read(scan) == ["96301BG0013002"])
        let (prepared, _) = try PagePreparer().prepare(scan)
        #expect(try reader.read(prepared) == ["96301BG0013002"])
        // The pipeline reads the page as decoded, within its default budget (CPU time, so a
        // busy machine does not cut it short).
        #expect(try DataMatrixReader().read(scan) == ["96301BG0013002"])
        // zbar, the reader for the other codes, does not see it.
        #expect(try BarcodeReader().read(prepared).isEmpty)
    }

    @Test("A cover sheet's Data Matrix in a multi-page TIFF is read")
    func coverCode() throws {
        let cover = try tiffPage("batches/cover_batch.tif", 1)
        #expect(try DataMatrixReader(timeBudgetMilliseconds: 5000).read(cover) == ["96302BG0021276"])
    }

    @Test("A page without a Data Matrix gives nothing, and the search stops at its CPU-time budget")
    func budget() throws {
        let page = try tiffPage("batches/cover_batch.tif", 2)
        let start = Self.threadCPUSeconds()
        let found = try DataMatrixReader(timeBudgetMilliseconds: 300).read(page)
        let spent = Self.threadCPUSeconds() - start
        #expect(found.isEmpty)
        // Budget plus the downscale and grey conversion; a search through the whole page costs
        // several seconds. CPU time, so the machine's load does not matter.
        #expect(spent < 1.0, "spent \(spent) s of CPU time")
    }

    @Test("Only code-like blobs are searched: under a tenth of a text page or photo, the code's place on the form")
    func candidates() throws {
        let reader = DataMatrixReader()
        for path in ["scan/au_bescheinigung_01.png", "photo/mietvertrag_03.jpg", "photo/kontoauszug_04.jpg"] {
            let document = try DocumentDecoder().decode(fileAt: TestKit.fixture(path))
            guard case .image(let image) = document.pages[0].content else { continue }
            let (scale, regions) = try reader.candidateRegions(in: image)
            let searched = regions.reduce(0) { $0 + $1.width * $1.height }
            let area = Double(image.width) * scale * Double(image.height) * scale
            #expect(Double(searched) / area < 0.10, "\(path): \(regions)")
        }
        let form = try PageImage.read(contentsOf: TestKit.fixture("batches/datamatrix_form.png"))
        let (scale, regions) = try reader.candidateRegions(in: form)
        #expect(!regions.isEmpty)
        // The code is at the top right of the form.
        let width = Int(Double(form.width) * scale), height = Int(Double(form.height) * scale)
        #expect(regions.contains { $0.x > width / 2 && $0.y < height / 3 }, "\(regions)")
    }

    static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    @Test("A zero budget searches nothing")
    func zeroBudget() throws {
        let scan = try PageImage.read(contentsOf: TestKit.fixture("batches/datamatrix_form.png"))
        #expect(try DataMatrixReader(timeBudgetMilliseconds: 0).read(scan).isEmpty)
    }
}

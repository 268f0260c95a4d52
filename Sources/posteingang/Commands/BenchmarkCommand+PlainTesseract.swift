import ChildProcesses
import Foundation
import Imaging
import Pipeline

/// Plain `tesseract` over the same uploads, the comparison beside ours: what it can read made
/// beforehand (not timed), then read N at a time.
extension BenchmarkCommand {
    /// What plain tesseract can read for each upload: the image itself, or the PDF's pages
    /// rendered at 300 dpi, or a HEIC's pages as PNG (tesseract reads no HEIC).
    static func plainTesseractInputs(_ files: [URL], scratch: URL) throws -> (all: [URL], pages: Int) {
        var inputs: [URL] = []
        for (index, file) in files.enumerated() {
            let format = try? FileFormat.detect(Data(contentsOf: file, options: .mappedIfSafe)).get()
            switch format {
            case .pdf?:
                let base = scratch.appendingPathComponent("\(index)")
                try ChildProcess("pdftoppm", ["-r", "300", "-gray", "-png", file.path, base.path], timeout: 600, package: "poppler-utils")
                    .run().check("pdftoppm")
                let rendered = try FileManager.default.contentsOfDirectory(at: scratch, includingPropertiesForKeys: nil)
                    .filter { $0.lastPathComponent.hasPrefix("\(index)-") }.sorted { $0.path < $1.path }
                inputs += rendered
            case .heic?:
                for page in try DocumentDecoder().decode(fileAt: file).pages {
                    guard case .image(let image) = page.content else { continue }
                    let png = scratch.appendingPathComponent("\(index)-heic-\(page.number).png")
                    try image.pngData().write(to: png)
                    inputs.append(png)
                }
            default:
                inputs.append(file)
            }
        }
        return (inputs, inputs.count)
    }

    /// Runs `tesseract FILE - -l deu` over the images (`PlainTesseract`, as `eval
    /// --compare-tesseract` does), `parallel` at a time; wall seconds and pages.
    static func plainTesseract(_ images: [URL], parallel: Int) throws -> (Double, Int) {
        let started = Date()
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = parallel
        for image in images {
            queue.addOperation { _ = PlainTesseract.read(image) }
        }
        queue.waitUntilAllOperationsAreFinished()
        let pages = images.map { url -> Int in
            (try? DocumentDecoder().decode(fileAt: url).pages.count) ?? 1
        }.reduce(0, +)
        return (Date().timeIntervalSince(started), pages)
    }
}

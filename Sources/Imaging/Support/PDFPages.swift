import Foundation

/// Cuts pages out of PDFs and joins them, with poppler's `pdfseparate` and `pdfunite` in child
/// processes: the pages keep their content as it is (text layer, images), nothing is re-rendered.
/// The part of a multi-document upload is filed as such a PDF of its own pages.
public struct PDFPages: Sendable {
    /// Seconds each tool may take.
    public var timeout: Double

    public init(timeout: Double = 60) {
        self.timeout = timeout
    }

    /// One page of a PDF, taken from `source` by 1-based `page`.
    public struct Page: Sendable {
        public var source: URL
        public var page: Int

        public init(source: URL, page: Int) {
            self.source = source
            self.page = page
        }
    }

    /// Writes `pages`, in order, as one PDF at `output`; `scratch` holds the single pages on the way.
    public func write(_ pages: [Page], to output: URL, scratch: URL) throws {
        guard !pages.isEmpty else { throw ImagingError.internalFailure(operation: "write a PDF of no pages") }
        let runner = ToolRunner(timeout: timeout)
        let folder = scratch.appendingPathComponent("pages-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var singles: [String] = []
        for (index, page) in pages.enumerated() {
            let pattern = folder.appendingPathComponent("\(index)-%d.pdf").path
            let cut = try runner.run("pdfseparate", ["-f", "\(page.page)", "-l", "\(page.page)", page.source.path, pattern])
            let single = folder.appendingPathComponent("\(index)-\(page.page).pdf").path
            guard cut.status == 0, FileManager.default.fileExists(atPath: single) else {
                throw ImagingError.pdfToolFailed(
                    tool: "pdfseparate", detail: "page \(page.page) of \(page.source.lastPathComponent): \(cut.stderr.prefix(200))")
            }
            singles.append(single)
        }
        try? FileManager.default.removeItem(at: output)
        if singles.count == 1 {
            try FileManager.default.moveItem(atPath: singles[0], toPath: output.path)
            return
        }
        let joined = try runner.run("pdfunite", singles + [output.path])
        guard joined.status == 0, FileManager.default.fileExists(atPath: output.path) else {
            throw ImagingError.pdfToolFailed(tool: "pdfunite", detail: String(joined.stderr.prefix(200)))
        }
    }
}

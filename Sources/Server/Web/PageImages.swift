import Akte
import ChildProcesses
import Foundation

/// PNG images of a document's pages for the browser: a thumbnail for the inbox and a larger
/// image for the document page.
///
/// The daemon keeps the straightened pages inside the searchable PDF (Tesseract's renderer
/// writes the prepared image under the text layer), so pages are rendered from that PDF with
/// poppler's `pdftoppm`; a born-digital PDF without one is rendered from the original. Images
/// are cached in the blob store (`DATA_DIR/cache/pages/` beside the folder store, `cache/pages/`
/// in a bucket), named by the PDF's hash, page and size.
struct PageImages: Sendable {
    enum Size: String, Sendable {
        case thumbnail
        case page

        /// Longest side in pixels.
        var pixels: Int {
            switch self {
            case .thumbnail: return 180
            case .page: return 1100
            }
        }
    }

    enum Problem: Error, CustomStringConvertible {
        case noRenderablePDF
        case noSuchPage(Int, pageCount: Int)
        case renderFailed(String)
        case timedOut(Double)

        var description: String {
            switch self {
            case .noRenderablePDF:
                return "Für dieses Dokument gibt es kein Seitenbild (weder durchsuchbares PDF noch PDF-Original)."
            case .noSuchPage(let page, let count):
                return "Seite \(page) gibt es nicht; das Dokument hat \(count) Seite(n)."
            case .renderFailed(let detail):
                return "Das Seitenbild konnte nicht erzeugt werden: \(detail)"
            case .timedOut(let seconds):
                return "Das Seitenbild wurde nicht innerhalb von \(Int(seconds)) s fertig."
            }
        }
    }

    /// A local folder for the PDF fetched from a remote store and for pdftoppm's output.
    let scratch: URL
    /// The PDFs, and where rendered images are cached (beside the blobs: every host sees them).
    let blobs: any BlobStore
    var timeout: Double = 20

    /// The PNG of `page` (1-based) at `size`, rendered once and then served from the cache.
    func png(of document: DocumentAccess, page: Int, size: Size) async throws -> Data {
        guard (1...max(1, document.pageCount)).contains(page) else {
            throw Problem.noSuchPage(page, pageCount: document.pageCount)
        }
        let pdfSha: String
        if let archive = document.archivePDFSha256 {
            pdfSha = archive
        } else if document.format.lowercased().contains("pdf") {
            pdfSha = document.sha256
        } else {
            throw Problem.noRenderablePDF
        }
        let name = "\(pdfSha)-p\(page)-\(size.rawValue).png"
        if let cached = try await blobs.cachedImage(named: name) { return cached }

        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let base = scratch.appendingPathComponent(".\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: base.path + ".png") }
        let source: URL
        if let local = try blobs.localFile(for: pdfSha) {
            guard FileManager.default.fileExists(atPath: local.path) else {
                throw AkteError.blobMissing(sha256: pdfSha, path: local.path)
            }
            source = local
        } else {
            source = base.appendingPathExtension("pdf")
            try await blobs.read(sha256: pdfSha).write(to: source)
        }
        defer { if source.path.hasPrefix(base.path) { try? FileManager.default.removeItem(at: source) } }
        try await run(
            "pdftoppm",
            ["-f", "\(page)", "-l", "\(page)", "-png", "-singlefile", "-scale-to", "\(size.pixels)", source.path, base.path])
        guard let data = FileManager.default.contents(atPath: base.path + ".png"), !data.isEmpty else {
            throw Problem.renderFailed("pdftoppm schrieb kein Bild")
        }
        try await blobs.cacheImage(data, named: name)
        return data
    }

    /// Runs a poppler tool without blocking a thread, killed after `timeout` seconds.
    private func run(_ tool: String, _ arguments: [String]) async throws {
        do {
            try await ChildProcess(tool, arguments, timeout: timeout, package: "poppler-utils").run().check(tool)
        } catch let error as ChildProcessError {
            switch error.reason {
            case .timedOut: throw Problem.timedOut(timeout)
            case .notInstalled: throw Problem.renderFailed("\(tool) nicht gefunden (Paket poppler-utils installieren)")
            case .cannotStart(let why): throw Problem.renderFailed("\(tool) startete nicht: \(why)")
            case .failed(let status, _): throw Problem.renderFailed("\(tool) endete mit Status \(status)")
            }
        }
    }
}

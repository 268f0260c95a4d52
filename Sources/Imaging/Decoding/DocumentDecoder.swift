import Foundation

/// Turns an uploaded file into pages: recognises the format by content, checks the limits,
/// and decodes. Blocking; call it from a worker thread, not from Swift's cooperative pool.
public struct DocumentDecoder: Sendable {
    public var limits: DecodeLimits
    /// When set, `decode(fileAt:)` runs in a child process with resource limits (see
    /// `DecoderIsolation`); when nil, in this process.
    public var isolation: DecoderIsolation?
    /// Threads a decoder may use for one file (libheif's grid tiles): the caller's share of the
    /// machine, e.g. the daemon's cores / workers. 1 decodes in the calling thread only.
    public var threads: Int

    public init(limits: DecodeLimits = .standard, isolation: DecoderIsolation? = nil, threads: Int = 1) {
        self.limits = limits
        self.isolation = isolation
        self.threads = max(1, threads)
    }

    /// A worker's share of this machine's cores when `workers` decode at once (at least 1).
    public static func threadShare(workers: Int) -> Int {
        max(1, ProcessInfo.processInfo.activeProcessorCount / max(workers, 1))
    }

    /// Decodes the file at `url`. Errors are `ImagingError`s that say what was wrong.
    public func decode(fileAt url: URL) throws -> DecodedDocument {
        if let isolation { return try decodeIsolated(fileAt: url, isolation: isolation) }
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        if size > limits.maxBytes { throw ImagingError.tooLarge(bytes: size, limit: limits.maxBytes) }
        let data = try Data(contentsOf: url)
        return try decode(data, path: url.path)
    }

    /// Decodes bytes already in memory. PDFs need a file for the poppler tools: `path` when the
    /// bytes came from one, else a private temporary copy.
    public func decode(_ data: Data, path: String? = nil) throws -> DecodedDocument {
        if data.isEmpty { throw ImagingError.emptyFile }
        if data.count > limits.maxBytes { throw ImagingError.tooLarge(bytes: data.count, limit: limits.maxBytes) }
        let format = try FileFormat.detect(data).get()
        let pages: [DecodedPage]
        switch format {
        case .jpeg, .png, .webp, .tiff:
            pages = try RasterDecoder(limits: limits).decode(data, format: format)
        case .heic:
            pages = try HEICDecoder(limits: limits, threads: threads).decode(data)
        case .pdf:
            if let path {
                pages = try PDFDecoder(limits: limits).decode(fileAt: path)
            } else {
                let temporary = FileManager.default.temporaryDirectory
                    .appendingPathComponent("posteingang-\(UUID().uuidString).pdf")
                try data.write(to: temporary, options: [.atomic])
                defer { try? FileManager.default.removeItem(at: temporary) }
                pages = try PDFDecoder(limits: limits).decode(fileAt: temporary.path)
            }
        }
        return DecodedDocument(format: format, pages: pages)
    }
}

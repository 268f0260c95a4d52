import Foundation

/// Turns an uploaded file into pages: recognises the format by content, checks the limits,
/// and decodes. Blocking; call it from a worker thread, not from Swift's cooperative pool.
public struct DocumentDecoder: Sendable {
    public var limits: DecodeLimits
    /// When set, `decode(fileAt:)` runs in a child process with resource limits (see
    /// `DecoderIsolation`); when nil, in this process.
    public var isolation: DecoderIsolation?

    public init(limits: DecodeLimits = .standard, isolation: DecoderIsolation? = nil) {
        self.limits = limits
        self.isolation = isolation
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
            pages = try HEICDecoder(limits: limits).decode(data)
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

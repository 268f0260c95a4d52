/// Limits checked before expensive work, so that a hostile or absurd file is refused cheaply.
/// Each one is configurable (`posteingang run --max-bytes …`); each refusal is a typed
/// `ImagingError` with its own code in the quarantine record.
public struct DecodeLimits: Sendable, Equatable, Codable {
    /// Largest accepted file, in bytes.
    public var maxBytes: Int
    /// Largest accepted page, in pixels (width × height), read from the header before decoding.
    public var maxPixelsPerPage: Int
    /// Most pages one document may have.
    public var maxPages: Int
    /// Resolution at which PDF pages without text are rendered for OCR.
    public var pdfRenderDPI: Int
    /// Seconds a PDF helper tool may take for one page before it is stopped.
    public var pdfToolTimeout: Double
    /// Most bytes the decoded pages of one document may take together (estimated from the
    /// headers before decoding, 4 bytes per pixel); in an isolated decoder it also bounds the
    /// child's address space.
    public var maxDecodedBytes: Int
    /// Seconds the whole decoding of one document may take in an isolated decoder (wall clock;
    /// CPU time is limited to the same number of seconds).
    public var decodeTimeout: Double

    public init(
        maxBytes: Int = 100 * 1024 * 1024, maxPixelsPerPage: Int = 50_000_000, maxPages: Int = 200,
        pdfRenderDPI: Int = 300, pdfToolTimeout: Double = 60, maxDecodedBytes: Int = 1024 * 1024 * 1024,
        decodeTimeout: Double = 120
    ) {
        self.maxBytes = maxBytes
        self.maxPixelsPerPage = maxPixelsPerPage
        self.maxPages = maxPages
        self.pdfRenderDPI = pdfRenderDPI
        self.pdfToolTimeout = pdfToolTimeout
        self.maxDecodedBytes = maxDecodedBytes
        self.decodeTimeout = decodeTimeout
    }

    public static let standard = DecodeLimits()

    func checkPixels(page: Int, width: Int, height: Int) throws {
        guard width > 0, height > 0 else {
            throw ImagingError.corrupt(format: "image", detail: "page \(page) declares \(width)x\(height) pixels")
        }
        if width.multipliedReportingOverflow(by: height).overflow || width * height > maxPixelsPerPage {
            throw ImagingError.tooManyPixels(page: page, width: width, height: height, limit: maxPixelsPerPage)
        }
    }

    /// Adds one page's pixels to the running total of a document and refuses it when the
    /// decoded pages together would pass `maxDecodedBytes`.
    func account(pixels: Int, bytesPerPixel: Int = 4, into total: inout Int) throws {
        total += pixels * bytesPerPixel
        if total > maxDecodedBytes { throw ImagingError.decodedMemory(bytes: total, limit: maxDecodedBytes) }
    }
}

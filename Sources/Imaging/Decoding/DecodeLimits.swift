/// Limits checked before expensive work, so that a hostile or absurd file is refused cheaply.
public struct DecodeLimits: Sendable, Equatable {
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

    public init(
        maxBytes: Int = 100 * 1024 * 1024, maxPixelsPerPage: Int = 50_000_000, maxPages: Int = 200,
        pdfRenderDPI: Int = 300, pdfToolTimeout: Double = 60
    ) {
        self.maxBytes = maxBytes
        self.maxPixelsPerPage = maxPixelsPerPage
        self.maxPages = maxPages
        self.pdfRenderDPI = pdfRenderDPI
        self.pdfToolTimeout = pdfToolTimeout
    }

    public static let standard = DecodeLimits()

    func checkPixels(page: Int, width: Int, height: Int) throws {
        guard width > 0, height > 0 else {
            throw ImagingError.corrupt(format: "image", detail: "page \(page) declares \(width)x\(height) pixels")
        }
        if width * height > maxPixelsPerPage {
            throw ImagingError.tooManyPixels(page: page, width: width, height: height, limit: maxPixelsPerPage)
        }
    }
}

/// What one page of an upload holds after decoding.
public enum PageContent: Sendable {
    /// A raster to be prepared and read by OCR.
    case image(PageImage)
    /// Text taken from a PDF's own text layer (born-digital pages): no OCR needed.
    case text(String)
}

/// One decoded page with what was done to it on the way.
public struct DecodedPage: Sendable {
    /// 1-based page number within the upload.
    public var number: Int
    public var content: PageContent
    /// What decoding did (e.g. "EXIF orientation 6 applied", "PDF text layer used").
    public var notes: [String]
    /// What a person must check before the page is trusted, in German for the review queue
    /// (e.g. "Die Bilddatei endet vorzeitig: etwa 62 % des Bildes gelesen; …"). Any reason
    /// sends the document to review.
    public var reviewReasons: [String]

    public init(number: Int, content: PageContent, notes: [String] = [], reviewReasons: [String] = []) {
        self.number = number
        self.content = content
        self.notes = notes
        self.reviewReasons = reviewReasons
    }
}

/// An upload turned into pages.
public struct DecodedDocument: Sendable {
    public var format: FileFormat
    public var pages: [DecodedPage]
}

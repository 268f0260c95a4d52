import Foundation

/// Where a filed document stands.
public enum DocumentStatus: String, Sendable, Codable, Equatable, CaseIterable {
    /// In its case file.
    case filed
    /// Waiting for a caseworker: class, case or fields are not sure enough.
    case needsReview = "needs_review"
    /// Kept but held back (suspicious or unreadable); an operator looks at it.
    case quarantined
}

/// A field the machine read, with its doubt.
public struct NewField: Sendable, Codable, Equatable {
    /// The field key of the class, e.g. `kaltmiete`, `iban`.
    public var key: String
    /// The normalised value (`"1234.56"`, `"2025-03-01"`, `"DE89…"`).
    public var value: String
    /// The value failed a check (checksum, sum, impossible date): a person should look.
    public var doubtful: Bool
    /// Why it is doubtful.
    public var reason: String?

    public init(key: String, value: String, doubtful: Bool = false, reason: String? = nil) {
        self.key = key
        self.value = value
        self.doubtful = doubtful
        self.reason = reason
    }
}

/// Everything the pipeline knows about one upload, handed to `AkteStore.file(_:)`.
///
/// The original (and the archive PDF) must be in the `BlobStore` before filing.
public struct NewDocument: Sendable, Equatable {
    public var uploadID: String
    /// SHA-256 of the original bytes, as stored in the `BlobStore`.
    public var sha256: String
    public var originalFilename: String
    /// `app`, `email`, `scanner`, `spool` …
    public var channel: String
    /// The upload time: the legal Eingangsdatum.
    public var receivedAt: Date
    /// Class id, e.g. `mietvertrag`, `sonstiges`.
    public var documentClass: String
    /// 0…1.
    public var classConfidence: Double
    public var status: DocumentStatus
    /// BG-Nummer of the matched case; must be in the register for the document to be filed.
    public var caseID: String?
    public var pageCount: Int
    /// Each page's text, when known (empty: only `text` is kept).
    public var pageTexts: [String]
    public var fields: [NewField]
    /// The whole OCR/PDF text, indexed for search (unless `sensitive`).
    public var text: String
    /// Why the decision needs a person, as the rules said it.
    public var reviewReasons: [String]
    /// Health data (Art. 9 GDPR): kept out of the full-text index.
    public var sensitive: Bool
    public var archivePDFSha256: String?
    /// Detected file format: `jpeg`, `pdf`, `tiff` …
    public var format: String
    /// The full analysis (rules that fired, candidates, scores) for explain.
    public var detailsJSON: String
    /// Who files it, e.g. `worker-1`.
    public var actor: String

    public init(
        uploadID: String, sha256: String, originalFilename: String, channel: String, receivedAt: Date,
        documentClass: String, classConfidence: Double, status: DocumentStatus, caseID: String?,
        pageCount: Int, pageTexts: [String] = [], fields: [NewField], text: String, reviewReasons: [String],
        sensitive: Bool, archivePDFSha256: String?, format: String, detailsJSON: String, actor: String
    ) {
        self.uploadID = uploadID
        self.sha256 = sha256
        self.originalFilename = originalFilename
        self.channel = channel
        self.receivedAt = receivedAt
        self.documentClass = documentClass
        self.classConfidence = classConfidence
        self.status = status
        self.caseID = caseID
        self.pageCount = pageCount
        self.pageTexts = pageTexts
        self.fields = fields
        self.text = text
        self.reviewReasons = reviewReasons
        self.sensitive = sensitive
        self.archivePDFSha256 = archivePDFSha256
        self.format = format
        self.detailsJSON = detailsJSON
        self.actor = actor
    }
}

/// What `file(_:)` did.
public enum FilingOutcome: Sendable, Equatable {
    /// A new document.
    case filed(documentID: String)
    /// The same bytes were filed before: this upload became one more receipt of that document.
    case duplicate(documentID: String)
    /// This upload was filed before (a retried job): nothing changed.
    case alreadyFiled(documentID: String)

    public var documentID: String {
        switch self {
        case .filed(let id), .duplicate(let id), .alreadyFiled(let id): return id
        }
    }
}

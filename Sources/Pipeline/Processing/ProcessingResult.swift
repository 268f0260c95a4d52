import Classification
import Foundation
import Imaging

/// Everything the pipeline decided about one upload: the record `process --json` prints and
/// the daemon files. Keys follow the JSON names of the command line's contract. The case and
/// how it was found are read from `analysis.caseMatch`, the one place they are decided.
public struct ProcessingResult: Sendable, Encodable {
    public var file: String
    public var sha256: String
    public var format: String
    public var pages: Int
    public var documentClass: String
    public var classConfidence: Double
    /// Field key → normalised value.
    public var fields: [String: String]
    /// Keys whose value failed a check.
    public var doubtfulFields: [String]
    public var needsReview: Bool
    public var reviewReasons: [String]
    public var sensitive: Bool
    public var text: String
    public var timingsMs: [String: Double]
    /// Per page: where the text came from and what preparation did.
    public var pageDetails: [PageDetail]
    /// The analysis in full (rules fired, field anchors, case evidence), for `explain`.
    public var analysis: DocumentAnalysis
    /// How the upload was split into documents (nil for a single page).
    public var split: SplitDecision?
    /// Set on a part: which pages of which upload it is.
    public var part: PartOrigin?
    /// The documents of a multi-document upload, each analysed on its own; nil when the upload
    /// is one document. The daemon files these instead of the upload as a whole.
    public var parts: [ProcessingResult]?

    /// The household, when one is certain.
    public var caseID: String? { analysis.caseMatch.caseID }
    /// How the case was found (`CaseMatch.Route`'s name).
    public var match: String { analysis.caseMatch.route.rawValue }

    public struct PageDetail: Sendable, Codable {
        public var number: Int
        public var source: String
        public var meanConfidence: Float?
        public var preparation: PreparationReport?
        public var barcodes: [String]
        public var notes: [String]
    }

    enum CodingKeys: String, CodingKey {
        case file, sha256, format, pages
        case documentClass = "class"
        case classConfidence = "class_confidence"
        case fields
        case doubtfulFields = "doubtful_fields"
        case caseID = "case"
        case match
        case needsReview = "needs_review"
        case reviewReasons = "review_reasons"
        case sensitive, text
        case timingsMs = "timings_ms"
        case pageDetails = "page_details"
        case analysis, split, part, parts
    }

    // `case` must be written as null rather than left out, so that tools see the key.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(format, forKey: .format)
        try c.encode(pages, forKey: .pages)
        try c.encode(documentClass, forKey: .documentClass)
        try c.encode(classConfidence, forKey: .classConfidence)
        try c.encode(fields, forKey: .fields)
        try c.encode(doubtfulFields, forKey: .doubtfulFields)
        try c.encode(caseID, forKey: .caseID)
        try c.encode(match, forKey: .match)
        try c.encode(needsReview, forKey: .needsReview)
        try c.encode(reviewReasons, forKey: .reviewReasons)
        try c.encode(sensitive, forKey: .sensitive)
        try c.encode(text, forKey: .text)
        try c.encode(timingsMs, forKey: .timingsMs)
        try c.encode(pageDetails, forKey: .pageDetails)
        try c.encode(analysis, forKey: .analysis)
        try c.encodeIfPresent(split, forKey: .split)
        try c.encodeIfPresent(part, forKey: .part)
        try c.encodeIfPresent(parts, forKey: .parts)
    }
}

/// Where a part of a multi-document upload comes from.
public struct PartOrigin: Sendable, Codable, Equatable {
    /// 1-based number of this part, and how many parts the upload has.
    public var number: Int
    public var of: Int
    /// Pages of the upload (1-based, inclusive).
    public var firstPage: Int
    public var lastPage: Int
    /// The cover sheet before it, if any.
    public var cover: CoverSheet?
    /// Why a document starts at `firstPage`.
    public var reason: String
    /// SHA-256 of the whole upload (kept once in the blob store).
    public var uploadSha256: String

    enum CodingKeys: String, CodingKey {
        case number, of
        case firstPage = "first_page"
        case lastPage = "last_page"
        case cover, reason
        case uploadSha256 = "upload_sha256"
    }
}

/// An input that could not be processed: the JSON line carries `file` and `error`.
public struct ProcessingFailure: Error, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var error: String
    /// Short machine-readable reason (e.g. `unsupported_format`, `corrupt`).
    public var reason: String
    /// The stage that failed: read, decode, ocr, classify.
    public var stage: String
    public var sha256: String?
    /// Whether another try may succeed (the file could not be opened, the engine failed);
    /// false when the input itself is the problem. Not part of the JSON.
    public var retryable: Bool = false

    enum CodingKeys: String, CodingKey {
        case file, error, reason, stage, sha256
    }

    public var description: String { "\(file): \(error)" }
}

import Foundation

/// Where an upload is on its way into the E-Akte.
public enum UploadState: String, Sendable, Codable, Equatable, CaseIterable {
    /// Taken in, waiting for a worker.
    case received
    /// A worker reads it.
    case processing
    /// Filed in a case.
    case filed
    /// Stored, and waiting for a person (unsure class or case, or quarantined).
    case needsReview = "needs_review"
    /// Refused for good (bad input); `reason` says why.
    case refused
}

/// The status of one upload, as the submitter may see it.
///
/// Looked up by upload id, it is that upload's own. Looked up by a hash that several uploads
/// share, it carries only what they share (the document), never another upload's id or time.
public struct UploadStatus: Sendable, Equatable {
    /// Nil when the status was looked up by a hash shared by several uploads.
    public var uploadID: String?
    public var sha256: String
    public var state: UploadState
    /// Why it was refused or waits for review.
    public var reason: String?
    /// The pipeline stage that refused it (`intake`, `decode`, `ocr` …).
    public var stage: String?
    public var documentID: String?
    /// The upload's Eingangsdatum; nil when the hash is shared by several uploads.
    public var receivedAt: Date?
    /// The documents of a multi-document upload, each with its pages and state; empty when the
    /// upload is one document.
    public var parts: [UploadPart] = []

    public init(
        uploadID: String?, sha256: String, state: UploadState, reason: String?, stage: String?,
        documentID: String?, receivedAt: Date?
    ) {
        self.uploadID = uploadID
        self.sha256 = sha256
        self.state = state
        self.reason = reason
        self.stage = stage
        self.documentID = documentID
        self.receivedAt = receivedAt
    }
}

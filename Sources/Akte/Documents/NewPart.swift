import Foundation

/// One document of a multi-document upload (a scanning centre's batch, a combined PDF),
/// handed to `AkteStore.fileParts`.
///
/// `document.sha256` names the part's own PDF of its pages (in the `BlobStore`); the upload's
/// original is stored once and named by the upload's hash.
public struct NewPart: Sendable, Equatable {
    public var document: NewDocument
    /// 1-based number of the part within its upload.
    public var number: Int
    /// 1-based first and last page of the upload that the part holds.
    public var firstPage: Int
    public var lastPage: Int
    /// The cover sheet's page before it, and its code's payload, if the batch had covers.
    public var coverPage: Int?
    public var coverPayload: String?
    /// Why the part starts where it does.
    public var reason: String

    public init(
        document: NewDocument, number: Int, firstPage: Int, lastPage: Int, coverPage: Int? = nil,
        coverPayload: String? = nil, reason: String
    ) {
        self.document = document
        self.number = number
        self.firstPage = firstPage
        self.lastPage = lastPage
        self.coverPage = coverPage
        self.coverPayload = coverPayload
        self.reason = reason
    }
}

/// The upload that a multi-document upload's part came from, as stored.
public struct UploadPart: Sendable, Equatable, Codable {
    public var uploadID: String
    public var number: Int
    /// How many parts the upload has.
    public var count: Int
    public var documentID: String
    public var firstPage: Int
    public var lastPage: Int
    public var coverPage: Int?
    public var coverPayload: String?
    public var reason: String
    /// `cover_sheets` or `content`.
    public var method: String
    /// The part's state: filed, or waiting for review (with the reasons).
    public var state: UploadState
    public var stateReason: String?
}

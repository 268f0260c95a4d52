import Foundation

/// A client token of the upload API as the E-Akte keeps it: never the token itself, only its
/// SHA-256 (a 256-bit random token needs no slow hash: it cannot be guessed from its digest).
public struct APIToken: Sendable, Equatable {
    /// Short public id (`tok-…`), shown in `tokens list` and used by `tokens revoke`.
    public var id: String
    /// The client's name, e.g. `jobcenter-app`; it becomes the channel of its uploads.
    public var client: String
    /// The one household this token may upload to and read, or nil for a channel token.
    public var caseID: String?
    /// Uploads accepted per minute.
    public var ratePerMinute: Int
    public var createdAt: Date
    public var createdBy: String
    public var revokedAt: Date?

    public var isRevoked: Bool { revokedAt != nil }
}

/// A token just made: the secret is shown once and never stored.
public struct IssuedAPIToken: Sendable {
    public var token: APIToken
    /// `pst_` and 64 hex digits (256 random bits).
    public var secret: String
}

/// One page file of an upload received over the API, kept unchanged in the blob store.
public struct APIUploadPart: Sendable, Equatable, Codable {
    public var fileName: String
    public var format: String
    public var bytes: Int
    public var sha256: String

    public init(fileName: String, format: String, bytes: Int, sha256: String) {
        self.fileName = fileName
        self.format = format
        self.bytes = bytes
        self.sha256 = sha256
    }
}

/// Who sent an upload over the API: the status of an upload is shown only to its own client.
public struct APIUpload: Sendable, Equatable {
    public var uploadID: String
    public var tokenID: String
    public var client: String
    public var caseID: String?
    public var fileName: String
    public var bytes: Int
    /// SHA-256 of the file put into the spool (the single file, or the pages combined).
    public var sha256: String
    public var acceptedAt: Date
    public var parts: [APIUploadPart]

    public init(
        uploadID: String, tokenID: String, client: String, caseID: String?, fileName: String, bytes: Int,
        sha256: String, acceptedAt: Date, parts: [APIUploadPart]
    ) {
        self.uploadID = uploadID
        self.tokenID = tokenID
        self.client = client
        self.caseID = caseID
        self.fileName = fileName
        self.bytes = bytes
        self.sha256 = sha256
        self.acceptedAt = acceptedAt
        self.parts = parts
    }
}

/// The first answer given to an `Idempotency-Key`, replayed to retries.
public struct StoredAPIAnswer: Sendable, Equatable {
    /// Fingerprint of the request's content (files and fields), to tell a retry from a different request.
    public var requestSha256: String
    public var uploadID: String
    public var httpStatus: Int
    public var responseJSON: String

    public init(requestSha256: String, uploadID: String, httpStatus: Int, responseJSON: String) {
        self.requestSha256 = requestSha256
        self.uploadID = uploadID
        self.httpStatus = httpStatus
        self.responseJSON = responseJSON
    }
}

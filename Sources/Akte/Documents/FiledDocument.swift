import Foundation

/// A field of a filed document: what the machine read and what holds now.
public struct DocumentField: Sendable, Equatable {
    public var key: String
    /// What the machine read; nil when a caseworker added a field the machine did not find.
    public var machineValue: String?
    /// The value that holds: the latest correction, else the machine's.
    public var value: String
    /// The machine's doubt; a corrected field is no longer doubtful.
    public var doubtful: Bool
    public var reason: String?
    public var corrected: Bool

    public init(key: String, machineValue: String?, value: String, doubtful: Bool, reason: String?, corrected: Bool) {
        self.key = key
        self.machineValue = machineValue
        self.value = value
        self.doubtful = doubtful
        self.reason = reason
        self.corrected = corrected
    }
}

/// One upload that brought a document's bytes (the same bytes may come twice).
public struct Receipt: Sendable, Equatable {
    public var uploadID: String
    public var filename: String
    public var channel: String
    /// This upload's Eingangsdatum.
    public var receivedAt: Date
    public var submitter: String?
    /// What the citizen wrote with the upload (the API's `note`), if anything.
    public var note: String? = nil
}

/// The class, status and case of a document, as the machine decided or as they hold now.
public struct DocumentDecision: Sendable, Equatable {
    public var documentClass: String
    public var status: DocumentStatus
    public var caseID: String?
}

/// A document as a caseworker opens it.
public struct FiledDocument: Sendable, Equatable {
    public var id: String
    /// SHA-256 of the original in the `BlobStore`.
    public var sha256: String
    public var originalFilename: String
    public var channel: String
    /// The first upload's time: the legal Eingangsdatum.
    public var receivedAt: Date
    public var format: String
    public var pageCount: Int
    public var pageTexts: [String]
    public var text: String
    public var sensitive: Bool
    public var archivePDFSha256: String?
    public var classConfidence: Double
    public var reviewReasons: [String]
    public var detailsJSON: String
    public var filedAt: Date
    public var filedBy: String
    /// What the machine decided; never changed.
    public var machine: DocumentDecision
    /// What holds now, after caseworkers' corrections.
    public var effective: DocumentDecision
    public var fields: [DocumentField]
    public var receipts: [Receipt]
    public var corrections: [Correction]
}

/// A document in a list (inbox, review queue, case file, search).
public struct DocumentSummary: Sendable, Equatable {
    public var id: String
    public var originalFilename: String
    public var receivedAt: Date
    /// Effective (corrected) class, status and case.
    public var documentClass: String
    public var status: DocumentStatus
    public var caseID: String?
    public var classConfidence: Double
    public var sensitive: Bool
    public var reviewReasons: [String]
}

/// A search result: the document and a snippet with the matches in `[` `]`.
public struct SearchHit: Sendable, Equatable {
    /// The most hits a search returns (the best by rank).
    public static let limit = 200

    public var document: DocumentSummary
    public var snippet: String
}

import Foundation

/// The order of the inbox. Documents without a case come first in every order: they need the
/// most work.
public enum InboxOrder: String, Sendable, CaseIterable {
    /// Newest received first.
    case newest = "neueste"
    /// Oldest received first.
    case oldest = "aelteste"
    /// Lowest class confidence first (the least sure at the top).
    case leastSure = "unsicherste"
    /// By class, then newest first.
    case documentClass = "klasse"
}

/// What the caseworkers' inbox shows, narrowed by the filters a caseworker sets.
public struct InboxFilter: Sendable, Equatable {
    /// Effective (corrected) class.
    public var documentClass: String?
    public var caseID: String?
    public var status: DocumentStatus?
    /// Received on or after.
    public var receivedFrom: Date?
    /// Received before.
    public var receivedBefore: Date?
    /// Health data is left out unless the caseworker may open it.
    public var includeHealthData: Bool
    public var limit: Int
    /// Documents skipped before the first one listed (pagination).
    public var offset: Int = 0
    public var order: InboxOrder = .newest

    public init(
        documentClass: String? = nil, caseID: String? = nil, status: DocumentStatus? = nil, receivedFrom: Date? = nil,
        receivedBefore: Date? = nil, includeHealthData: Bool = false, limit: Int = 200
    ) {
        self.documentClass = documentClass
        self.caseID = caseID
        self.status = status
        self.receivedFrom = receivedFrom
        self.receivedBefore = receivedBefore
        self.includeHealthData = includeHealthData
        self.limit = limit
    }
}

/// A document in the caseworkers' lists: its summary, the fields as they hold now, and the
/// machine's analysis (JSON, with the reasons and candidate cases for review).
public struct CaseworkerListEntry: Sendable, Equatable {
    public var summary: DocumentSummary
    public var fields: [DocumentField]
    public var detailsJSON: String
}

/// What is needed to decide whether someone may open a document, and what can be shown of it,
/// read without auditing a view.
public struct DocumentAccess: Sendable, Equatable {
    public var id: String
    public var sha256: String
    public var format: String
    public var originalFilename: String
    public var pageCount: Int
    public var archivePDFSha256: String?
    /// True for health data: marked sensitive at filing, or classed (by machine or caseworker)
    /// as a health-data class.
    public var isHealthData: Bool
}

/// Classes that are health data whatever the `sensitive` flag says (a caseworker may reclassify
/// a document into one).
public enum HealthData {
    public static let classes: Set<String> = ["au_bescheinigung"]
}

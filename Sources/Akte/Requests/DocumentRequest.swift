import Foundation

/// Documents a caseworker asked a household for (§ 66 SGB I: benefits may be withheld
/// when they do not come): a class, optionally the period they must cover, and a due date.
/// Whether it is fulfilled is computed from the filed documents each time (`Findings`); what is
/// stored is the request itself and, once a caseworker takes it back, its closing.
public struct DocumentRequest: Sendable, Equatable {
    /// 1, 2, 3 … in the order requests were recorded (`requests close ID`).
    public var id: Int64
    public var bgNummer: String
    /// The class asked for, an id of `pipeline.yml` (`kontoauszug`).
    public var documentClass: String
    /// The days the documents must cover without a gap; nil: any one document of the class
    /// received on or after the day of the request.
    public var period: RequestedPeriod?
    /// ISO day by which the documents are due; the day after it the request is overdue.
    public var dueDate: String
    /// What the caseworker noted when asking (may be empty).
    public var note: String
    public var requestedBy: String
    public var requestedAt: Date
    /// Set when a caseworker took the request back.
    public var closing: RequestClosing?

    public init(
        id: Int64, bgNummer: String, documentClass: String, period: RequestedPeriod?, dueDate: String, note: String,
        requestedBy: String, requestedAt: Date, closing: RequestClosing? = nil
    ) {
        self.id = id
        self.bgNummer = bgNummer
        self.documentClass = documentClass
        self.period = period
        self.dueDate = dueDate
        self.note = note
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.closing = closing
    }

    public var isClosed: Bool { closing != nil }
}

/// The days a request's documents must cover, both ISO days, inclusive (`2025-01-01` to
/// `2025-03-31` for "statements of January to March").
public struct RequestedPeriod: Sendable, Equatable {
    public var from: String
    public var to: String

    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }
}

/// A caseworker's taking back of a request: who, when, and why.
public struct RequestClosing: Sendable, Equatable {
    public var closedBy: String
    public var closedAt: Date
    public var note: String

    public init(closedBy: String, closedAt: Date, note: String) {
        self.closedBy = closedBy
        self.closedAt = closedAt
        self.note = note
    }
}

/// What a caseworker asks for, before it is stored.
public struct NewDocumentRequest: Sendable, Equatable {
    public var bgNummer: String
    public var documentClass: String
    public var period: RequestedPeriod?
    public var dueDate: String
    public var note: String

    public init(bgNummer: String, documentClass: String, period: RequestedPeriod?, dueDate: String, note: String = "") {
        self.bgNummer = bgNummer
        self.documentClass = documentClass
        self.period = period
        self.dueDate = dueDate
        self.note = note
    }
}

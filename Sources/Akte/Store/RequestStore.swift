import Foundation

/// Documents a caseworker asked a household for.
public protocol RequestStore: Sendable {
    /// The store's clock: "today" for due dates is read from it, so that tests can set it.
    func currentDate() -> Date
    @discardableResult
    func addRequest(_ request: NewDocumentRequest, by actor: String) throws -> DocumentRequest
    @discardableResult
    func closeRequest(id: Int64, note: String, by actor: String) throws -> DocumentRequest
    func request(id: Int64) throws -> DocumentRequest
    func requests(inCase bgNummer: String, includeClosed: Bool) throws -> [DocumentRequest]
    func casesWithRequests(includeClosed: Bool) throws -> [String]
    /// The audit entries of one request (added, closed), oldest first.
    func auditTrail(requestID: Int64) throws -> [AuditEntry]
}

extension RequestStore {
    public func requests(inCase bgNummer: String) throws -> [DocumentRequest] {
        try requests(inCase: bgNummer, includeClosed: false)
    }

    public func casesWithRequests() throws -> [String] {
        try casesWithRequests(includeClosed: false)
    }
}

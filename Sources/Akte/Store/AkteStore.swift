import Foundation

/// The E-Akte as its callers (daemon, server, commands) hold it: every concern of the store in
/// one type. Two backends conform: `SQLiteAkte` (one file, the embedded default) and
/// `PostgresAkte` (several machines). Open one with `AkteStores.open(database:dataDirectory:)`.
///
/// Blobs (originals, archive PDFs) live in a `BlobStore` beside it; the store keeps their hashes.
public protocol AkteStore: DocumentStore, CaseworkerStore, CaseworkerViewStore, WorkStore, RequestStore, APIClientStore {
    /// The schema migrations applied to this store, oldest first.
    func appliedMigrations() throws -> [String]
    /// Where the store lives, for messages (`/data/akte.sqlite`, `postgres://akte@db:5432/akte`).
    var location: String { get }
}

/// The documents' side of the E-Akte: the case register, uploads, filed documents, corrections,
/// search, findings' reviews and the audit trail.
public protocol DocumentStore: Sendable {
    // MARK: Case register

    /// Adds and updates persons and their households (idempotent); `rejected` are the caller's
    /// parse failures, passed through to the report.
    func importRegister(_ persons: [RegisterPerson], rejected: [RegisterRejection]) throws -> RegisterImportReport
    func households() throws -> [Household]
    func persons(inCase bgNummer: String) throws -> [RegisterPerson]
    func caseExists(_ bgNummer: String) throws -> Bool

    // MARK: Uploads

    /// Records an upload at intake (audited as `received`); repeating it with the same bytes is a no-op.
    /// `note` is what the citizen wrote with it, kept for the caseworker (`UploadNote.stored`).
    func recordReceived(
        uploadID: String, sha256: String, filename: String, channel: String, receivedAt: Date, submitter: String?,
        note: String?
    ) throws
    func markProcessing(uploadID: String) throws
    /// Refuses an upload for good (audited as `refused`).
    func markRefused(uploadID: String, reason: String, stage: String) throws
    /// Refuses an upload for good, creating its record if it was refused before being recorded.
    func recordRefused(
        uploadID: String, sha256: String, filename: String, channel: String, receivedAt: Date, reason: String,
        stage: String) throws
    /// The status of an upload, by its id or by the SHA-256 of its bytes.
    func uploadStatus(idOrSha: String) throws -> UploadStatus?

    // MARK: Filing

    /// Files a document, in one transaction, exactly once per upload and once per content.
    func file(_ document: NewDocument) throws -> FilingOutcome
    /// Files the documents of a multi-document upload, in one transaction, each on its own.
    func fileParts(
        uploadID: String, uploadSha256: String, filename: String, channel: String, receivedAt: Date, method: String,
        parts: [NewPart], actor: String
    ) throws -> [FilingOutcome]

    // MARK: Corrections (audited as `corrected`)

    func assign(documentID: String, caseID: String, by actor: String) throws
    func reclassify(documentID: String, to documentClass: String, by actor: String) throws
    func setField(documentID: String, key: String, value: String, by actor: String) throws
    /// Takes a document out of review into its case (audited as `review_resolved`).
    func resolveReview(documentID: String, by actor: String, note: String?) throws

    // MARK: Queries

    /// Documents received since `since` (all when nil), in one case when given, newest first.
    func inbox(since: Date?, caseID: String?, limit: Int) throws -> [DocumentSummary]
    /// Documents waiting for a person, oldest first.
    func reviewQueue() throws -> [DocumentSummary]
    /// A case file's documents, newest first.
    func documents(inCase bgNummer: String) throws -> [DocumentSummary]
    /// Opens a document; audited as `viewed` by `viewer`.
    func document(id: String, viewer: String) throws -> FiledDocument
    /// Full-text search; `cases` limits it to those case files (nil: all, for operators).
    func search(_ text: String, cases: Set<String>?) throws -> [SearchHit]
    func recordExport(documentID: String, by actor: String) throws
    /// Caseworkers' corrections since a time (all when nil), oldest first.
    func corrections(since: Date?) throws -> [Correction]

    // MARK: Findings

    /// Marks a finding of a household as checked ("geprüft") with a note (audited as
    /// `finding_reviewed`); the documents must be in that case. Changes no value.
    func markFindingReviewed(
        bgNummer: String, findingKey: String, code: String, documentIDs: [String], note: String, by actor: String
    ) throws
    /// The latest "geprüft" of each finding key of a household.
    func findingReviews(inCase bgNummer: String) throws -> [String: FindingReview]

    // MARK: Audit

    func auditTrail(documentID: String) throws -> [AuditEntry]
    /// Recomputes the hash chain and reports the first altered, missing or unlinked entry.
    func verifyAuditChain() throws -> AuditChainReport
    /// The entries that pass `filter`, oldest first (of the newest `filter.limit`).
    func auditLog(_ filter: AuditLogFilter) throws -> [AuditEntry]
    /// Audits that `actor` read the access log of a household (`access_log_read`).
    func recordAccessLogRead(caseID: String, by actor: String) throws
    /// The summaries of these documents by id (unknown ids left out); not a view, not audited.
    func documentSummaries(ids: Set<String>) throws -> [String: DocumentSummary]
    /// The parts of an upload with each part's state; empty for an upload of one document.
    func parts(ofUpload uploadID: String) throws -> [UploadPart]
    /// Where a document came from when it is a part of multi-document uploads (one entry per
    /// upload that brought it); empty for a document uploaded on its own.
    func parts(ofDocument documentID: String) throws -> [UploadPart]
}

extension DocumentStore {
    public func importRegister(_ persons: [RegisterPerson]) throws -> RegisterImportReport {
        try importRegister(persons, rejected: [])
    }

    /// An upload without a note.
    public func recordReceived(
        uploadID: String, sha256: String, filename: String, channel: String, receivedAt: Date, submitter: String?
    ) throws {
        try recordReceived(
            uploadID: uploadID, sha256: sha256, filename: filename, channel: channel, receivedAt: receivedAt,
            submitter: submitter, note: nil)
    }

    public func resolveReview(documentID: String, by actor: String) throws {
        try resolveReview(documentID: documentID, by: actor, note: nil)
    }

    public func search(_ text: String) throws -> [SearchHit] {
        try search(text, cases: nil)
    }
}

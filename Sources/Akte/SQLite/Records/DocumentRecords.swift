import Foundation
import GRDB

/// A row of `documents`: the machine's decision (`documentClass`, `status`, `caseID`, never
/// updated) beside the effective one (`effective…`, changed by corrections).
struct DocumentRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "documents"
    var id: String
    var sha256: String
    var originalFilename: String
    var channel: String
    var receivedAt: Date
    var format: String
    var documentClass: String
    var classConfidence: Double
    var status: DocumentStatus
    var caseID: String?
    var pageCount: Int
    var text: String
    var reviewReasons: [String]
    var sensitive: Bool
    var archivePDFSha256: String?
    var detailsJSON: String
    var filedAt: Date
    var filedBy: String
    var effectiveClass: String
    var effectiveStatus: DocumentStatus
    var effectiveCaseID: String?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let sha256 = Column(CodingKeys.sha256)
        static let receivedAt = Column(CodingKeys.receivedAt)
        static let effectiveClass = Column(CodingKeys.effectiveClass)
        static let effectiveStatus = Column(CodingKeys.effectiveStatus)
        static let effectiveCaseID = Column(CodingKeys.effectiveCaseID)
    }

    var machineDecision: DocumentDecision {
        DocumentDecision(documentClass: documentClass, status: status, caseID: caseID)
    }

    var effectiveDecision: DocumentDecision {
        DocumentDecision(documentClass: effectiveClass, status: effectiveStatus, caseID: effectiveCaseID)
    }

    var summary: DocumentSummary {
        DocumentSummary(
            id: id, originalFilename: originalFilename, receivedAt: receivedAt, documentClass: effectiveClass,
            status: effectiveStatus, caseID: effectiveCaseID, classConfidence: classConfidence,
            sensitive: sensitive, reviewReasons: reviewReasons)
    }

    /// The document as a caseworker reads it: its pages' texts, the fields as corrected, its
    /// receipts (the backend's part receipts included) and corrections.
    func filed(pages: [PageRecord], machineFields: [FieldRecord], receipts: [Receipt], corrections: [Correction]) -> FiledDocument {
        FiledDocument(
            id: id, sha256: sha256, originalFilename: originalFilename,
            channel: channel, receivedAt: receivedAt, format: format,
            pageCount: pageCount, pageTexts: pages.map { $0.text ?? "" }, text: text,
            sensitive: sensitive, archivePDFSha256: archivePDFSha256,
            classConfidence: classConfidence, reviewReasons: reviewReasons,
            detailsJSON: detailsJSON, filedAt: filedAt, filedBy: filedBy,
            machine: machineDecision, effective: effectiveDecision,
            fields: AkteRules.effectiveFields(machine: machineFields, corrections: corrections),
            receipts: receipts, corrections: corrections)
    }
}

struct PageRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "pages"
    var documentID: String
    var number: Int
    var text: String?

    enum Columns {
        static let documentID = Column(CodingKeys.documentID)
        static let number = Column(CodingKeys.number)
    }
}

struct FieldRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "fields"
    var documentID: String
    var key: String
    var value: String
    var doubtful: Bool
    var reason: String?

    enum Columns {
        static let documentID = Column(CodingKeys.documentID)
        static let key = Column(CodingKeys.key)
    }
}

struct CorrectionRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "corrections"
    var id: Int64?
    var documentID: String
    var kind: CorrectionKind
    var key: String?
    var machineValue: String?
    var previousValue: String?
    var newValue: String?
    var actor: String
    var at: Date

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let documentID = Column(CodingKeys.documentID)
        static let kind = Column(CodingKeys.kind)
        static let key = Column(CodingKeys.key)
        static let at = Column(CodingKeys.at)
    }

    var correction: Correction {
        Correction(
            id: id ?? 0, documentID: documentID, kind: kind, key: key, machineValue: machineValue,
            previousValue: previousValue, newValue: newValue, actor: actor, at: at)
    }
}

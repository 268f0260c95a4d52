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

extension DocumentRecord {
    /// A new document's row as filed. Filing in the wrong case is a data breach: a case the
    /// register does not know (`caseRegistered` false), or no case at all, sends the document to a
    /// person instead (effective status `needsReview`, with the reason).
    init(filing document: NewDocument, id: String, filedAt: Date, caseRegistered: Bool) {
        self.init(
            id: id, sha256: document.sha256, originalFilename: document.originalFilename,
            channel: document.channel, receivedAt: document.receivedAt, format: document.format,
            documentClass: document.documentClass, classConfidence: document.classConfidence,
            status: document.status, caseID: document.caseID, pageCount: document.pageCount,
            text: document.text, reviewReasons: document.reviewReasons, sensitive: document.sensitive,
            archivePDFSha256: document.archivePDFSha256, detailsJSON: document.detailsJSON, filedAt: filedAt,
            filedBy: document.actor, effectiveClass: document.documentClass, effectiveStatus: document.status,
            effectiveCaseID: document.caseID)
        if let caseID = document.caseID, !caseRegistered {
            effectiveCaseID = nil
            reviewReasons.append(AkteRules.caseNotInRegister(caseID))
            if effectiveStatus == .filed { effectiveStatus = .needsReview }
        } else if document.caseID == nil, effectiveStatus == .filed {
            reviewReasons.append(AkteRules.noCaseMatched)
            effectiveStatus = .needsReview
        }
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

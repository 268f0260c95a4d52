import Foundation
import GRDB

extension SQLiteAkte {
    public func file(_ document: NewDocument) throws -> FilingOutcome {
        try AkteRules.validate(document)
        let filedAt = now()
        return try dbPool.write { db in
            // A retried job: this upload is filed already.
            if let receipt = try ReceiptRecord.fetchOne(db, key: document.uploadID) {
                return .alreadyFiled(documentID: receipt.documentID)
            }
            let upload = try UploadRecord.fetchOne(db, key: document.uploadID)
            if let upload, upload.sha256 != document.sha256 {
                throw AkteError.uploadIDConflict(
                    uploadID: document.uploadID, recordedSha256: upload.sha256, newSha256: document.sha256)
            }

            // The same bytes again: one document, one more receipt.
            if let existing = try DocumentRecord.filter(DocumentRecord.Columns.sha256 == document.sha256)
                .fetchOne(db)
            {
                try addReceipt(for: document, to: existing.id, upload: upload, at: filedAt, db)
                try audit(
                    db, .filed, actor: document.actor, documentID: existing.id, uploadID: document.uploadID,
                    details: ["as": "receipt", "duplicateOf": .text(existing.id)])
                return .duplicate(documentID: existing.id)
            }

            let id = UUID().uuidString.lowercased()
            let record = try insertDocument(document, id: id, filedAt: filedAt, db)
            try addReceipt(for: document, to: id, upload: upload, at: filedAt, db)
            try auditNewDocument(record, document, db)
            return .filed(documentID: id)
        }
    }

    /// Inserts a new document with its pages, fields and search text. The caller links it to its
    /// upload, then writes its audit entries with `auditNewDocument`.
    func insertDocument(_ document: NewDocument, id: String, filedAt: Date, _ db: Database) throws -> DocumentRecord {
        let record = DocumentRecord(
            filing: document, id: id, filedAt: filedAt,
            caseRegistered: try document.caseID.map { try HouseholdRecord.exists(db, key: $0) } ?? false)
        try record.insert(db)

        for number in 0..<document.pageCount {
            let text = number < document.pageTexts.count ? document.pageTexts[number] : nil
            try PageRecord(documentID: id, number: number + 1, text: text).insert(db)
        }
        for field in document.fields {
            try FieldRecord(
                documentID: id, key: field.key, value: field.value, doubtful: field.doubtful,
                reason: field.reason
            ).insert(db)
        }
        if !document.sensitive {
            try db.execute(
                sql: "INSERT INTO documentText(documentID, text) VALUES (?, ?)", arguments: [id, document.text])
        }
        return record
    }

    /// The audit entries of a new document: classified, then filed, moved to review or quarantined.
    func auditNewDocument(
        _ record: DocumentRecord, _ document: NewDocument, classifiedDetails: [String: AuditDetail] = [:], _ db: Database
    ) throws {
        for (action, details) in AkteRules.newDocumentAudit(record, document, classifiedDetails: classifiedDetails) {
            try audit(db, action, actor: document.actor, documentID: record.id, uploadID: document.uploadID, details: details)
        }
    }

    /// Links the upload to its document: a receipt, the upload's row, and `received` in the
    /// audit trail unless `recordReceived` wrote it at intake.
    private func addReceipt(
        for document: NewDocument, to documentID: String, upload: UploadRecord?, at date: Date, _ db: Database
    ) throws {
        try ReceiptRecord(
            uploadID: document.uploadID, documentID: documentID,
            filename: upload?.filename ?? document.originalFilename,
            channel: upload?.channel ?? document.channel, receivedAt: upload?.receivedAt ?? document.receivedAt,
            submitter: upload?.submitter, note: upload?.note
        ).insert(db)
        if var upload {
            try Self.markFiled(&upload, documentID: documentID, at: date, db)
        } else {
            try UploadRecord(
                id: document.uploadID, sha256: document.sha256, filename: document.originalFilename,
                channel: document.channel, receivedAt: document.receivedAt, submitter: nil, note: nil, state: .filed,
                reason: nil, stage: nil, documentID: documentID, updatedAt: date
            ).insert(db)
            try audit(
                db, .received, actor: document.actor, documentID: documentID, uploadID: document.uploadID,
                details: AkteRules.receivedDetails(
                    sha256: document.sha256, filename: document.originalFilename, channel: document.channel,
                    receivedAt: document.receivedAt))
        }
    }

}

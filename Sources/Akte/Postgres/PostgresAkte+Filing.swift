import Foundation

/// Filing, exactly once per upload (`receipts` keyed by upload) and once per content
/// (`documents.sha256` unique), in one transaction. When another host files the same upload
/// or the same bytes at the same moment, one insert hits the unique key, the transaction runs
/// again and then finds the other's document: `.alreadyFiled` or `.duplicate`, as on SQLite.
extension PostgresAkte {
    public func file(_ document: NewDocument) throws -> FilingOutcome {
        try AkteRules.validate(document)
        let filedAt = now()
        return try write { db in
            if let receipt = try db.fetchOne(
                ReceiptRecord.self, "SELECT * FROM receipts WHERE uploadID = $1", [document.uploadID])
            {
                // A second worker with the same job (its first holder's lease ran out while it filed).
                try PostgresWorkQueue.finish(document.uploadID, state: "done", code: nil, reason: nil, db)
                return .alreadyFiled(documentID: receipt.documentID)
            }
            let upload = try Self.upload(document.uploadID, db, forUpdate: true)
            if let upload, upload.sha256 != document.sha256 {
                throw AkteError.uploadIDConflict(
                    uploadID: document.uploadID, recordedSha256: upload.sha256, newSha256: document.sha256)
            }
            if let existing = try db.fetchOne(
                DocumentRecord.self, "SELECT * FROM documents WHERE sha256 = $1", [document.sha256])
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

    func insertDocument(_ document: NewDocument, id: String, filedAt: Date, _ db: PostgresConnection) throws -> DocumentRecord {
        let record = DocumentRecord(
            filing: document, id: id, filedAt: filedAt, caseRegistered: try document.caseID.map { try Self.caseExists($0, db) } ?? false)
        try db.insert(record, into: "documents")
        for number in 0..<document.pageCount {
            let text = number < document.pageTexts.count ? document.pageTexts[number] : nil
            try db.insert(PageRecord(documentID: id, number: number + 1, text: text), into: "pages")
        }
        for field in document.fields {
            try db.insert(
                FieldRecord(documentID: id, key: field.key, value: field.value, doubtful: field.doubtful, reason: field.reason),
                into: "fields")
        }
        if !document.sensitive {
            try db.query("INSERT INTO documentText (documentID, text) VALUES ($1, $2)", [id, document.text])
        }
        return record
    }

    func auditNewDocument(
        _ record: DocumentRecord, _ document: NewDocument, classifiedDetails: [String: AuditDetail] = [:],
        _ db: PostgresConnection
    ) throws {
        for (action, details) in AkteRules.newDocumentAudit(record, document, classifiedDetails: classifiedDetails) {
            try audit(db, action, actor: document.actor, documentID: record.id, uploadID: document.uploadID, details: details)
        }
    }

    private func addReceipt(
        for document: NewDocument, to documentID: String, upload: UploadRecord?, at date: Date, _ db: PostgresConnection
    ) throws {
        try db.insert(
            ReceiptRecord(
                uploadID: document.uploadID, documentID: documentID,
                filename: upload?.filename ?? document.originalFilename,
                channel: upload?.channel ?? document.channel, receivedAt: upload?.receivedAt ?? document.receivedAt,
                submitter: upload?.submitter, note: upload?.note), into: "receipts")
        if upload != nil {
            try Self.markFiled(document.uploadID, documentID: documentID, at: date, db)
        } else {
            try db.insert(
                UploadRecord(
                    id: document.uploadID, sha256: document.sha256, filename: document.originalFilename,
                    channel: document.channel, receivedAt: document.receivedAt, submitter: nil, state: .filed,
                    reason: nil, stage: nil, documentID: documentID, updatedAt: date), into: "uploads")
            try PostgresWorkQueue.finish(document.uploadID, state: "done", code: nil, reason: nil, db)
            try audit(
                db, .received, actor: document.actor, documentID: documentID, uploadID: document.uploadID,
                details: AkteRules.receivedDetails(
                    sha256: document.sha256, filename: document.originalFilename, channel: document.channel,
                    receivedAt: document.receivedAt))
        }
    }

    /// The upload filed, and its job in the work queue ended in the same transaction: a worker
    /// that dies after this commit leaves nothing to redo, one that dies before leaves both.
    static func markFiled(_ uploadID: String, documentID: String, at date: Date, _ db: PostgresConnection) throws {
        try db.query(
            "UPDATE uploads SET state = 'filed', documentID = $1, reason = NULL, stage = NULL, updatedAt = $2 WHERE id = $3",
            [documentID, date, uploadID])
        try PostgresWorkQueue.finish(uploadID, state: "done", code: nil, reason: nil, db)
    }

    // MARK: - Multi-document uploads

    public func fileParts(
        uploadID: String, uploadSha256: String, filename: String, channel: String, receivedAt: Date, method: String,
        parts: [NewPart], actor: String
    ) throws -> [FilingOutcome] {
        try AkteRules.validateParts(uploadID: uploadID, uploadSha256: uploadSha256, parts: parts)
        let filedAt = now()
        return try write { db in
            let earlier = try db.fetchAll(
                UploadPartRecord.self, "SELECT * FROM uploadParts WHERE uploadID = $1 ORDER BY partNumber", [uploadID])
            if !earlier.isEmpty {
                try PostgresWorkQueue.finish(uploadID, state: "done", code: nil, reason: nil, db)
                return earlier.map { .alreadyFiled(documentID: $0.documentID) }
            }

            if let recorded = try Self.upload(uploadID, db, forUpdate: true) {
                guard recorded.sha256 == uploadSha256 else {
                    throw AkteError.uploadIDConflict(uploadID: uploadID, recordedSha256: recorded.sha256, newSha256: uploadSha256)
                }
            } else {
                try db.insert(
                    UploadRecord(
                        id: uploadID, sha256: uploadSha256, filename: filename, channel: channel, receivedAt: receivedAt,
                        submitter: nil, state: .received, reason: nil, stage: nil, documentID: nil, updatedAt: filedAt),
                    into: "uploads")
                try audit(
                    db, .received, actor: actor, uploadID: uploadID,
                    details: AkteRules.receivedDetails(sha256: uploadSha256, filename: filename, channel: channel, receivedAt: receivedAt))
            }

            let previous = try db.fetchAll(
                UploadPartRecord.self,
                """
                SELECT uploadParts.* FROM uploadParts JOIN uploads ON uploads.id = uploadParts.uploadID
                WHERE uploads.sha256 = $1 AND uploads.id <> $2 ORDER BY uploadParts.uploadID, uploadParts.partNumber
                """, [uploadSha256, uploadID])
            if let firstUpload = previous.first?.uploadID {
                let rows = previous.filter { $0.uploadID == firstUpload }
                for var row in rows {
                    row.uploadID = uploadID
                    try db.insert(row, into: "uploadParts")
                    try audit(
                        db, .filed, actor: actor, documentID: row.documentID, uploadID: uploadID,
                        details: [
                            "as": "receipt", "duplicateOf": .text(row.documentID),
                            "part": .text("\(row.partNumber) of \(row.partCount)"),
                        ])
                }
                try Self.markFiled(uploadID, documentID: rows[0].documentID, at: filedAt, db)
                return rows.map { .duplicate(documentID: $0.documentID) }
            }

            var outcomes: [FilingOutcome] = []
            for part in parts {
                let details: [String: AuditDetail] = [
                    "part": .text("\(part.number) of \(parts.count)"), "pages": .text("\(part.firstPage)-\(part.lastPage)"),
                ]
                let documentID: String
                if let existing = try db.fetchOne(
                    DocumentRecord.self, "SELECT * FROM documents WHERE sha256 = $1", [part.document.sha256])
                {
                    documentID = existing.id
                    outcomes.append(.duplicate(documentID: documentID))
                    try audit(
                        db, .filed, actor: actor, documentID: documentID, uploadID: uploadID,
                        details: details.merging(["as": "receipt", "duplicateOf": .text(documentID)]) { _, new in new })
                } else {
                    documentID = UUID().uuidString.lowercased()
                    let record = try insertDocument(part.document, id: documentID, filedAt: filedAt, db)
                    try auditNewDocument(record, part.document, classifiedDetails: details, db)
                    outcomes.append(.filed(documentID: documentID))
                }
                try db.insert(
                    UploadPartRecord(
                        uploadID: uploadID, partNumber: part.number, partCount: parts.count, documentID: documentID,
                        firstPage: part.firstPage, lastPage: part.lastPage, coverPage: part.coverPage,
                        coverPayload: part.coverPayload, reason: part.reason, method: method), into: "uploadParts")
            }
            try Self.markFiled(uploadID, documentID: outcomes[0].documentID, at: filedAt, db)
            return outcomes
        }
    }

    public func parts(ofUpload uploadID: String) throws -> [UploadPart] {
        try read { db in try parts(ofUpload: uploadID, db) }
    }

    public func parts(ofDocument documentID: String) throws -> [UploadPart] {
        try read { db in
            try parts(where: "documentID = $1 ORDER BY uploadID, partNumber", documentID, db)
        }
    }

    func parts(ofUpload uploadID: String, _ db: PostgresConnection) throws -> [UploadPart] {
        try parts(where: "uploadID = $1 ORDER BY partNumber", uploadID, db)
    }

    private func parts(where condition: String, _ value: String, _ db: PostgresConnection) throws -> [UploadPart] {
        try db.fetchAll(UploadPartRecord.self, "SELECT * FROM uploadParts WHERE \(condition)", [value])
            .map { row in
                var part = UploadPart(
                    uploadID: row.uploadID, number: row.partNumber, count: row.partCount, documentID: row.documentID,
                    firstPage: row.firstPage, lastPage: row.lastPage, coverPage: row.coverPage,
                    coverPayload: row.coverPayload, reason: row.reason, method: row.method, state: .filed,
                    stateReason: nil)
                if let document = try Self.document(row.documentID, db) {
                    (part.state, part.stateReason) = AkteRules.uploadState(of: document)
                }
                return part
            }
    }

    static func partReceipts(documentID: String, _ db: PostgresConnection) throws -> [Receipt] {
        try db.fetchAll(
            UploadRecord.self,
            "SELECT * FROM uploads WHERE id IN (SELECT uploadID FROM uploadParts WHERE documentID = $1) ORDER BY receivedAt, id",
            [documentID]
        ).map {
            Receipt(
                uploadID: $0.id, filename: $0.filename, channel: $0.channel, receivedAt: $0.receivedAt, submitter: $0.submitter,
                note: $0.note)
        }
    }
}

import Foundation

/// Reads, corrections, search and findings' reviews; the same rules as the SQLite side.
extension PostgresAkte {
    public func inbox(since: Date?, caseID: String?, limit: Int) throws -> [DocumentSummary] {
        try read { db in
            try db.fetchAll(
                DocumentRecord.self,
                """
                SELECT * FROM documents
                WHERE ($1::timestamptz IS NULL OR receivedAt >= $1::timestamptz) AND ($2::text IS NULL OR effectiveCaseID = $2::text)
                ORDER BY receivedAt DESC, id LIMIT $3
                """, [since, caseID, max(0, limit)]
            ).map(\.summary)
        }
    }

    public func reviewQueue() throws -> [DocumentSummary] {
        try read { db in
            try db.fetchAll(
                DocumentRecord.self, "SELECT * FROM documents WHERE effectiveStatus = $1 ORDER BY receivedAt, id",
                [DocumentStatus.needsReview.rawValue]
            ).map(\.summary)
        }
    }

    public func documents(inCase bgNummer: String) throws -> [DocumentSummary] {
        try read { db in
            try db.fetchAll(
                DocumentRecord.self, "SELECT * FROM documents WHERE effectiveCaseID = $1 ORDER BY receivedAt DESC, id",
                [bgNummer]
            ).map(\.summary)
        }
    }

    public func document(id: String, viewer: String) throws -> FiledDocument {
        try write { db in
            let record = try Self.fetchDocument(id, db)
            let pages = try db.fetchAll(PageRecord.self, "SELECT * FROM pages WHERE documentID = $1 ORDER BY number", [id])
            let machineFields = try db.fetchAll(
                FieldRecord.self, "SELECT * FROM fields WHERE documentID = $1 ORDER BY key COLLATE \"C\"", [id])
            let receipts = try db.fetchAll(
                ReceiptRecord.self, "SELECT * FROM receipts WHERE documentID = $1 ORDER BY receivedAt, uploadID", [id])
            let corrections = try db.fetchAll(
                CorrectionRecord.self, "SELECT * FROM corrections WHERE documentID = $1 ORDER BY id", [id]
            ).map(\.correction)
            try audit(db, .viewed, actor: viewer, documentID: id)
            return FiledDocument(
                id: record.id, sha256: record.sha256, originalFilename: record.originalFilename,
                channel: record.channel, receivedAt: record.receivedAt, format: record.format,
                pageCount: record.pageCount, pageTexts: pages.map { $0.text ?? "" }, text: record.text,
                sensitive: record.sensitive, archivePDFSha256: record.archivePDFSha256,
                classConfidence: record.classConfidence, reviewReasons: record.reviewReasons,
                detailsJSON: record.detailsJSON, filedAt: record.filedAt, filedBy: record.filedBy,
                machine: record.machineDecision, effective: record.effectiveDecision,
                fields: AkteRules.effectiveFields(machine: machineFields, corrections: corrections),
                receipts: receipts.map(\.receipt) + (try Self.partReceipts(documentID: id, db)), corrections: corrections)
        }
    }

    /// Full-text search in PostgreSQL's `german` configuration (stemmed: `Mietvertrags` finds
    /// `Mietvertrag`), best rank first; the snippet marks hits with `[` `]` as FTS5's does.
    public func search(_ text: String, cases: Set<String>?) throws -> [SearchHit] {
        let chunks = SearchQuery(text).postgresChunks
        guard !chunks.isEmpty else { return [] }
        if let cases, cases.isEmpty { return [] }
        return try read { db in
            var parameters: [any PostgresParameter] = chunks.map(\.query)
            let query = chunks.enumerated().map { index, chunk in
                "\(chunk.isPrefix ? "to_tsquery" : "phraseto_tsquery")('posteingang_german', $\(index + 1))"
            }.joined(separator: " && ")
            var caseCondition = ""
            if let cases {
                parameters.append(Self.textArray(cases.sorted()))
                caseCondition = "AND documents.effectiveCaseID = ANY($\(parameters.count)::text[])"
            }
            return try db.query(
                """
                SELECT documents.*, ts_headline('posteingang_german', documentText.text, q,
                    'StartSel=[, StopSel=], MaxWords=24, MinWords=8, MaxFragments=1, FragmentDelimiter=…') AS searchSnippet
                FROM documentText JOIN documents ON documents.id = documentText.documentID,
                    (SELECT \(query) AS q) AS search
                WHERE documentText.words @@ q \(caseCondition)
                ORDER BY ts_rank(documentText.words, q) DESC, documents.receivedAt DESC
                LIMIT \(SearchHit.limit)
                """, parameters
            ).map { row in
                SearchHit(document: try row.decode(DocumentRecord.self).summary, snippet: row["searchSnippet"] ?? "")
            }
        }
    }

    /// A `text[]` literal (`{"a","b"}`) for `= ANY($n::text[])`.
    static func textArray(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }

    public func recordExport(documentID: String, by actor: String) throws {
        try write { db in
            _ = try Self.fetchDocument(documentID, db)
            try audit(db, .exported, actor: actor, documentID: documentID)
        }
    }

    public func documentSummaries(ids: Set<String>) throws -> [String: DocumentSummary] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            let records = try db.fetchAll(
                DocumentRecord.self, "SELECT * FROM documents WHERE id = ANY($1::text[])", [Self.textArray(ids.sorted())])
            return Dictionary(records.map { ($0.id, $0.summary) }, uniquingKeysWith: { first, _ in first })
        }
    }

    // MARK: - Corrections

    public func assign(documentID: String, caseID: String, by actor: String) throws {
        let at = now()
        try write { db in
            let document = try Self.fetchDocument(documentID, db, forUpdate: true)
            guard try Self.caseExists(caseID, db) else { throw AkteError.unknownCase(caseID) }
            guard document.effectiveCaseID != caseID else { return }
            try correction(
                .caseAssignment, key: nil, machine: document.caseID, previous: document.effectiveCaseID, new: caseID,
                document: documentID, actor: actor, at: at, db)
            try db.query("UPDATE documents SET effectiveCaseID = $1 WHERE id = $2", [caseID, documentID])
        }
    }

    public func reclassify(documentID: String, to documentClass: String, by actor: String) throws {
        guard !documentClass.isEmpty else { throw AkteError.invalidInput("a document class cannot be empty") }
        let at = now()
        try write { db in
            let document = try Self.fetchDocument(documentID, db, forUpdate: true)
            guard document.effectiveClass != documentClass else { return }
            try correction(
                .documentClass, key: nil, machine: document.documentClass, previous: document.effectiveClass,
                new: documentClass, document: documentID, actor: actor, at: at, db)
            try db.query("UPDATE documents SET effectiveClass = $1 WHERE id = $2", [documentClass, documentID])
        }
    }

    public func setField(documentID: String, key: String, value: String, by actor: String) throws {
        guard !key.isEmpty else { throw AkteError.invalidInput("a field needs a key") }
        let at = now()
        try write { db in
            _ = try Self.fetchDocument(documentID, db, forUpdate: true)
            let machine = try db.query("SELECT value FROM fields WHERE documentID = $1 AND key = $2", [documentID, key])
                .first?["value"]
            let previous =
                try db.query(
                    "SELECT newValue FROM corrections WHERE documentID = $1 AND kind = $2 AND key = $3 ORDER BY id DESC LIMIT 1",
                    [documentID, CorrectionKind.field.rawValue, key]
                ).first?["newValue"] ?? machine
            guard previous != value else { return }
            try correction(
                .field, key: key, machine: machine, previous: previous, new: value, document: documentID, actor: actor,
                at: at, db)
        }
    }

    public func resolveReview(documentID: String, by actor: String, note: String?) throws {
        let at = now()
        try write { db in
            let document = try Self.fetchDocument(documentID, db, forUpdate: true)
            guard document.effectiveStatus == .needsReview else {
                throw AkteError.notInReview(documentID: documentID, status: document.effectiveStatus)
            }
            guard let caseID = document.effectiveCaseID else { throw AkteError.noCaseAssigned(documentID: documentID) }
            try db.insert(
                CorrectionRecord(
                    id: nil, documentID: documentID, kind: .review, key: nil, machineValue: document.status.rawValue,
                    previousValue: document.effectiveStatus.rawValue, newValue: DocumentStatus.filed.rawValue,
                    actor: actor, at: at), into: "corrections", skipping: ["id"])
            try db.query("UPDATE documents SET effectiveStatus = $1 WHERE id = $2", [DocumentStatus.filed.rawValue, documentID])
            try audit(
                db, .reviewResolved, actor: actor, documentID: documentID,
                details: ["case": .text(caseID), "class": .text(document.effectiveClass), "note": AuditDetail(note)])
        }
    }

    public func corrections(since: Date?) throws -> [Correction] {
        try read { db in
            try db.fetchAll(
                CorrectionRecord.self, "SELECT * FROM corrections WHERE $1::timestamptz IS NULL OR at >= $1::timestamptz ORDER BY id",
                [since]
            ).map(\.correction)
        }
    }

    private func correction(
        _ kind: CorrectionKind, key: String?, machine: String?, previous: String?, new: String?, document: String,
        actor: String, at: Date, _ db: PostgresConnection
    ) throws {
        try db.insert(
            CorrectionRecord(
                id: nil, documentID: document, kind: kind, key: key, machineValue: machine, previousValue: previous,
                newValue: new, actor: actor, at: at), into: "corrections", skipping: ["id"])
        var details: [String: AuditDetail] = ["what": .text(kind.rawValue), "from": AuditDetail(previous), "to": AuditDetail(new)]
        if let key { details["field"] = .text(key) }
        try audit(db, .corrected, actor: actor, documentID: document, details: details)
    }

    // MARK: - Findings

    public func markFindingReviewed(
        bgNummer: String, findingKey: String, code: String, documentIDs: [String], note: String, by actor: String
    ) throws {
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw AkteError.invalidInput("a finding marked as checked needs a note") }
        guard !findingKey.isEmpty, !code.isEmpty else { throw AkteError.invalidInput("a finding needs its key and code") }
        try write { db in
            guard try Self.caseExists(bgNummer, db) else { throw AkteError.unknownCase(bgNummer) }
            for id in documentIDs {
                guard try db.exists("SELECT 1 FROM documents WHERE id = $1 AND effectiveCaseID = $2", [id, bgNummer]) else {
                    throw AkteError.invalidInput("document \(id) is not in case \(bgNummer)")
                }
            }
            try db.insert(
                FindingReviewRecord(
                    id: nil, bgNummer: bgNummer, findingKey: findingKey, code: code, note: note, reviewedBy: actor,
                    reviewedAt: now()), into: "findingReviews", skipping: ["id"])
            try audit(
                db, .findingReviewed, actor: actor, documentID: documentIDs.first,
                details: [
                    "case": .text(bgNummer), "finding": .text(findingKey), "code": .text(code), "note": .text(note),
                    "documents": .list(documentIDs),
                ])
        }
    }

    public func findingReviews(inCase bgNummer: String) throws -> [String: FindingReview] {
        try read { db in
            let records = try db.fetchAll(
                FindingReviewRecord.self, "SELECT * FROM findingReviews WHERE bgNummer = $1 ORDER BY id", [bgNummer])
            return Dictionary(records.map { ($0.findingKey, $0.review) }, uniquingKeysWith: { _, latest in latest })
        }
    }

    // MARK: - Register

    public func importRegister(_ persons: [RegisterPerson], rejected: [RegisterRejection]) throws -> RegisterImportReport {
        let importedAt = now()
        return try write { db in
            var report = RegisterImportReport(added: 0, changed: 0, unchanged: 0, rejected: rejected)
            var seen = Set<String>()
            for person in persons {
                if let problem = AkteRules.problem(with: person) {
                    report.rejected.append(RegisterRejection(line: nil, reason: problem))
                    continue
                }
                guard seen.insert(person.kundennummer).inserted else {
                    report.rejected.append(
                        RegisterRejection(
                            line: nil,
                            reason: "Kundennummer \(person.kundennummer) appears more than once in this import; "
                                + "the first row was kept, fix the export"))
                    continue
                }
                try db.query(
                    "INSERT INTO households (bgNummer, importedAt, updatedAt) VALUES ($1, $2, $2) ON CONFLICT DO NOTHING",
                    [person.bgNummer, importedAt])
                if let existing = try db.fetchOne(
                    PersonRecord.self, "SELECT * FROM persons WHERE kundennummer = $1 FOR UPDATE", [person.kundennummer])
                {
                    if existing.person == person {
                        report.unchanged += 1
                    } else {
                        try db.update(
                            PersonRecord(person, importedAt: existing.importedAt, updatedAt: importedAt), in: "persons",
                            key: ["kundennummer"])
                        report.changed += 1
                    }
                } else {
                    try db.insert(PersonRecord(person, importedAt: importedAt, updatedAt: importedAt), into: "persons")
                    report.added += 1
                }
            }
            return report
        }
    }

    public func households() throws -> [Household] {
        try read { db in
            let persons = try db.fetchAll(
                PersonRecord.self, "SELECT * FROM persons ORDER BY bgNummer COLLATE \"C\", nachname, vorname")
            let byCase = Dictionary(grouping: persons, by: \.bgNummer)
            return try db.query("SELECT bgNummer FROM households ORDER BY bgNummer COLLATE \"C\"").map { row in
                let bgNummer = try row.string("bgNummer")
                return Household(bgNummer: bgNummer, persons: (byCase[bgNummer] ?? []).map(\.person))
            }
        }
    }

    public func persons(inCase bgNummer: String) throws -> [RegisterPerson] {
        try read { db in
            try db.fetchAll(PersonRecord.self, "SELECT * FROM persons WHERE bgNummer = $1 ORDER BY nachname, vorname", [bgNummer])
                .map(\.person)
        }
    }

    public func caseExists(_ bgNummer: String) throws -> Bool {
        try read { db in try Self.caseExists(bgNummer, db) }
    }
}

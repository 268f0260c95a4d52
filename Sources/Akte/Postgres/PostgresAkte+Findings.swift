import Foundation

/// Findings a caseworker has checked, with their note; the same rules as the SQLite side.
extension PostgresAkte {
    public func markFindingReviewed(
        bgNummer: String, findingKey: String, code: String, documentIDs: [String], note: String, by actor: String
    ) throws {
        let note = try AkteRules.checkedFindingNote(note, findingKey: findingKey, code: code)
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
                details: AkteRules.findingReviewedDetails(
                    bgNummer: bgNummer, findingKey: findingKey, code: code, note: note, documentIDs: documentIDs))
        }
    }

    public func findingReviews(inCase bgNummer: String) throws -> [String: FindingReview] {
        try read { db in
            let records = try db.fetchAll(
                FindingReviewRecord.self, "SELECT * FROM findingReviews WHERE bgNummer = $1 ORDER BY id", [bgNummer])
            return Dictionary(records.map { ($0.findingKey, $0.review) }, uniquingKeysWith: { _, latest in latest })
        }
    }
}

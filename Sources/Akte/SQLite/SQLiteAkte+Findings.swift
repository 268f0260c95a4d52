import Foundation
import GRDB

struct FindingReviewRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "findingReviews"
    var id: Int64?
    var bgNummer: String
    var findingKey: String
    var code: String
    var note: String
    var reviewedBy: String
    var reviewedAt: Date

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let bgNummer = Column(CodingKeys.bgNummer)
    }

    var review: FindingReview {
        FindingReview(
            bgNummer: bgNummer, findingKey: findingKey, code: code, note: note, reviewedBy: reviewedBy,
            reviewedAt: reviewedAt)
    }
}

extension SQLiteAkte {
    public func markFindingReviewed(
        bgNummer: String, findingKey: String, code: String, documentIDs: [String], note: String, by actor: String
    ) throws {
        let note = try AkteRules.checkedFindingNote(note, findingKey: findingKey, code: code)
        try dbPool.write { db in
            guard try HouseholdRecord.exists(db, key: bgNummer) else { throw AkteError.unknownCase(bgNummer) }
            for id in documentIDs {
                let inCase = try Bool.fetchOne(
                    db, sql: "SELECT effectiveCaseID = ? FROM documents WHERE id = ?", arguments: [bgNummer, id])
                guard inCase == true else {
                    throw AkteError.invalidInput("document \(id) is not in case \(bgNummer)")
                }
            }
            let record = FindingReviewRecord(
                id: nil, bgNummer: bgNummer, findingKey: findingKey, code: code, note: note, reviewedBy: actor,
                reviewedAt: now())
            try record.insert(db)
            try audit(
                db, .findingReviewed, actor: actor, documentID: documentIDs.first,
                details: AkteRules.findingReviewedDetails(
                    bgNummer: bgNummer, findingKey: findingKey, code: code, note: note, documentIDs: documentIDs))
        }
    }

    public func findingReviews(inCase bgNummer: String) throws -> [String: FindingReview] {
        try dbPool.read { db in
            let records = try FindingReviewRecord.filter(FindingReviewRecord.Columns.bgNummer == bgNummer)
                .order(FindingReviewRecord.Columns.id).fetchAll(db)
            // The latest marking of a key holds.
            return Dictionary(records.map { ($0.findingKey, $0.review) }, uniquingKeysWith: { _, latest in latest })
        }
    }
}

import Foundation
import GRDB

/// A row of the append-only `audit` table. `at` is stored as the exact text that was hashed.
struct AuditRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "audit"
    var seq: Int64
    var at: String
    var actor: String
    var action: String
    var documentID: String?
    var uploadID: String?
    var details: String
    var previousHash: String
    var hash: String

    enum Columns {
        static let seq = Column(CodingKeys.seq)
        static let documentID = Column(CodingKeys.documentID)
        static let uploadID = Column(CodingKeys.uploadID)
        static let action = Column(CodingKeys.action)
    }
}

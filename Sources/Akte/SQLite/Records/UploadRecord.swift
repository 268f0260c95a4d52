import Foundation
import GRDB

struct UploadRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "uploads"

    /// Stored states; once `documentID` is set, the document's status tells the upload's state.
    enum State: String, Codable {
        case received, processing, refused, filed
    }

    var id: String
    var sha256: String
    var filename: String
    var channel: String
    var receivedAt: Date
    var submitter: String?
    /// The citizen's note sent with the upload.
    var note: String?
    var state: State
    var reason: String?
    var stage: String?
    var documentID: String?
    var updatedAt: Date

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let sha256 = Column(CodingKeys.sha256)
    }
}

struct ReceiptRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "receipts"
    var uploadID: String
    var documentID: String
    var filename: String
    var channel: String
    var receivedAt: Date
    var submitter: String?
    var note: String?

    enum Columns {
        static let uploadID = Column(CodingKeys.uploadID)
        static let documentID = Column(CodingKeys.documentID)
        static let receivedAt = Column(CodingKeys.receivedAt)
    }

    var receipt: Receipt {
        Receipt(uploadID: uploadID, filename: filename, channel: channel, receivedAt: receivedAt, submitter: submitter, note: note)
    }
}

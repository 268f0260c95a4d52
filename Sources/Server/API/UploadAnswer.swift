import Akte
import Foundation

/// The JSON body of a 202 (accepted) and of a status answer: where the upload is, and what that
/// means for the citizen in German and English. Nothing about the document's content or case.
struct UploadAnswer: Codable {
    var uploadID: String
    var status: String
    var statusURL: String
    /// Only for `refused`: the pipeline's code (e.g. `unsupported_format`, `corrupt`).
    var reasonCode: String?
    var files: Int
    var bytes: Int
    var sha256: String
    var receivedAt: Date
    var message: APIError.Message

    init(uploadID: String, state: UploadState, reasonCode: String?, files: Int, bytes: Int, sha256: String, receivedAt: Date) {
        self.uploadID = uploadID
        self.status = state.rawValue
        self.statusURL = "/api/v1/uploads/\(uploadID)"
        self.reasonCode = reasonCode
        self.files = files
        self.bytes = bytes
        self.sha256 = sha256
        self.receivedAt = receivedAt
        self.message = StatusMessages.message(for: state, code: reasonCode)
    }

    enum CodingKeys: String, CodingKey {
        case uploadID = "upload_id"
        case status
        case statusURL = "status_url"
        case reasonCode = "reason_code"
        case files, bytes, sha256
        case receivedAt = "received_at"
        case message
    }
}

import Foundation

/// What is written beside a quarantined file as `NAME.error.json`.
public struct QuarantineRecord: Sendable, Codable {
    public var file: String
    public var uploadID: String
    public var reason: String
    public var code: String
    public var stage: String
    public var time: Date
    public var tries: Int
    public var sha256: String?

    public init(
        file: String, uploadID: String, reason: String, code: String, stage: String, time: Date, tries: Int, sha256: String?
    ) {
        self.file = file
        self.uploadID = uploadID
        self.reason = reason
        self.code = code
        self.stage = stage
        self.time = time
        self.tries = tries
        self.sha256 = sha256
    }

    enum CodingKeys: String, CodingKey {
        case file
        case uploadID = "upload_id"
        case reason, code, stage, time, tries, sha256
    }
}

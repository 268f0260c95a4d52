import Foundation

/// The optional `NAME.json` that travels beside an upload: who sent it, on which channel,
/// and which household it belongs to, if the sender knows.
public struct Sidecar: Sendable, Codable, Equatable {
    public var caseReference: String?
    public var channel: String?
    public var submitter: String?
    public var uploadID: String?
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case caseReference = "case"
        case channel, submitter
        case uploadID = "upload_id"
        case note
    }

    public init(caseReference: String? = nil, channel: String? = nil, submitter: String? = nil, uploadID: String? = nil, note: String? = nil) {
        self.caseReference = caseReference
        self.channel = channel
        self.submitter = submitter
        self.uploadID = uploadID
        self.note = note
    }

    /// Largest sidecar accepted; anything bigger is not metadata.
    public static let maxBytes = 64 * 1024

    /// Where the sidecar of `file` would be: `NAME.json` beside `NAME.ext`.
    public static func location(for file: URL) -> URL {
        file.deletingPathExtension().appendingPathExtension("json")
    }

    /// Reads the sidecar beside `file`. `nil` when there is none; an error when there is one
    /// that cannot be used (too large, not JSON, wrong types).
    public static func load(besides file: URL) throws -> Sidecar? {
        let url = location(for: file)
        guard url != file, FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data = try Data(contentsOf: url)
        return try decode(data, name: url.lastPathComponent)
    }

    public static func decode(_ data: Data, name: String) throws -> Sidecar {
        if data.count > maxBytes {
            throw SidecarError(file: name, reason: "\(data.count) bytes, the limit is \(maxBytes)")
        }
        do {
            return try JSONDecoder().decode(Sidecar.self, from: data)
        } catch {
            throw SidecarError(
                file: name,
                reason: "not a JSON object with the optional string fields case, channel, submitter, upload_id, note")
        }
    }
}

/// A sidecar that exists but cannot be used.
public struct SidecarError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var reason: String
    public var description: String { "sidecar \(file) unusable: \(reason)" }
}

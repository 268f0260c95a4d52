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
        guard url != file else { return nil }
        return try read(at: url)
    }

    /// Reads the sidecar at `url` without trusting it: never through a symbolic link, only a
    /// regular file, never more than `maxBytes` + 1 bytes (a huge or endless "sidecar" such as
    /// a FIFO or /dev/zero costs nothing). `nil` when there is none.
    public static func read(at url: URL) throws -> Sidecar? {
        let name = url.lastPathComponent
        let fd = open(url.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)
        if fd < 0 {
            if errno == ENOENT { return nil }
            if errno == ELOOP { throw SidecarError(file: name, reason: "a symbolic link; links are never followed") }
            throw SidecarError(file: name, reason: "cannot be opened: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw SidecarError(file: name, reason: "not a regular file")
        }
        if info.st_nlink > 1 { throw SidecarError(file: name, reason: "a hard link to a file elsewhere") }
        if Int(info.st_size) > maxBytes { throw SidecarError(file: name, reason: "\(info.st_size) bytes, the limit is \(maxBytes)") }
        var buffer = [UInt8](repeating: 0, count: maxBytes + 1)
        var count = 0
        while count < buffer.count {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            count += n
        }
        return try decode(Data(buffer[0..<count]), name: name)
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

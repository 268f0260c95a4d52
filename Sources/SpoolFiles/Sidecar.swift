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
            if errno == ELOOP { throw SidecarError(
                    file: name, reason: "a symbolic link; links are never followed",
                    german: "eine symbolische Verknüpfung; Verknüpfungen werden nie verfolgt") }
            let cause = String(cString: strerror(errno))
            throw SidecarError(file: name, reason: "cannot be opened: \(cause)", german: "lässt sich nicht öffnen (\(cause))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw SidecarError(file: name, reason: "not a regular file", german: "keine gewöhnliche Datei")
        }
        if info.st_nlink > 1 {
            throw SidecarError(file: name, reason: "a hard link to a file elsewhere", german: "ein harter Link auf eine Datei anderswo")
        }
        if Int(info.st_size) > maxBytes { throw SidecarError.tooLarge(name, bytes: Int(info.st_size)) }
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
            throw SidecarError.tooLarge(name, bytes: data.count)
        }
        do {
            return try JSONDecoder().decode(Sidecar.self, from: data)
        } catch {
            throw SidecarError(
                file: name,
                reason: "not a JSON object with the optional string fields case, channel, submitter, upload_id, note",
                german: "kein JSON-Objekt mit den wahlweisen Textfeldern „case“, „channel“, „submitter“, „upload_id“, „note“")
        }
    }
}

/// A sidecar that exists but cannot be used: `description` for the log, `german` for the
/// review reason a caseworker reads.
public struct SidecarError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var reason: String
    /// The reason in German.
    public var germanReason: String
    public var description: String { "sidecar \(file) unusable: \(reason)" }
    public var german: String { "Begleitdatei \(file) unbrauchbar: \(germanReason)" }

    public init(file: String, reason: String, german: String) {
        self.file = file
        self.reason = reason
        self.germanReason = german
    }

    static func tooLarge(_ file: String, bytes: Int) -> SidecarError {
        SidecarError(
            file: file, reason: "\(bytes) bytes, the limit is \(Sidecar.maxBytes)",
            german: "\(bytes) Bytes, erlaubt sind höchstens \(Sidecar.maxBytes)")
    }

    /// What a caseworker reads for any error while reading a sidecar.
    public static func german(_ error: Error) -> String {
        (error as? SidecarError)?.german ?? "Begleitdatei unbrauchbar: \(error)"
    }
}

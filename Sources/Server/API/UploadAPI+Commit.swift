import Akte
import Foundation
import Imaging
import SpoolFiles

/// Committing an accepted upload: the one file the daemon reads and its sidecar, written durably
/// into this host's inbox (or, with the shared queue, handed to `commitToQueue`), and the
/// client's record of it.
extension UploadAPI {
    struct Accepted {
        var uploadID: String
        var status: Int
        var json: String
        var replayed: Bool
    }

    /// Makes the upload durable in the inbox, records it, and returns the answer. Blocking.
    func commit(
        _ received: Received, area: StagingArea, uploadID: String, client: APIClientIdentity, caseID: String?, key: String?
    ) throws -> Accepted {
        let (spoolFile, format) = try fileToRead(received, area: area, uploadID: uploadID)
        let sha256 = try SHA256Digest.hex(ofFileAt: spoolFile)
        let bytes = Self.fileSize(spoolFile)

        let inboxName = "\(uploadID)-\(Self.fileName(received, format: format))"
        let inboxFile = environment.directory.inbox.appendingPathComponent(inboxName)
        // Sidecar first: the daemon takes the file the moment it is renamed into place.
        try DurableFile.write(try Self.sidecarJSON(received, uploadID: uploadID, client: client, caseID: caseID), to: Sidecar.location(for: inboxFile))
        guard rename(spoolFile.path, inboxFile.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: Sidecar.location(for: inboxFile))
            throw APIError(
                status: .serviceUnavailable, code: "spool_unavailable",
                german: "Die Sendung konnte nicht gespeichert werden; bitte später erneut senden.",
                english: "The upload could not be stored (\(reason)); please send it again later.")
        }
        DurableFile.syncDirectory(environment.directory.inbox)
        area.committed(spoolFile)
        return try recordAccepted(received, uploadID: uploadID, client: client, caseID: caseID, key: key, bytes: bytes, sha256: sha256, acceptedAt: Date())
    }

    /// The one file the daemon will read: the single file sent, or the page files combined into
    /// one PDF; written through to disk. Blocking.
    func fileToRead(_ received: Received, area: StagingArea, uploadID: String) throws -> (URL, FileFormat) {
        let spoolFile: URL
        let format: FileFormat
        if received.files.count == 1 {
            spoolFile = received.files[0].file
            format = received.files[0].format
        } else {
            spoolFile = area.folder.appendingPathComponent("\(getpid())-\(uploadID)-combined.pdf")
            area.track(spoolFile)
            let scratch = area.folder.appendingPathComponent("\(getpid())-\(uploadID)-pages", isDirectory: true)
            area.track(scratch)
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try PageBundle.combine(
                received.files.map { PageBundle.Part(file: $0.file, format: $0.format, fileName: $0.fileName) },
                into: spoolFile, scratch: scratch)
            format = .pdf
        }
        try Self.fsyncFile(spoolFile)
        return (spoolFile, format)
    }

    /// The name the upload is filed under: the client's (made safe), with the detected format's extension.
    static func fileName(_ received: Received, format: FileFormat) -> String {
        let baseName = Self.inboxBaseName(received.files.count == 1 ? received.files[0].fileName : "pages")
        return "\(baseName).\(Self.fileExtension(format))"
    }

    /// The sidecar, what the daemon learns besides the bytes (the household, the client as channel,
    /// the sender's note), as JSON with sorted keys: the inbox's sidecar file, the queue row's copy.
    static func sidecarJSON(_ received: Received, uploadID: String, client: APIClientIdentity, caseID: String?) throws -> Data {
        let sidecar = Sidecar(
            caseReference: caseID, channel: client.client, submitter: received.fields["channel"]?.nilIfEmpty,
            uploadID: uploadID, note: received.fields["note"]?.nilIfEmpty)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(sidecar)
    }

    static func fileSize(_ file: URL) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Records the accepted upload for the client's status lookups (and its answer under the
    /// Idempotency-Key) and returns the 202. Blocking.
    func recordAccepted(
        _ received: Received, uploadID: String, client: APIClientIdentity, caseID: String?, key: String?, bytes: Int, sha256: String,
        acceptedAt: Date
    ) throws -> Accepted {
        let answer = UploadAnswer(
            uploadID: uploadID, state: .received, reasonCode: nil, files: received.files.count, bytes: bytes,
            sha256: sha256, receivedAt: acceptedAt)
        let json = String(decoding: try Self.jsonEncoder.encode(answer), as: UTF8.self)
        let record = APIUpload(
            uploadID: uploadID, tokenID: client.tokenID, client: client.client, caseID: caseID,
            fileName: received.files.map(\.fileName).joined(separator: ", "), bytes: bytes, sha256: sha256,
            acceptedAt: acceptedAt,
            parts: received.files.map { APIUploadPart(fileName: $0.fileName, format: $0.format.rawValue, bytes: $0.bytes, sha256: $0.sha256) })
        let stored = StoredAPIAnswer(requestSha256: received.fingerprint, uploadID: uploadID, httpStatus: 202, responseJSON: json)
        if let earlier = try environment.akte.recordAPIUpload(record, idempotencyKey: key, answer: key == nil ? nil : stored) {
            // Cannot happen within one server (keys in flight are exclusive); kept for a second server on the same store.
            return Accepted(uploadID: earlier.uploadID, status: earlier.httpStatus, json: earlier.responseJSON, replayed: true)
        }
        return Accepted(uploadID: uploadID, status: 202, json: json, replayed: false)
    }

    /// The client's file name reduced to something safe in the inbox (no extension: the
    /// extension comes from the detected format, so that no name can end in `.json` or `.part`).
    static func inboxBaseName(_ name: String) -> String {
        var base = (name as NSString).deletingPathExtension
        base = String(UploadName.sanitized(base).unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_") ? Character(scalar) : "_"
        })
        while base.hasPrefix("_") || base.hasPrefix("-") { base.removeFirst() }
        base = String(base.prefix(60))
        return base.isEmpty ? "upload" : base
    }

    static func fileExtension(_ format: FileFormat) -> String {
        switch format {
        case .jpeg: return "jpg"
        case .png: return "png"
        case .tiff: return "tif"
        case .webp: return "webp"
        case .heic: return "heic"
        case .pdf: return "pdf"
        }
    }

    static func fsyncFile(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw APIError.spoolUnavailable("cannot open the file to sync it") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw APIError.spoolUnavailable("fsync failed: \(String(cString: strerror(errno)))") }
    }
}

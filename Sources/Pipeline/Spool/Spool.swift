import Foundation

/// An upload claimed by this process: moved from inbox/ to processing/ under a name that
/// carries its upload id, so that a redo after a crash files it under the same id.
public struct ClaimedUpload: Sendable, Equatable {
    public var uploadID: String
    /// The name the sender gave the file.
    public var originalName: String
    /// Where it lies in processing/.
    public var file: URL
    /// When it arrived in the inbox: the legal date of receipt.
    public var receivedAt: Date
    public var sidecar: Sidecar?
    /// A sidecar that was there but could not be used.
    public var sidecarProblem: String?
    /// The exclusive lock this process holds on the file while it works on it.
    public var lock: ClaimLock?

    public static func == (a: ClaimedUpload, b: ClaimedUpload) -> Bool {
        a.uploadID == b.uploadID && a.file == b.file && a.originalName == b.originalName
    }
}

/// An exclusive `flock` on a claimed file. Another daemon on the same folder sees the lock and
/// leaves the file alone; the kernel drops it when the process dies (kill -9 included), so a
/// crashed daemon's files become free for recovery.
public final class ClaimLock: Sendable {
    private let descriptor: Int32

    /// Locks `url`, or returns nil when another process (or another claim) holds it.
    public init?(_ url: URL) {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        descriptor = fd
    }

    deinit { close(descriptor) }
}

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

    enum CodingKeys: String, CodingKey {
        case file
        case uploadID = "upload_id"
        case reason, code, stage, time, tries, sha256
    }
}

/// The upload spool: inbox → processing → (filed, deleted) or quarantine.
/// Every move is a `rename(2)` within one file system, so a file is claimed by exactly one
/// worker or daemon, and a crash leaves it in one place or the other, never in both or neither.
public struct Spool: Sendable {
    public let directory: DataDirectory
    static let separator = "--"

    public init(directory: DataDirectory) {
        self.directory = directory
    }

    /// Files in the inbox that are uploads (not sidecars, not `.part` files still being written).
    public func inboxCandidates() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.inbox.path)) ?? []
        return names.sorted().compactMap { name in
            guard Self.isUploadName(name) else { return nil }
            return directory.inbox.appendingPathComponent(name)
        }
    }

    /// Whether a name in the inbox is an upload: not hidden, not partial, not a sidecar.
    public static func isUploadName(_ name: String) -> Bool {
        !name.hasPrefix(".") && !name.hasSuffix(".part") && !name.lowercased().hasSuffix(".json")
            && !name.hasSuffix(".error.json")
    }

    /// Moves `file` from the inbox into processing/. Returns nil if another worker was faster
    /// (the file is gone) — that is not an error.
    public func claim(_ file: URL) -> ClaimedUpload? {
        let name = file.lastPathComponent
        let sidecarURL = Sidecar.location(for: file)
        var sidecar: Sidecar?
        var problem: String?
        if sidecarURL != file, FileManager.default.fileExists(atPath: sidecarURL.path) {
            do {
                sidecar = try Sidecar.decode(try Data(contentsOf: sidecarURL), name: sidecarURL.lastPathComponent)
            } catch {
                problem = "\(error)"
            }
        }
        let uploadID = Self.safeUploadID(sidecar?.uploadID) ?? Self.newUploadID()
        let receivedAt = (try? FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date) ?? Date()
        let target = directory.processing.appendingPathComponent(uploadID + Self.separator + name)
        // Lock before the move (the lock follows the file), so that no other daemon's recovery
        // scan can take it between the rename and the lock.
        guard let lock = ClaimLock(file) else { return nil }
        guard rename(file.path, target.path) == 0 else { return nil }
        if sidecarURL != file, FileManager.default.fileExists(atPath: sidecarURL.path) {
            let sidecarTarget = directory.processing.appendingPathComponent(uploadID + Self.separator + sidecarURL.lastPathComponent)
            _ = rename(sidecarURL.path, sidecarTarget.path)
        }
        // Keep the receipt time across the move (rename keeps mtime, but be explicit).
        try? FileManager.default.setAttributes([.modificationDate: receivedAt], ofItemAtPath: target.path)
        return ClaimedUpload(uploadID: uploadID, originalName: name, file: target, receivedAt: receivedAt, sidecar: sidecar, sidecarProblem: problem, lock: lock)
    }

    /// Uploads left in processing/ by a run that stopped (crash, kill -9): to be redone under
    /// their upload id. Files another live process holds locked are left alone.
    public func leftovers() -> [ClaimedUpload] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.processing.path)) ?? []
        return names.sorted().compactMap { name in
            guard let range = name.range(of: Self.separator), Self.isUploadName(name), !name.hasSuffix(".attempts") else { return nil }
            let uploadID = String(name[..<range.lowerBound])
            let original = String(name[range.upperBound...])
            let file = directory.processing.appendingPathComponent(name)
            guard let lock = ClaimLock(file) else { return nil }
            let sidecarFile = Sidecar.location(for: file)
            var sidecar: Sidecar?
            var problem: String?
            if sidecarFile != file, let data = try? Data(contentsOf: sidecarFile) {
                do { sidecar = try Sidecar.decode(data, name: sidecarFile.lastPathComponent) } catch { problem = "\(error)" }
            }
            let receivedAt = (try? FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date) ?? Date()
            return ClaimedUpload(uploadID: uploadID, originalName: original, file: file, receivedAt: receivedAt, sidecar: sidecar, sidecarProblem: problem, lock: lock)
        }
    }

    /// Counts one more attempt at `upload` and makes it durable before the work starts, so that
    /// a file that kills the process is recognised after its tries even across restarts.
    public func recordAttempt(_ upload: ClaimedUpload) throws -> Int {
        let url = attemptsFile(upload)
        let previous = (try? String(contentsOf: url, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        let count = previous + 1
        try DurableFile.write(Data("\(count)\n".utf8), to: url)
        return count
    }

    /// Removes the upload's files from processing/ once it is filed.
    public func finish(_ upload: ClaimedUpload) {
        for url in [upload.file, attemptsFile(upload), Sidecar.location(for: upload.file)] {
            try? FileManager.default.removeItem(at: url)
        }
    }

    /// Moves the upload to quarantine/ with `NAME.error.json` beside it. Nothing is deleted.
    @discardableResult
    public func quarantine(_ upload: ClaimedUpload, record: QuarantineRecord) throws -> URL {
        let name = upload.uploadID + Self.separator + upload.originalName
        let target = directory.quarantine.appendingPathComponent(name)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try DurableFile.write(try encoder.encode(record), to: directory.quarantine.appendingPathComponent(name + ".error.json"))
        if rename(upload.file.path, target.path) != 0 && FileManager.default.fileExists(atPath: upload.file.path) {
            throw SpoolError(message: "cannot move \(upload.file.path) to quarantine: \(String(cString: strerror(errno)))")
        }
        let sidecar = Sidecar.location(for: upload.file)
        if sidecar != upload.file, FileManager.default.fileExists(atPath: sidecar.path) {
            _ = rename(sidecar.path, Sidecar.location(for: target).path)
        }
        try? FileManager.default.removeItem(at: attemptsFile(upload))
        return target
    }

    func attemptsFile(_ upload: ClaimedUpload) -> URL {
        upload.file.appendingPathExtension("attempts")
    }

    static func newUploadID() -> String {
        "u-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
    }

    /// A sender's upload id is used only if it is a plain token (it becomes part of a file name).
    static func safeUploadID(_ id: String?) -> String? {
        guard let id, (1...64).contains(id.count),
              id.unicodeScalars.allSatisfy({ ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || $0 == "_" || $0 == "-" }),
              !id.contains(separator)
        else { return nil }
        return id
    }
}

public struct SpoolError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

/// Writes that survive a crash: temp file, fsync, rename, fsync of the folder.
public enum DurableFile {
    public static func write(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw SpoolError(message: "cannot write \(temporary.path): \(String(cString: strerror(errno)))") }
        var ok = data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(temporary.path, url.path) == 0 else {
            unlink(temporary.path)
            throw SpoolError(message: "cannot write \(url.path): \(String(cString: strerror(errno)))")
        }
        syncDirectory(url.deletingLastPathComponent())
    }

    public static func syncDirectory(_ url: URL) {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }
}

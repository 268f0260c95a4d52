import Foundation
import Imaging

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
    /// Set when the inbox entry must not be read at all (a link, not a regular file, an unsafe
    /// name): the daemon quarantines it with this reason without opening it.
    public var refusal: SpoolRefusal?
    /// The file's identity when claimed (device, inode, size, change time), to notice a file
    /// that someone still writes to while it is read.
    public var identity: FileIdentity?
    /// Handed out while nothing else of this process was in hand, and nothing else is handed out
    /// until it is done: if the process dies now, this upload is to blame.
    public var alone = false

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
    /// Never follows a symbolic link and never blocks on a FIFO.
    public init?(_ url: URL) {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        descriptor = fd
    }

    deinit { close(descriptor) }
}

/// Why an inbox entry is refused before it is opened.
public struct SpoolRefusal: Sendable, Equatable {
    public var code: String
    public var reason: String
}

/// What identifies a file's content without reading it: if any of these changed between claim
/// and filing, someone wrote to the file while it was read.
public struct FileIdentity: Sendable, Equatable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    public var changeSeconds: Int
    public var changeNanoseconds: Int

    /// `lstat` of `path` (never follows a link); nil when it does not exist.
    public static func of(_ path: String) -> (FileIdentity, stat)? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        let identity = FileIdentity(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            changeSeconds: Int(info.st_ctim.tv_sec), changeNanoseconds: Int(info.st_ctim.tv_nsec))
        return (identity, info)
    }
}

/// Rules for the names of files in the inbox. A name becomes part of paths and log lines and
/// is shown to caseworkers, so it must be plain text of modest length.
public enum UploadName {
    /// Longest accepted name in UTF-8 bytes (the upload id prefix must still fit NAME_MAX).
    public static let maxBytes = 180

    /// Why `name` is refused, or nil when it is acceptable. Refused: control characters
    /// (C0, DEL, C1), bidirectional overrides and isolates (which make `gpj.exe` read as
    /// `exe.jpg`), zero-width and other invisible format characters, the replacement character
    /// (the name was not valid UTF-8), `/`, `..` as a component, and names longer than
    /// `maxBytes` bytes.
    public static func problem(_ name: String) -> String? {
        if name.isEmpty || name == "." || name == ".." { return "the name '\(name)' is not a file name" }
        if name.utf8.count > maxBytes { return "the name is \(name.utf8.count) bytes long, the limit is \(maxBytes)" }
        for scalar in name.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return "the name contains a control character (U+\(hex(v)))" }
            if scalar == "/" || scalar == "\\" { return "the name contains a path separator" }
            if v == 0xFFFD { return "the name is not valid UTF-8" }
            if scalar.properties.generalCategory == .format || (0x2028...0x2029).contains(v) {
                return "the name contains an invisible or direction-changing character (U+\(hex(v)))"
            }
        }
        if name.contains("..") { return "the name contains '..'" }
        return nil
    }

    /// A safe stand-in for a refused name, for the quarantine folder and the logs.
    public static func sanitized(_ name: String) -> String {
        var result = ""
        for scalar in name.unicodeScalars {
            let v = scalar.value
            let bad = v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || scalar == "/" || scalar == "\\"
                || v == 0xFFFD || scalar.properties.generalCategory == .format || (0x2028...0x2029).contains(v)
            result.unicodeScalars.append(bad ? "_" : scalar)
        }
        result = result.replacingOccurrences(of: "..", with: "__")
        while result.utf8.count > maxBytes { result.removeLast() }
        return result.isEmpty ? "unnamed" : result
    }

    private static func hex(_ v: UInt32) -> String { String(format: "%04X", v) }
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
    /// A name that is not valid UTF-8 cannot even be spelled as a `String`: such an entry is
    /// moved to quarantine here, by its raw bytes, with a record.
    public func inboxCandidates() -> [URL] {
        var names: [String] = []
        guard let folder = opendir(directory.inbox.path) else { return [] }
        while let entry = readdir(folder) {
            let raw = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if raw == Array(".".utf8) || raw == Array("..".utf8) { continue }
            if let name = String(validating: raw, as: UTF8.self) {
                names.append(name)
            } else {
                quarantineUnnamed(raw)
            }
        }
        closedir(folder)
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
    ///
    /// The entry is looked at with `lstat` first and never followed: a symbolic link, a hard
    /// link (a second name for a file that lives elsewhere), anything that is not a regular
    /// file, and a name with control or invisible characters are claimed *as entries* (the
    /// rename moves the link, not its target) and come back with `refusal` set, for the daemon
    /// to quarantine without opening them.
    public func claim(_ file: URL) -> ClaimedUpload? {
        let name = file.lastPathComponent
        guard let (identity, info) = FileIdentity.of(file.path) else { return nil }
        if let refusal = Self.refusal(name: name, info: info) {
            let uploadID = Self.newUploadID()
            let target = directory.processing.appendingPathComponent(uploadID + Self.separator + UploadName.sanitized(name))
            guard rename(file.path, target.path) == 0 else { return nil }
            return ClaimedUpload(
                uploadID: uploadID, originalName: UploadName.sanitized(name), file: target, receivedAt: Date(),
                sidecar: nil, sidecarProblem: nil, lock: nil, refusal: refusal, identity: identity)
        }
        let sidecarURL = Sidecar.location(for: file)
        var sidecar: Sidecar?
        var problem: String?
        if sidecarURL != file {
            do {
                sidecar = try Sidecar.read(at: sidecarURL)
            } catch {
                problem = SidecarError.german(error)
            }
        }
        let uploadID = Self.safeUploadID(sidecar?.uploadID) ?? Self.newUploadID()
        let receivedAt = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
        let target = directory.processing.appendingPathComponent(uploadID + Self.separator + name)
        // Lock before the move (the lock follows the file), so that no other daemon's recovery
        // scan can take it between the rename and the lock.
        guard let lock = ClaimLock(file) else { return nil }
        guard rename(file.path, target.path) == 0 else { return nil }
        if sidecarURL != file, FileIdentity.of(sidecarURL.path) != nil {
            let sidecarTarget = directory.processing.appendingPathComponent(uploadID + Self.separator + sidecarURL.lastPathComponent)
            _ = rename(sidecarURL.path, sidecarTarget.path)
        }
        // Only the service user may read what was received.
        chmod(target.path, 0o600)
        return ClaimedUpload(
            uploadID: uploadID, originalName: name, file: target, receivedAt: receivedAt, sidecar: sidecar,
            sidecarProblem: problem, lock: lock, refusal: nil, identity: FileIdentity.of(target.path)?.0)
    }

    /// Why an inbox entry must not be read, from its `lstat` and its name.
    static func refusal(name: String, info: stat) -> SpoolRefusal? {
        let type = info.st_mode & S_IFMT
        if type == S_IFLNK {
            return SpoolRefusal(code: "symlink", reason: "the upload is a symbolic link; links are never followed, deliver the file itself")
        }
        if type != S_IFREG {
            return SpoolRefusal(code: "not_a_file", reason: "the upload is not a regular file (a folder, device, FIFO or socket); deliver a file")
        }
        if info.st_nlink > 1 {
            return SpoolRefusal(
                code: "hard_link",
                reason: "the upload has \(info.st_nlink) names (a hard link to a file elsewhere); deliver a copy, not a link")
        }
        if let problem = UploadName.problem(name) {
            return SpoolRefusal(code: "unsafe_name", reason: problem + "; rename the file to plain text and send it again")
        }
        return nil
    }

    /// Moves an inbox entry whose name is not UTF-8 to quarantine by its raw bytes.
    func quarantineUnnamed(_ raw: [UInt8]) {
        let uploadID = Self.newUploadID()
        let name = uploadID + Self.separator + "invalid-name"
        let record = QuarantineRecord(
            file: String(decoding: raw, as: UTF8.self), uploadID: uploadID,
            reason: "the file name is not valid UTF-8; rename the file to plain text and send it again",
            code: "unsafe_name", stage: "spool", time: Date(), tries: 0, sha256: nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(record) else { return }
        try? DurableFile.write(data, to: directory.quarantine.appendingPathComponent(name + ".error.json"))
        var source = Array(directory.inbox.path.utf8) + [UInt8(ascii: "/")] + raw + [0]
        var target = Array(directory.quarantine.appendingPathComponent(name).path.utf8) + [0]
        source.withUnsafeMutableBufferPointer { s in
            target.withUnsafeMutableBufferPointer { t in
                s.withMemoryRebound(to: CChar.self) { s in
                    t.withMemoryRebound(to: CChar.self) { t in _ = rename(s.baseAddress!, t.baseAddress!) }
                }
            }
        }
    }

    /// Removes private decoder folders that a crashed run left in processing/.
    public func removeStaleWork() {
        // Hand-over folders of isolated decoding from older versions lay in processing/.
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.processing.path)) ?? []
        for name in names where name.hasPrefix(DecoderIsolation.folderPrefix) || name.hasSuffix(".archive.pdf") {
            let url = directory.processing.appendingPathComponent(name)
            guard let modified = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date,
                  Date().timeIntervalSince(modified) > 3600
            else { continue }
            try? FileManager.default.removeItem(at: url)
        }
        // Temp files of durable writes (`.NAME.PID.RANDOM.tmp`) whose writer is gone.
        for folder in [directory.processing, directory.quarantine, directory.root] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in entries where name.hasPrefix(".") && name.hasSuffix(".tmp") {
                let parts = name.split(separator: ".")
                guard parts.count >= 3, let pid = Int32(parts[parts.count - 3]) else { continue }
                // Called at start: a temp file with our own pid is from an earlier process.
                if pid == getpid() || !Self.isAlive(pid) { try? FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }
            }
        }
        // Scratch folders of processes that are gone (crash, kill -9); a live daemon's stay.
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: directory.scratch.path)) ?? []
        for folder in folders {
            guard let pid = Int32(folder) else { continue }
            if pid == getpid() || !Self.isAlive(pid) { try? FileManager.default.removeItem(at: directory.scratch.appendingPathComponent(folder)) }
        }
        try? FileManager.default.createDirectory(
            at: directory.processScratch, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
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
            guard let (identity, info) = FileIdentity.of(file.path) else { return nil }
            if let refusal = Self.refusal(name: original, info: info) {
                return ClaimedUpload(
                    uploadID: uploadID, originalName: UploadName.sanitized(original), file: file, receivedAt: Date(),
                    sidecar: nil, sidecarProblem: nil, lock: nil, refusal: refusal, identity: identity)
            }
            guard let lock = ClaimLock(file) else { return nil }
            let sidecarFile = Sidecar.location(for: file)
            var sidecar: Sidecar?
            var problem: String?
            if sidecarFile != file {
                do { sidecar = try Sidecar.read(at: sidecarFile) } catch { problem = SidecarError.german(error) }
            }
            let receivedAt = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec))
            return ClaimedUpload(
                uploadID: uploadID, originalName: original, file: file, receivedAt: receivedAt, sidecar: sidecar,
                sidecarProblem: problem, lock: lock, refusal: nil, identity: identity)
        }
    }

    /// Counts one more attempt at `upload` and makes it durable before the work starts, so that
    /// a file that kills the process is recognised after its tries even across restarts.
    /// The file holds the count and, while the attempt runs, whether the upload is alone in hand
    /// (`3 alone`, `3 shared`). An attempt still marked `shared` when the next one starts ended
    /// with its process while other uploads were in hand too: it does not count against this
    /// file. One marked `alone` (or an old file with the count only) does.
    public func recordAttempt(_ upload: ClaimedUpload, alone: Bool) throws -> Int {
        let url = attemptsFile(upload)
        let (previous, state) = attempts(at: url)
        let count = (state == "shared" ? max(0, previous - 1) : previous) + 1
        try DurableFile.write(Data("\(count) \(alone ? "alone" : "shared")\n".utf8), to: url)
        return count
    }

    /// The attempt ended without the process ending (a failure that is retried): it counts,
    /// whoever else was in hand.
    public func endAttempt(_ upload: ClaimedUpload) {
        let url = attemptsFile(upload)
        try? DurableFile.write(Data("\(attempts(at: url).count)\n".utf8), to: url)
    }

    /// Takes back the attempt just counted, for a failure that was not the file's (the blob store
    /// was unreachable): the upload keeps all its tries.
    public func forgetAttempt(_ upload: ClaimedUpload) {
        let url = attemptsFile(upload)
        try? DurableFile.write(Data("\(max(0, attempts(at: url).count - 1))\n".utf8), to: url)
    }

    private func attempts(at url: URL) -> (count: Int, state: String?) {
        let words = ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(whereSeparator: \.isWhitespace)
        return (words.first.flatMap { Int($0) } ?? 0, words.dropFirst().first.map(String.init))
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
        let name = upload.uploadID + Self.separator + UploadName.sanitized(upload.originalName)
        let target = directory.quarantine.appendingPathComponent(name)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try DurableFile.write(try encoder.encode(record), to: directory.quarantine.appendingPathComponent(name + ".error.json"))
        if rename(upload.file.path, target.path) != 0 && FileIdentity.of(upload.file.path) != nil {
            throw SpoolError(message: "cannot move \(upload.file.path) to quarantine: \(String(cString: strerror(errno)))")
        }
        // Owner-only, but never through a link and never on an inode that has other names.
        if let (_, info) = FileIdentity.of(target.path), info.st_mode & S_IFMT == S_IFREG, info.st_nlink == 1 {
            chmod(target.path, 0o600)
        }
        let sidecar = Sidecar.location(for: upload.file)
        if upload.refusal == nil, sidecar != upload.file, FileIdentity.of(sidecar.path) != nil {
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
        // The writer's pid is in the name, so that a temp file left by a killed process can be
        // told from one a live daemon is writing (see `Spool.removeStaleWork`).
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UUID().uuidString.prefix(8)).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
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

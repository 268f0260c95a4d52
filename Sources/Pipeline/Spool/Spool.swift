import Foundation
import Imaging
import SpoolFiles

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

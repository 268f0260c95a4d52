import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The embedded default `BlobStore`: originals and archive PDFs in a local folder, named by the
/// SHA-256 of their bytes: `ROOT/sha256/ab/abcdef…`; cached page images in `imageCache`.
///
/// A blob is written once and never changed: to a temporary file in its own folder, fsync'd,
/// made read-only (0400, the service user only), then linked into place (which, unlike `rename`, never replaces a file
/// that is already there) and the folder fsync'd. The same bytes put twice are one file.
/// Put the blobs before filing the document that names them: a crash in between leaves an
/// unreferenced blob, never a document without its original.
public struct FolderBlobStore: BlobStore {
    /// The folder that holds `sha256/…` (by convention `DATA_DIR/blobs`).
    public let root: URL
    /// Where cached page images go: by default `cache/pages` beside `root` (`DATA_DIR/cache/pages`).
    public let imageCache: URL

    public init(root: URL, imageCache: URL? = nil) {
        self.root = root
        self.imageCache =
            imageCache
            ?? root.deletingLastPathComponent().appendingPathComponent("cache/pages", isDirectory: true)
    }

    public var location: String { root.path }

    /// Stores `data` unless a blob with its hash is already there; returns the hash.
    @discardableResult
    public func put(_ data: Data) throws -> String {
        let sha = SHA256Hex.of(data)
        let final = try url(for: sha)
        if FileManager.default.fileExists(atPath: final.path) {
            return sha
        }
        let folder = final.deletingLastPathComponent()
        try makeFolder(folder)
        // The writer's pid is in the name, so that `removeStaleTemporaries` can tell a killed
        // writer's leftover from a file a live process is writing.
        let temporary = folder.appendingPathComponent(".\(sha).\(getpid()).\(UUID().uuidString).part")
        try writeDurably(data, to: temporary.path)
        defer { _ = unlink(temporary.path) }
        if link(temporary.path, final.path) != 0 {
            let code = errno
            // Someone stored the same bytes meanwhile: the blob is there, which is all we want.
            guard code == EEXIST else {
                throw AkteError.fileSystem(operation: "link", path: final.path, errno: code)
            }
        }
        try fsyncFolder(folder.path)
        return sha
    }

    /// Stores the file's bytes (unchanged) unless a blob with their hash is already there;
    /// returns the hash.
    @discardableResult
    public func put(fileAt url: URL) throws -> String {
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            let missing = !FileManager.default.fileExists(atPath: url.path)
            throw AkteError.fileSystem(operation: "read", path: url.path, errno: missing ? ENOENT : EACCES)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw AkteError.fileSystem(operation: "read", path: url.path, errno: EIO)
        }
        return try put(data)
    }

    /// Where the blob with this hash lives (whether or not it is there).
    public func url(for sha256: String) throws -> URL {
        root.appendingPathComponent(try BlobKey.of(sha256: sha256), isDirectory: false)
    }

    public func locator(for sha256: String) throws -> String { try url(for: sha256).path }

    public func localFile(for sha256: String) throws -> URL? { try url(for: sha256) }

    public func cachedImage(named name: String) throws -> Data? {
        _ = try BlobKey.ofImage(named: name)
        return FileManager.default.contents(atPath: imageCache.appendingPathComponent(name).path)
    }

    /// Written beside, then renamed into place: a reader sees the whole image or none.
    public func cacheImage(_ data: Data, named name: String) throws {
        _ = try BlobKey.ofImage(named: name)
        try FileManager.default.createDirectory(at: imageCache, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = imageCache.appendingPathComponent(".\(UUID().uuidString).png")
        defer { _ = unlink(temporary.path) }
        do {
            try data.write(to: temporary)
        } catch {
            throw AkteError.fileSystem(operation: "write", path: temporary.path, errno: EIO)
        }
        guard rename(temporary.path, imageCache.appendingPathComponent(name).path) == 0 else {
            throw AkteError.fileSystem(operation: "rename", path: imageCache.appendingPathComponent(name).path, errno: errno)
        }
    }

    public func shutdown() {}

    /// The hashes of every blob in the folder (`sha256/ab/abcdef…`), sorted; temporaries left out.
    public func storedHashes() throws -> [String] {
        let shards = root.appendingPathComponent("sha256", isDirectory: true)
        guard FileManager.default.fileExists(atPath: shards.path) else { return [] }
        var hashes: [String] = []
        for shard in try FileManager.default.contentsOfDirectory(atPath: shards.path) where shard.utf8.count == 2 {
            let folder = shards.appendingPathComponent(shard, isDirectory: true)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            where SHA256Hex.isValid(name) && name.hasPrefix(shard) {
                hashes.append(name)
            }
        }
        return hashes.sorted()
    }

    /// The names of the cached page images, sorted (temporaries being written left out).
    public func cachedImageNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: imageCache.path)) ?? []
        return names.filter(BlobKey.isValidImageName).sorted()
    }

    /// Whether a blob with this hash is stored.
    public func contains(sha256: String) throws -> Bool {
        FileManager.default.fileExists(atPath: try url(for: sha256).path)
    }

    /// The blob's bytes, after checking that they still hash to their name.
    public func read(sha256: String) throws -> Data {
        let location = try url(for: sha256)
        guard let data = FileManager.default.contents(atPath: location.path) else {
            throw AkteError.blobMissing(sha256: sha256, path: location.path)
        }
        let actual = SHA256Hex.of(data)
        guard actual == sha256 else {
            throw AkteError.blobCorrupted(sha256: sha256, actualSha256: actual, path: location.path)
        }
        return data
    }

    /// Removes temporary files (`.SHA.PID.RANDOM.part`) whose writer is gone: a process killed
    /// between writing and linking leaves one behind. Files of live processes (another daemon on the
    /// same folder) stay. Returns how many were removed.
    @discardableResult
    public func removeStaleTemporaries() -> Int {
        let shards = root.appendingPathComponent("sha256", isDirectory: true)
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: shards.path)) ?? []
        var removed = 0
        for folder in folders {
            let url = shards.appendingPathComponent(folder, isDirectory: true)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            where name.hasPrefix(".") && name.hasSuffix(".part") {
                let parts = name.split(separator: ".")
                // Files from before the pid was in the name have three parts: old enough to go.
                let pid = parts.count >= 4 ? Int32(parts[1]) : nil
                if let pid, pid != getpid(), kill(pid, 0) == 0 || errno == EPERM { continue }
                if unlink(url.appendingPathComponent(name).path) == 0 { removed += 1 }
            }
        }
        return removed
    }

    // MARK: - File system

    private func makeFolder(_ folder: URL) throws {
        if FileManager.default.fileExists(atPath: folder.path) { return }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            if !FileManager.default.fileExists(atPath: folder.path) {
                throw AkteError.fileSystem(operation: "mkdir", path: folder.path, errno: EACCES)
            }
        }
        // Make the new folder's entry durable in its parent, too.
        try fsyncFolder(folder.deletingLastPathComponent().path)
    }

    private func writeDurably(_ data: Data, to path: String) throws {
        let descriptor = retryingOnInterrupt { open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600) }
        guard descriptor >= 0 else {
            throw AkteError.fileSystem(operation: "open", path: path, errno: errno)
        }
        var closed = false
        defer { if !closed { _ = close(descriptor) } }
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = retryingOnInterrupt {
                    write(descriptor, raw.baseAddress!.advanced(by: offset), raw.count - offset)
                }
                guard written > 0 else {
                    throw AkteError.fileSystem(operation: "write", path: path, errno: errno)
                }
                offset += written
            }
        }
        guard retryingOnInterrupt({ fsync(descriptor) }) == 0 else {
            throw AkteError.fileSystem(operation: "fsync", path: path, errno: errno)
        }
        guard fchmod(descriptor, 0o400) == 0 else {
            throw AkteError.fileSystem(operation: "chmod", path: path, errno: errno)
        }
        closed = true
        guard close(descriptor) == 0 else {
            throw AkteError.fileSystem(operation: "close", path: path, errno: errno)
        }
    }

    private func fsyncFolder(_ path: String) throws {
        let descriptor = retryingOnInterrupt { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard descriptor >= 0 else {
            throw AkteError.fileSystem(operation: "open folder", path: path, errno: errno)
        }
        defer { _ = close(descriptor) }
        guard retryingOnInterrupt({ fsync(descriptor) }) == 0 else {
            throw AkteError.fileSystem(operation: "fsync folder", path: path, errno: errno)
        }
    }

    private func retryingOnInterrupt<T: BinaryInteger>(_ call: () -> T) -> T {
        while true {
            let result = call()
            if result == -1 && errno == EINTR { continue }
            return result
        }
    }
}

import Foundation

/// The folders under one data directory, as in docs/ARCHITECTURE.md.
public struct DataDirectory: Sendable {
    public let root: URL

    public init(_ root: URL) {
        self.root = root.standardizedFileURL
    }

    public var inbox: URL { root.appendingPathComponent("spool/inbox", isDirectory: true) }
    public var processing: URL { root.appendingPathComponent("spool/processing", isDirectory: true) }
    public var quarantine: URL { root.appendingPathComponent("spool/quarantine", isDirectory: true) }
    public var blobs: URL { root.appendingPathComponent("blobs", isDirectory: true) }
    public var database: URL { root.appendingPathComponent("akte.sqlite") }
    public var metrics: URL { root.appendingPathComponent("metrics.prom") }
    /// Scratch space of running daemons, one folder per process id (archive PDFs being
    /// written, decoder hand-over folders); a dead process's folder is removed.
    public var scratch: URL { root.appendingPathComponent("spool/tmp", isDirectory: true) }
    /// This process's scratch folder.
    public var processScratch: URL { scratch.appendingPathComponent(String(getpid()), isDirectory: true) }

    /// Creates the folders that do not exist yet (first start), readable by the service user
    /// only, and tightens them (and the database files) if an older version left them wider.
    public func create() throws {
        for folder in [root, inbox.deletingLastPathComponent(), inbox, processing, quarantine, blobs] {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            chmod(folder.path, 0o700)
        }
        for file in [database.path, database.path + "-wal", database.path + "-shm", metrics.path] {
            var info = stat()
            if lstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG { chmod(file, 0o600) }
        }
    }

    /// Files the service creates from now on are owner-only (0600 files, 0700 folders): the
    /// originals, archive PDFs, database and quarantine hold citizens' data.
    public static func restrictNewFiles() {
        umask(0o077)
    }
}

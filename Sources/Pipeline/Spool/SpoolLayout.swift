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

    /// Creates the folders that do not exist yet (first start), readable by the service user only.
    public func create() throws {
        for folder in [inbox, processing, quarantine, blobs] {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        }
    }
}

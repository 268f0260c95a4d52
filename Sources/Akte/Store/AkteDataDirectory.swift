import Foundation

/// Where the E-Akte lives under one `--data-dir`: `akte.sqlite` and `blobs/sha256/…`.
public struct AkteDataDirectory: Sendable {
    public let url: URL

    public init(_ url: URL) {
        self.url = url
    }

    /// `DATA_DIR/akte.sqlite`.
    public var databasePath: String { url.appendingPathComponent("akte.sqlite").path }

    /// The blob store at `DATA_DIR/blobs`.
    public var blobs: FolderBlobStore { FolderBlobStore(root: url.appendingPathComponent("blobs", isDirectory: true)) }

    /// Opens (creating or migrating) the store in this directory.
    public func openStore() throws -> SQLiteAkte {
        try SQLiteAkte(path: databasePath)
    }
}

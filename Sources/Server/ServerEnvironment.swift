import Akte
import Foundation
import Pipeline

/// What the HTTP side works on: the same data directory, E-Akte and blob store as the daemon.
/// The upload API only ever writes into the spool (the daemon files); the caseworkers' pages read
/// the E-Akte and write corrections through it, audited like the command line.
public struct ServerEnvironment: Sendable {
    public let directory: DataDirectory
    public let akte: SQLiteAkte
    public let blobs: BlobStore

    public init(directory: DataDirectory, akte: SQLiteAkte) {
        self.directory = directory
        self.akte = akte
        self.blobs = BlobStore(root: directory.blobs)
    }
}

import Akte
import Classification
import Foundation
import SpoolFiles

/// What the HTTP side works on: the same data directory, E-Akte and blob store as the daemon.
/// The upload API only ever writes into the spool, or with `queue` into the blob store and the
/// shared queue (a daemon files); the caseworkers' pages read
/// the E-Akte and write corrections through it, audited like the command line.
public struct ServerEnvironment: Sendable {
    public let directory: DataDirectory
    public let akte: any AkteStore
    public let blobs: any BlobStore
    /// The running pipeline configuration (document classes and their fields for the caseworkers'
    /// correction forms), asked anew for every page so that a reload shows; nil when the server
    /// runs without one. `serve` passes the daemon's.
    public var configuration: (@Sendable () -> PipelineConfiguration)?
    /// Session cookies get `Secure` (set when the server sits behind TLS).
    public var secureCookies = false
    /// Reverse proxies whose `X-Forwarded-For` names the client (`serve --trusted-proxy`). From
    /// any other peer the header is ignored: the peer is the client.
    public var trustedProxies: Set<String> = []
    /// The shared work queue (the E-Akte on PostgreSQL): accepted uploads go into the blob store
    /// and a queue row instead of this host's spool. Nil for the embedded default.
    public var queue: PostgresWorkQueue?
    /// Tries a queued upload gets before it is set aside (`--max-tries`).
    public var queueMaxAttempts = 3

    /// `blobs`: the daemon's blob store (`--blobs`); nil for the folder `DATA_DIR/blobs`.
    public init(directory: DataDirectory, akte: any AkteStore, blobs: (any BlobStore)? = nil) {
        self.directory = directory
        self.akte = akte
        self.blobs = blobs ?? FolderBlobStore(root: directory.blobs)
    }
}

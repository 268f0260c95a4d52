import Akte
import Foundation
import SpoolFiles

/// The upload API as a stateless front end (the E-Akte on PostgreSQL, issue 17): an accepted
/// upload goes into the blob store and the shared work queue, not into this host's spool, so
/// that any worker on any host files it and any front end answers its status.
extension UploadAPI {
    /// Stores the file the daemon will read in the blob store, then its queue row and the
    /// client's record, and only then answers 202: both are durable by then (the object store
    /// answered the PUT, PostgreSQL committed). A crash in between leaves an unreferenced blob or
    /// a queued upload the client was never told of, never a 202 for something lost.
    func commitToQueue(
        _ received: Received, area: StagingArea, uploadID: String, client: APIClientIdentity, caseID: String?, key: String?,
        queue: PostgresWorkQueue
    ) async throws -> Accepted {
        let (file, format) = try await Self.blocking { try self.fileToRead(received, area: area, uploadID: uploadID) }
        let sha256 = try await environment.blobs.put(fileAt: file)
        let bytes = Self.fileSize(file)
        let sidecarJSON = String(decoding: try Self.sidecarJSON(received, uploadID: uploadID, client: client, caseID: caseID), as: UTF8.self)
        let acceptedAt = Date()
        let maxAttempts = environment.queueMaxAttempts
        return try await Self.blocking {
            try queue.enqueue(
                uploadID: uploadID, sha256: sha256, filename: Self.fileName(received, format: format), channel: client.client,
                sidecarJSON: sidecarJSON, receivedAt: acceptedAt, maxAttempts: maxAttempts)
            return try self.recordAccepted(
                received, uploadID: uploadID, client: client, caseID: caseID, key: key, bytes: bytes, sha256: sha256,
                acceptedAt: acceptedAt)
        }
    }
}

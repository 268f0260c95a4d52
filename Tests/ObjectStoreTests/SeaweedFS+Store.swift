import Foundation
import ObjectStore
import PosteingangTestKit

extension SeaweedFS {
    /// An S3 store on this SeaweedFS with its bucket made.
    func store(retryingUntil seconds: Double = 30) async throws -> S3BlobStore {
        let blobs = S3BlobStore(
            location: try S3Location(parsing: address),
            credentials: .init(accessKeyID: accessKey, secretAccessKey: secretKey))
        // The filer may need a moment after S3 first answers.
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            do {
                try await blobs.prepare(create: true)
                return blobs
            } catch where Date() < deadline {
                try await Task.sleep(nanoseconds: 300_000_000)
            } catch {
                try? await blobs.shutdown()
                throw error
            }
        }
    }

}

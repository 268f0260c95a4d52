import Akte
import Foundation

/// The one place that turns a `--blobs` value (or `POSTEINGANG_BLOBS`) into a `BlobStore`:
/// - nothing: the folder `DATA_DIR/blobs` (the embedded default);
/// - a folder path (or `file:///path`): that folder;
/// - `s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION[&credentials=FILE]`: an S3-compatible store,
///   keys from the environment or a file (`S3Credentials`).
public enum BlobStores {
    /// The value's origin for messages: `--blobs` or the environment variable.
    public static let environmentVariable = "POSTEINGANG_BLOBS"

    public static func open(
        _ value: String?, dataDirectory: URL, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> any BlobStore {
        let chosen = value.flatMap { $0.isEmpty ? nil : $0 } ?? environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        guard let chosen else { return FolderBlobStore(root: dataDirectory.appendingPathComponent("blobs", isDirectory: true)) }
        if chosen.hasPrefix("s3://") {
            let location = try S3Location(parsing: chosen)
            return S3BlobStore(location: location, credentials: try S3Credentials.resolve(for: location, environment: environment))
        }
        if chosen.hasPrefix("file://") {
            guard let url = URL(string: chosen), url.isFileURL, !url.path.isEmpty else {
                throw S3LocationError("'\(chosen)' is not a file:// address of a folder")
            }
            return FolderBlobStore(root: url)
        }
        if let scheme = chosen.range(of: "://") {
            throw S3LocationError(
                "blob store '\(chosen[..<scheme.lowerBound])://…' is not supported (accepted: a folder path, file:///folder, or s3://BUCKET?endpoint=http://HOST:PORT&region=REGION)"
            )
        }
        return FolderBlobStore(root: URL(fileURLWithPath: chosen, isDirectory: true))
    }
}

import Foundation

/// Where originals, archive PDFs and cached page images live, named by the SHA-256 of their
/// bytes (`sha256/ab/abcdef…`). Written once, never changed; every read is checked against the
/// name. Two kinds: `FolderBlobStore` (a local folder, the embedded default) and the S3 store of
/// the `ObjectStore` target (any S3-compatible object store). Callers get one from
/// `BlobStores.open(_:dataDirectory:)` there, or a `FolderBlobStore` directly.
///
/// Put the blobs before filing the document that names them: a crash in between leaves an
/// unreferenced blob, never a document without its original.
public protocol BlobStore: Sendable {
    /// For logs and people: the folder's path, or `s3://BUCKET at ENDPOINT`.
    var location: String { get }

    /// Stores `data` unless a blob with its hash is already there; returns the hash.
    @discardableResult
    func put(_ data: Data) async throws -> String

    /// Stores the file's bytes (unchanged) unless a blob with their hash is already there;
    /// returns the hash.
    @discardableResult
    func put(fileAt url: URL) async throws -> String

    /// Whether a blob with this hash is stored.
    func contains(sha256: String) async throws -> Bool

    /// The blob's bytes, after checking that they still hash to their name
    /// (`AkteError.blobMissing` / `.blobCorrupted` otherwise).
    func read(sha256: String) async throws -> Data

    /// Where the blob with this hash is (whether or not it is there), for people: a file path or
    /// an `s3://BUCKET/KEY` address.
    func locator(for sha256: String) throws -> String

    /// The blob's own file, where it is one on this machine (the folder store); nil for a remote
    /// store, whose blobs callers `read` into a file of their own.
    func localFile(for sha256: String) throws -> URL?

    /// A derived image cached under `name` (letters, digits, `.`, `_`, `-`), or nil when none is.
    /// Not content-addressed: the name says what it was made from (`PDFSHA-p3-large.png`).
    func cachedImage(named name: String) async throws -> Data?

    /// Caches a derived image under `name` (replacing one of the same name: same source, same bytes).
    func cacheImage(_ data: Data, named name: String) async throws

    /// Removes what a killed writer left behind; returns how many were removed.
    @discardableResult
    func removeStaleTemporaries() -> Int

    /// Ends the store's connections (the S3 store's HTTP client); call once when done.
    func shutdown() async throws
}

/// The names inside a blob store, the same in a folder and in a bucket.
public enum BlobKey {
    /// `sha256/ab/abcdef…` for a valid lowercase SHA-256 in hex.
    public static func of(sha256: String) throws -> String {
        guard SHA256Hex.isValid(sha256) else { throw AkteError.invalidSha256(sha256) }
        return "sha256/\(sha256.prefix(2))/\(sha256)"
    }

    /// `cache/pages/NAME` for a cached image's name.
    public static func ofImage(named name: String) throws -> String {
        guard isValidImageName(name) else { throw AkteError.invalidInput("'\(name)' cannot name a cached image (letters, digits, '.', '_', '-'; not starting with '.')") }
        return "cache/pages/\(name)"
    }

    /// Whether `name` may name a cached image: letters, digits, `.`, `_`, `-`; no path, no hidden file.
    public static func isValidImageName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 200 && !name.hasPrefix(".")
            && name.utf8.allSatisfy { (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == 46 || $0 == 95 || $0 == 45 }
    }
}

/// A blob store that could not do its work (unreachable, refused, timed out): the English
/// `description` goes to logs and the API, `germanMessage` to the caseworker's page.
public protocol BlobStoreFailure: Error, CustomStringConvertible {
    var germanMessage: String { get }
}

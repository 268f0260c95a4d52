import Foundation

/// What went wrong in the E-Akte, said so that the caller knows what to do next.
public enum AkteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No document has this id.
    case unknownDocument(String)
    /// The BG-Nummer is not in the case register.
    case unknownCase(String)
    /// No upload has this id.
    case unknownUpload(String)
    /// The same upload id was recorded earlier with other bytes.
    case uploadIDConflict(uploadID: String, recordedSha256: String, newSha256: String)
    /// The upload already became a document; it cannot be refused or reprocessed.
    case uploadAlreadyFiled(uploadID: String, documentID: String)
    /// The data directory was written by a newer Posteingang.
    case schemaTooNew(path: String, unknownMigrations: [String])
    /// The document handed to `file(_:)` or a correction is not well-formed.
    case invalidInput(String)
    /// A review can only be resolved while the document waits for one.
    case notInReview(documentID: String, status: DocumentStatus)
    /// A document without a case cannot leave review: filing it nowhere is not filing.
    case noCaseAssigned(documentID: String)
    /// The string is not a SHA-256 in lowercase hex.
    case invalidSha256(String)
    /// No blob with this hash is in the blob store.
    case blobMissing(sha256: String, path: String)
    /// A blob's bytes no longer match its name: the original was changed on disk.
    case blobCorrupted(sha256: String, actualSha256: String, path: String)
    /// A file system call failed.
    case fileSystem(operation: String, path: String, errno: Int32)
    /// No requested document has this number.
    case unknownRequest(Int64)
    /// The PostgreSQL server named by the database URL did not take the connection.
    case databaseUnreachable(url: String, reason: String)

    public var description: String {
        switch self {
        case .unknownDocument(let id):
            return "no document with id '\(id)' in the E-Akte; check the id (list them with inbox or search)"
        case .unknownCase(let bg):
            return "case '\(bg)' is not in the case register; import the current register or check the BG-Nummer"
        case .unknownUpload(let id):
            return "no upload with id '\(id)'; record it with recordReceived first"
        case .uploadIDConflict(let id, let old, let new):
            return "upload '\(id)' was recorded with sha256 \(old), now \(new); every upload needs its own id"
        case .uploadAlreadyFiled(let id, let doc):
            return
                "upload '\(id)' is already filed as document \(doc); correct the document instead of reprocessing the upload"
        case .schemaTooNew(let path, let unknown):
            return
                "\(path) was written by a newer Posteingang (unknown migrations: \(unknown.joined(separator: ", "))); "
                + "run that version or newer, do not open it with this one"
        case .invalidInput(let reason):
            return "invalid input: \(reason)"
        case .notInReview(let id, let status):
            return "document \(id) is \(status.rawValue), not needs_review; nothing to resolve"
        case .noCaseAssigned(let id):
            return "document \(id) has no case; assign it to a case before resolving the review"
        case .invalidSha256(let value):
            return "'\(value)' is not a SHA-256 (64 lowercase hex digits)"
        case .blobMissing(let sha, let path):
            return "original \(sha) is missing at \(path); restore the blob store from backup"
        case .blobCorrupted(let sha, let actual, let path):
            return
                "original \(sha) at \(path) now hashes to \(actual): the file was changed; restore it from backup and investigate"
        case .fileSystem(let operation, let path, let code):
            return
                "\(operation) failed for \(path): \(String(cString: strerror(code))) (errno \(code)); check the data directory's permissions and free space"
        case .unknownRequest(let id):
            return "no request number \(id) in the E-Akte; `posteingang requests list` shows them"
        case .databaseUnreachable(let url, let reason):
            return
                "cannot connect to PostgreSQL at \(url): \(reason); check that the server runs and the URL, and the password "
                + "(PGPASSWORD or POSTEINGANG_DATABASE_PASSWORD_FILE)"
        }
    }
}

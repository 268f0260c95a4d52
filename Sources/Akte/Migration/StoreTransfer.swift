import Foundation

/// Reading an E-Akte table by table, row by row, for `store migrate` (the embedded SQLite file
/// is the source). Rows come in the store's own order, a batch at a time, with a cursor to go on.
public protocol StoreExport: AkteStore, StoreSchemaDescription {
    /// Up to `limit` rows of `table` after `cursor` (0: from the start), and the cursor after them.
    func exportRows(_ table: StoreTable, after cursor: Int64, limit: Int) throws -> (rows: [StoreRow], cursor: Int64)
}

/// Writing copied rows into an E-Akte (PostgreSQL, or another SQLite file), and reading them back
/// by key to check them. Rows keep their keys and numbers; the audit chain's entries keep their
/// sequence numbers and hashes, so the chain verifies on the target as it did on the source.
public protocol StoreImport: AkteStore, StoreSchemaDescription {
    /// The rows of `table` whose keys are among `keys` (those that exist), by key.
    func rows(_ table: StoreTable, keys: [StoreKey]) throws -> [StoreKey: StoreRow]
    /// Inserts the rows in one transaction; a row whose key is already there is left as it is.
    /// Returns how many were inserted. On PostgreSQL it also moves the sequence of a numbered
    /// key past the copied numbers and the audit chain's head to the last copied entry.
    @discardableResult
    func insertRows(_ table: StoreTable, _ rows: [StoreRow]) throws -> Int
}

/// What both backends tell about themselves for a transfer.
public protocol StoreSchemaDescription: Sendable {
    /// Every table of the store with its columns (names lowercased), the backend's own
    /// bookkeeping tables (migrations, sequences, search index internals) left out.
    func tableColumns() throws -> [String: Set<String>]
    /// Every blob the E-Akte names, with what it is (see `BlobReference`).
    func referencedBlobs() throws -> [BlobReference]
}

/// A blob the E-Akte names and must be able to read.
public struct BlobReference: Sendable, Hashable, Codable {
    /// What the blob is for.
    public enum Role: String, Sendable, Codable {
        /// A document's own bytes (an upload, or a part's PDF).
        case document
        /// A document's searchable archive PDF.
        case archivePDF = "archive_pdf"
        /// An upload's original, kept once for a multi-document upload.
        case upload
        /// A page file of an API upload sent as several files.
        case apiPart = "api_part"

        /// The German word for it.
        public var german: String {
            switch self {
            case .document: return "Dokument"
            case .archivePDF: return "Archiv-PDF"
            case .upload: return "Original der Sendung"
            case .apiPart: return "Seitendatei einer API-Sendung"
            }
        }
    }

    public let sha256: String
    public let role: Role
    /// The document or upload that names it.
    public let owner: String

    public init(sha256: String, role: Role, owner: String) {
        self.sha256 = sha256
        self.role = role
        self.owner = owner
    }

    /// The query both backends run: every hash a row names, with its role and owner. A filed
    /// upload's original was stored before it was filed; an API upload of several files stored
    /// each file when it was accepted.
    static let query = """
        SELECT sha256, 'document' AS role, id AS owner FROM documents
        UNION ALL SELECT archivePDFSha256, 'archive_pdf', id FROM documents WHERE archivePDFSha256 IS NOT NULL
        UNION ALL SELECT sha256, 'upload', id FROM uploads WHERE documentID IS NOT NULL
        UNION ALL SELECT p.sha256, 'api_part', p.uploadID FROM api_upload_parts p
            JOIN api_uploads u ON u.uploadID = p.uploadID WHERE u.parts > 1
        """

    /// The rows of `query` with one reference per hash (the first role found).
    static func distinct(_ rows: [(String, String, String)]) -> [BlobReference] {
        var seen = Set<String>()
        var references: [BlobReference] = []
        for (sha, role, owner) in rows where seen.insert(sha).inserted {
            references.append(BlobReference(sha256: sha, role: Role(rawValue: role) ?? .document, owner: owner))
        }
        return references
    }
}

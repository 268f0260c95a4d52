import Akte
import ArgumentParser
import Foundation
import ObjectStore
import Pipeline
import SpoolFiles

/// Options of the commands that work on the E-Akte.
struct StoreOptions: ParsableArguments {
    @Option(help: "Data directory (spool, akte.sqlite, blobs).") var dataDir: String = "posteingang-data"
    @Option(name: .customLong("as"), help: "Who acts (written to the audit trail); default: the login name.")
    var actor: String?
    @Option(
        name: .customLong("database"),
        help: ArgumentHelp(
            "The E-Akte's database: postgres://USER@HOST:PORT/DB (password from PGPASSWORD or POSTEINGANG_DATABASE_PASSWORD_FILE, never here); default: POSTEINGANG_DATABASE_URL, else DATA_DIR/akte.sqlite.",
            valueName: "url"))
    var databaseOption: String?

    /// The database `--database` or `POSTEINGANG_DATABASE_URL` names; nil for `DATA_DIR/akte.sqlite`.
    var database: String? { AkteStores.configuredDatabase(databaseOption) }

    @Option(
        name: .customLong("blobs"),
        help: ArgumentHelp(
            "Where originals and PDFs are: a folder (default DATA_DIR/blobs) or s3://BUCKET?endpoint=http://HOST:PORT&region=REGION.",
            discussion: "Also from POSTEINGANG_BLOBS. S3 keys come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or POSTEINGANG_S3_…) or a file (credentials=FILE), never from the command line."))
    var blobsValue: String?

    var directory: DataDirectory { DataDirectory(URL(fileURLWithPath: dataDir, isDirectory: true)) }
    var who: String { actor ?? ProcessInfo.processInfo.environment["USER"] ?? "cli" }

    func openStore(create: Bool = false) throws -> any AkteStore {
        do {
            let location = try AkteStores.location(database: database, dataDirectory: directory.root)
            if create {
                try directory.create()
            } else if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
                throw ValidationError("no E-Akte at \(path); start `posteingang run --data-dir \(dataDir)` or import cases first, or pass --data-dir or --database")
            }
            return try AkteStores.open(location)
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The blob store `--blobs` (or POSTEINGANG_BLOBS) names; an S3 store is checked first (it
    /// answers, the keys work, the bucket is there). Call `shutdown()` when done, or use `withBlobs`.
    func openBlobs() async throws -> any BlobStore {
        let blobs: any BlobStore
        do {
            blobs = try BlobStores.open(blobsValue, dataDirectory: directory.root)
        } catch {
            throw ValidationError("--blobs: \(error)")
        }
        if let s3 = blobs as? S3BlobStore {
            do {
                try await s3.prepare()
            } catch {
                try? await s3.shutdown()
                throw ValidationError("--blobs: \(error)")
            }
        }
        return blobs
    }

    /// Runs `body` with the blob store and shuts it down afterwards, also when `body` throws.
    func withBlobs<T>(_ body: (any BlobStore) async throws -> T) async throws -> T {
        let blobs = try await openBlobs()
        do {
            let result = try await body(blobs)
            try await blobs.shutdown()
            return result
        } catch {
            try? await blobs.shutdown()
            throw error
        }
    }
}

/// Date formats for tables.
enum Display {
    static func date(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "de_DE")
        f.timeZone = TimeZone.current
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: date)
    }

    static func parseSince(_ value: String?) throws -> Date? {
        guard let value else { return nil }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone.current
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"] {
            f.dateFormat = format
            if let date = f.date(from: value) { return date }
        }
        throw ValidationError("--since '\(value)' is not a date (use YYYY-MM-DD or YYYY-MM-DD HH:MM)")
    }

    static func summaryLine(_ d: DocumentSummary, fields: [DocumentField] = []) -> String {
        let keyFields = fields.prefix(4).map { "\($0.key)=\($0.value)\($0.doubtful ? "?" : "")" }.joined(separator: " ")
        let conf = String(format: "%3.0f%%", d.classConfidence * 100)
        return "\(date(d.receivedAt))  \(d.id.prefix(8))  \(d.documentClass.padding(toLength: 24, withPad: " ", startingAt: 0)) \(conf)  \(d.caseID ?? "—")  \(d.originalFilename)\(keyFields.isEmpty ? "" : "  " + keyFields)"
    }
}

extension Display {
    /// Prints `value` as sorted, indented JSON (the `--json` output of the commands).
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// The truth lines of a labelled folder (`FOLDER/truth.jsonl`); a missing or broken file is
    /// a usage error naming the file and the line.
    static func truthRecords(in folder: URL) throws -> [TruthRecord] {
        do {
            return try TruthRecord.load(from: folder.appendingPathComponent("truth.jsonl"))
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

import Akte
import ArgumentParser
import Foundation
import ObjectStore
import Pipeline
import SpoolFiles

/// `posteingang store migrate --from DATA --to postgres://… --blobs s3://…`.
struct StoreMigrateCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy an embedded installation (DATA/akte.sqlite and DATA/blobs) into PostgreSQL and an S3 store, and check the copy.",
        discussion: """
            Copies every row (documents, uploads, receipts, parts, pages, fields, corrections, users, sessions, API \
            tokens and uploads, requests, work and notes, findings' reviews, the audit trail with its hashes), every \
            blob and every cached page image; then reads every row and blob back from the target (content hash per \
            row, SHA-256 per blob) and verifies the audit chain there. Running it again copies nothing. A target \
            that holds other data under the same keys is refused before anything is written. Stop `run` and `serve` \
            on the source first. The database password comes from PGPASSWORD, POSTEINGANG_DATABASE_PASSWORD_FILE or \
            ~/.pgpass; S3 keys from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or POSTEINGANG_S3_…) or credentials=FILE.
            """)

    @Option(help: ArgumentHelp("The embedded installation's data directory (holds akte.sqlite and blobs/).", valueName: "data-dir"))
    var from: String
    @Option(
        help: ArgumentHelp(
            "Where to: postgres://USER@HOST:PORT/DB (no password in it), or another data directory (its akte.sqlite).",
            valueName: "target"))
    var to: String
    @Option(
        help: ArgumentHelp(
            "Where the blobs go: s3://BUCKET?endpoint=http://HOST:PORT&region=REGION or a folder; default POSTEINGANG_BLOBS, or TARGET/blobs when --to is a data directory.",
            valueName: "blobs"))
    var blobs: String?
    @Flag(help: "Create the S3 bucket when it is missing.") var createBucket = false
    @Flag(help: "Print the report as JSON (English keys, the message in German and English).") var json = false

    func execute() async throws {
        let environment = ProcessInfo.processInfo.environment
        let sourceDirectory = URL(fileURLWithPath: from, isDirectory: true).standardizedFileURL
        let source = try openSource(sourceDirectory)
        let (targetLocation, targetDirectory) = try targetLocation()
        if case .sqlite(let path) = targetLocation,
            URL(fileURLWithPath: path).standardizedFileURL.path == URL(fileURLWithPath: source.path).standardizedFileURL.path
        {
            try StoreRefusal(
                "target_is_source", german: "--to nennt dieselbe E-Akte wie --from (\(source.path)); ein anderes Ziel angeben.",
                english: "--to names the same E-Akte as --from (\(source.path))"
            ).exit(json: json)
        }
        let blobsValue = blobs ?? environment[BlobStores.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        if blobsValue == nil, targetDirectory == nil {
            try StoreRefusal(
                "blobs_missing",
                german: "--blobs fehlt: wohin sollen Originale, Archiv-PDFs und Seitenbilder? Angenommen: s3://BUCKET?endpoint=http://HOST:PORT&region=REGION oder ein Ordner (oder POSTEINGANG_BLOBS).",
                english: "--blobs is missing: give s3://BUCKET?endpoint=…&region=… or a folder (or POSTEINGANG_BLOBS)"
            ).exit(json: json)
        }
        let targetBlobs: any BlobStore
        do {
            targetBlobs = try BlobStores.open(blobsValue, dataDirectory: targetDirectory ?? sourceDirectory, environment: environment)
            if let s3 = targetBlobs as? S3BlobStore { try await s3.prepare(create: createBucket) }
        } catch {
            try StoreRefusal(
                "blobs_unavailable",
                german: "Der Blob-Speicher des Ziels ist nicht nutzbar: \(Self.german(error)). Angenommen: s3://BUCKET?endpoint=http://HOST:PORT&region=REGION (Schlüssel aus AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY oder credentials=DATEI; fehlender Bucket mit --create-bucket) oder ein Ordner.",
                english: "the target's blob store cannot be used: \(error)"
            ).exit(json: json)
        }
        let target: any StoreImport
        do {
            if let targetDirectory { try FileManager.default.createDirectory(at: targetDirectory, withIntermediateDirectories: true) }
            target = try AkteStores.openForTransfer(targetLocation)
        } catch {
            try? await targetBlobs.shutdown()
            try StoreRefusal(
                "target_unavailable", german: "Die Ziel-E-Akte \(targetLocation) lässt sich nicht öffnen: \(Self.german(error)).",
                english: "cannot open the target E-Akte \(targetLocation): \(error)"
            ).exit(json: json)
        }

        var migration = StoreMigration(
            source: source, sourceBlobs: AkteDataDirectory(sourceDirectory).blobs, target: target, targetBlobs: targetBlobs)
        let quiet = json
        migration.progress = { line in if !quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) } }
        let report: StoreMigrationReport
        do {
            report = try await migration.run()
            try await targetBlobs.shutdown()
        } catch let refusal as StoreMigrationRefusal {
            try? await targetBlobs.shutdown()
            try StoreRefusal(refusal).exit(json: json)
        } catch {
            try? await targetBlobs.shutdown()
            throw error
        }
        let spool = SpoolLeftovers(DataDirectory(sourceDirectory))
        if json {
            var output = StoreCommandOutput(
                ok: report.isComplete, report: report,
                message: .init(de: (report.german + spool.german).joined(separator: "\n"), en: report.english + spool.english))
            output.spoolNotCopied = spool
            try output.print()
        } else {
            print("Von \(source.path) nach \(target.location), Blobs nach \(targetBlobs.location):")
            (report.german + spool.german).forEach { print($0) }
        }
        if !report.isComplete { throw ExitCode(1) }
    }

    /// The source: a data directory with an E-Akte in SQLite, nothing else.
    private func openSource(_ directory: URL) throws -> SQLiteAkte {
        if from.contains("://") {
            try StoreRefusal(
                "source_not_embedded",
                german: "--from '\(from)' ist keine eingebettete Installation. Angenommen wird ein Datenverzeichnis mit akte.sqlite (und blobs/), z. B. --from /var/lib/posteingang.",
                english: "--from '\(from)' is not an embedded installation; give a data directory holding akte.sqlite"
            ).exit(json: json)
        }
        let path = AkteDataDirectory(directory).databasePath
        guard FileManager.default.fileExists(atPath: path) else {
            try StoreRefusal(
                "source_not_embedded",
                german: "In --from '\(from)' liegt keine E-Akte (\(path) fehlt). Angenommen wird das Datenverzeichnis einer eingebetteten Installation: ein Ordner mit akte.sqlite und blobs/.",
                english: "--from '\(from)' holds no E-Akte (\(path) is missing); give the data directory of an embedded installation"
            ).exit(json: json)
        }
        do {
            return try SQLiteAkte(path: path)
        } catch {
            try StoreRefusal(
                "source_unreadable", german: "Die E-Akte in \(path) lässt sich nicht öffnen: \(Self.german(error)).",
                english: "cannot open \(path): \(error)"
            ).exit(json: json)
        }
    }

    /// The target's E-Akte, and its data directory when it is one (for the default blob folder).
    private func targetLocation() throws -> (AkteStores.Location, URL?) {
        if to.hasPrefix("postgres://") || to.hasPrefix("postgresql://") {
            if URLComponents(string: to)?.password != nil {
                try StoreRefusal(
                    "password_in_url",
                    german: "--to '\(Self.withoutPassword(to))' enthält ein Passwort, das `ps` und Protokolle zeigen würden. Herausnehmen und PGPASSWORD, POSTEINGANG_DATABASE_PASSWORD_FILE=DATEI oder ~/.pgpass verwenden.",
                    english: "the database URL carries a password, which `ps` and logs would show: take it out and set PGPASSWORD or POSTEINGANG_DATABASE_PASSWORD_FILE"
                ).exit(json: json)
            }
            do {
                return (try AkteStores.location(database: to, dataDirectory: URL(fileURLWithPath: from)), nil)
            } catch {
                try StoreRefusal(
                    "target_invalid",
                    german: "--to '\(Self.withoutPassword(to))' wird nicht angenommen: \(Self.german(error)). Angenommen: postgres://BENUTZER@HOST:PORT/DATENBANK (Passwort aus PGPASSWORD, POSTEINGANG_DATABASE_PASSWORD_FILE oder ~/.pgpass) oder ein Datenverzeichnis.",
                    english: "--to '\(Self.withoutPassword(to))' is not accepted: \(error)"
                ).exit(json: json)
            }
        }
        if to.hasPrefix("sqlite:") { return (.sqlite(path: String(to.dropFirst("sqlite:".count))), nil) }
        if to.contains("://") {
            try StoreRefusal(
                "target_invalid",
                german: "--to '\(to)' wird nicht angenommen. Angenommen: postgres://BENUTZER@HOST:PORT/DATENBANK oder ein Datenverzeichnis (Ordner).",
                english: "--to '\(to)' is not accepted: give postgres://USER@HOST:PORT/DB or a data directory"
            ).exit(json: json)
        }
        let directory = URL(fileURLWithPath: to, isDirectory: true).standardizedFileURL
        return (.sqlite(path: AkteDataDirectory(directory).databasePath), directory)
    }

    /// The address with a password in it replaced by `***`, so that a refusal does not print it again.
    static func withoutPassword(_ address: String) -> String {
        guard var components = URLComponents(string: address), components.password != nil else { return address }
        components.password = "***"
        return components.string ?? "postgres://…"
    }

    /// An error as people read it: the German message where the error has one.
    static func german(_ error: any Error) -> String {
        if let failure = error as? any BlobStoreFailure { return failure.germanMessage }
        if let akte = error as? AkteError, case .databaseUnreachable(let url, let reason) = akte {
            return "keine Verbindung zu PostgreSQL unter \(url) (\(reason)); läuft der Server, stimmen Adresse und Passwort?"
        }
        return "\(error)"
    }
}

/// The uploads still in a data directory's spool: `store migrate` copies the E-Akte and the
/// blobs, not the spool, so it says what was left there.
struct SpoolLeftovers: Encodable {
    var inbox: Int
    var processing: Int
    var quarantine: Int

    init(_ directory: DataDirectory) {
        func uploads(_ folder: URL) -> Int {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".json") && !$0.hasSuffix(".attempts") && !$0.hasSuffix(".part") }
                .count
        }
        inbox = uploads(directory.inbox)
        processing = uploads(directory.processing)
        quarantine = uploads(directory.quarantine)
    }

    var german: [String] {
        var lines: [String] = []
        if inbox + processing > 0 {
            lines.append(
                "Hinweis: Im Spool der Quelle warten noch \(inbox + processing) Sendungen (spool/inbox, spool/processing); sie werden nicht kopiert. "
                    + "Erst von posteingang run abarbeiten lassen und die Migration wiederholen (sie kopiert dann nur das Neue).")
        }
        if quarantine > 0 {
            lines.append(
                "Hinweis: \(quarantine) abgewiesene Dateien in spool/quarantine werden nicht kopiert; sie bleiben im Ordner der Quelle.")
        }
        return lines
    }

    var english: String {
        inbox + processing + quarantine == 0
            ? "" : " Not copied: \(inbox + processing) uploads waiting and \(quarantine) refused files in the source's spool."
    }
}

import Foundation

/// What `store migrate` did and found: figures per table, for blobs and page images, and the
/// audit chain on both sides. Coded with English keys for `--json`; `german` is what people read.
public struct StoreMigrationReport: Sendable, Codable {
    public struct TableFigures: Sendable, Codable {
        public var table: String
        public var sourceRows = 0
        public var copied = 0
        public var alreadyThere = 0
        /// Source rows read back from the target with the same content.
        public var verified = 0
        /// Source rows the target changed (or dropped) since an earlier migration (`targetAhead`).
        public var changedOnTarget = 0
        /// Digest over the source rows' content hashes, in the source's order.
        public var sha256 = ""
        /// The same over the target's rows of those keys: equal when every row is.
        public var targetSha256 = ""

        init(table: String) { self.table = table }
    }

    public struct BlobFigures: Sendable, Codable {
        /// Blobs in the source folder or named by the source's E-Akte (distinct hashes).
        public var sourceBlobs: Int
        /// Of those, named by the E-Akte.
        public var referenced: Int
        public var copied = 0
        public var bytesCopied: Int64 = 0
        public var alreadyThere = 0
        /// Blobs read back from the target with the right SHA-256 (copied ones and every one the target's E-Akte names).
        public var verified = 0
        /// Missing or changed in the source folder: not copied.
        public var sourceProblems: [BlobProblem] = []
        /// Missing or changed on the target afterwards.
        public var targetProblems: [BlobProblem] = []
        var checkedHashes: [String] = []

        init(sourceBlobs: Int, referenced: Int) {
            self.sourceBlobs = sourceBlobs
            self.referenced = referenced
        }

        enum CodingKeys: String, CodingKey {
            case sourceBlobs, referenced, copied, bytesCopied, alreadyThere, verified, sourceProblems, targetProblems
        }
    }

    public struct ImageFigures: Sendable, Codable {
        public var sourceImages: Int
        public var copied = 0
        public var alreadyThere = 0
        public var verified = 0
        public var differing: [String] = []
        var names: [String] = []

        init(sourceImages: Int) { self.sourceImages = sourceImages }

        enum CodingKeys: String, CodingKey { case sourceImages, copied, alreadyThere, verified, differing }
    }

    public struct AuditFigures: Sendable, Codable {
        public var sourceEntries: Int
        public var sourceHead: String
        public var targetEntries: Int
        public var targetHead: String
        public var targetIntact: Bool
        public var targetBreak: String?
    }

    public var tables: [TableFigures]
    public var rowMismatches: [RowMismatch]
    public var blobs: BlobFigures
    public var pageImages: ImageFigures
    /// The target already held this source's whole audit trail and more entries after it: it was
    /// migrated from this source before and has been used since, so no row was copied.
    public var targetAhead: Bool
    public var audit: AuditFigures
    public var seconds: Double
    public var phases: Phases

    /// Where the time went: the checks before copying, rows, blobs and page images, the checks after.
    public struct Phases: Sendable, Codable {
        public var checkSeconds = 0.0
        public var rowsSeconds = 0.0
        public var blobsSeconds = 0.0
        public var verifySeconds = 0.0
    }

    public var rowsCopied: Int { tables.map(\.copied).reduce(0, +) }
    public var sourceRows: Int { tables.map(\.sourceRows).reduce(0, +) }
    public var rowsVerified: Int { tables.map(\.verified).reduce(0, +) }
    public var rowsChangedOnTarget: Int { tables.map(\.changedOnTarget).reduce(0, +) }

    /// Every row and blob is on the target as in the source, and the target's chain verifies.
    public var isComplete: Bool {
        rowMismatches.isEmpty && rowsVerified + rowsChangedOnTarget == sourceRows && blobs.sourceProblems.isEmpty && blobs.targetProblems.isEmpty
            && pageImages.differing.isEmpty && audit.targetIntact && audit.targetEntries >= audit.sourceEntries
    }

    /// Nothing was copied this time (a second run).
    public var copiedNothing: Bool { rowsCopied == 0 && blobs.copied == 0 && pageImages.copied == 0 }

    /// The summary for people, line by line.
    public var german: [String] {
        var lines: [String] = []
        if targetAhead {
            lines.append(
                "Das Ziel wurde nach einer Migration aus dieser Quelle weiter benutzt (\(audit.targetEntries - audit.sourceEntries) neue "
                    + "Protokolleinträge); die Quelle hat nichts, was ihm fehlt: keine Zeile kopiert. \(rowsChangedOnTarget) Zeilen "
                    + "sind im Ziel seither geändert.")
        }
        if copiedNothing {
            lines.append("Nichts zu kopieren: alle \(sourceRows) Zeilen und \(blobs.sourceBlobs) Blobs waren schon im Ziel.")
        } else {
            lines.append(
                "Kopiert: \(rowsCopied) von \(sourceRows) Zeilen, \(blobs.copied) von \(blobs.sourceBlobs) Blobs "
                    + "(\(Self.megabytes(blobs.bytesCopied))), \(pageImages.copied) von \(pageImages.sourceImages) Seitenbildern "
                    + "in \(Self.decimal(seconds)) s (Prüfung vorab \(Self.decimal(phases.checkSeconds)) s, Zeilen "
                    + "\(Self.decimal(phases.rowsSeconds)) s, Blobs \(Self.decimal(phases.blobsSeconds)) s, Prüfung danach "
                    + "\(Self.decimal(phases.verifySeconds)) s).")
        }
        for table in tables where table.sourceRows > 0 {
            lines.append(
                "  \(table.table.padding(toLength: 20, withPad: " ", startingAt: 0)) \(table.sourceRows) Zeilen, "
                    + "\(table.copied) kopiert, \(table.verified) geprüft"
                    + (table.changedOnTarget > 0 ? ", \(table.changedOnTarget) im Ziel seither geändert" : ""))
        }
        lines.append(
            "Geprüft: \(rowsVerified) von \(sourceRows) Zeilen gleich (Inhalts-Hash je Zeile), \(blobs.verified) Blobs mit richtigem SHA-256, "
                + "\(pageImages.verified) von \(pageImages.sourceImages) Seitenbildern gleich.")
        for mismatch in rowMismatches {
            lines.append("  FEHLER: \(mismatch.table) [\(mismatch.key)] \(mismatch.missing ? "fehlt im Ziel" : "ist im Ziel anders")")
        }
        for problem in blobs.sourceProblems { lines.append("  FEHLER in der Quelle: \(problem.german)") }
        for problem in blobs.targetProblems { lines.append("  FEHLER im Ziel: \(problem.german)") }
        for name in pageImages.differing { lines.append("  FEHLER: Seitenbild \(name) ist im Ziel anders oder fehlt") }
        if audit.targetIntact {
            lines.append(
                "Protokollkette im Ziel intakt: \(audit.targetEntries) Einträge (Quelle \(audit.sourceEntries)), Kopf \(audit.targetHead.prefix(16))…")
        } else {
            lines.append("FEHLER: Protokollkette im Ziel NICHT intakt: \(audit.targetBreak ?? "?")")
        }
        lines.append(isComplete ? "Migration vollständig." : "Migration NICHT vollständig: siehe FEHLER oben.")
        return lines
    }

    /// One English sentence (the `--json` output's `message.en`).
    public var english: String {
        (targetAhead ? "The target was used after an earlier migration from this source (\(rowsChangedOnTarget) rows changed there since); no row copied. " : "")
            + (copiedNothing ? "Nothing to copy: all \(sourceRows) rows and \(blobs.sourceBlobs) blobs were already on the target. "
            : "Copied \(rowsCopied) of \(sourceRows) rows, \(blobs.copied) of \(blobs.sourceBlobs) blobs, \(pageImages.copied) page images. ")
            + "Verified \(rowsVerified) rows and \(blobs.verified) blobs; audit chain on the target "
            + (audit.targetIntact ? "intact (\(audit.targetEntries) entries)." : "BROKEN.")
            + (isComplete ? "" : " The migration is NOT complete.")
    }

    static func decimal(_ value: Double) -> String {
        String(format: "%.1f", value).replacingOccurrences(of: ".", with: ",")
    }

    static func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_000_000).replacingOccurrences(of: ".", with: ",")
    }
}

/// A source row that is not on the target as it is in the source after copying.
public struct RowMismatch: Sendable, Codable {
    public let table: String
    public let key: String
    /// Not there at all (else there with other content).
    public let missing: Bool
}

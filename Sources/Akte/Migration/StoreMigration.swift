import Foundation

/// `posteingang store migrate`: copies an embedded installation (the SQLite E-Akte and the blob
/// folder of one data directory) into another E-Akte (PostgreSQL, or another SQLite file) and
/// another blob store (S3, or a folder), then checks every row and every blob on the target.
///
/// The order, so that a refusal leaves the target as it was:
/// 1. both schemas hold exactly the tables and columns of `StoreTables` (nothing would be lost);
/// 2. the source's audit chain is intact;
/// 3. no row of the target has a source row's key with other content (a dry pass over all rows);
/// 4. rows missing on the target are inserted, table by table, parents first, the audit trail
///    last with its sequence numbers and hashes; blobs missing there are put (content-addressed,
///    so a blob already there is the same bytes); cached page images are copied by name;
/// 5. every source row is read back from the target and compared (content hash per row, one
///    digest per table), every blob read back (its SHA-256 checked), every blob the target's
///    E-Akte names found, and the target's audit chain verified.
///
/// Running it again copies nothing: every row and blob is already there.
public struct StoreMigration: Sendable {
    public let source: any StoreExport
    public let sourceBlobs: FolderBlobStore
    public let target: any StoreImport
    public let targetBlobs: any BlobStore
    /// Rows read, looked up and inserted at a time.
    public var batchSize = 500
    /// Blobs copied or checked at once.
    public var blobConcurrency = 8
    /// Told a German line at each step (progress for people; the report has the figures).
    public var progress: @Sendable (String) -> Void = { _ in }

    public init(source: any StoreExport, sourceBlobs: FolderBlobStore, target: any StoreImport, targetBlobs: any BlobStore) {
        self.source = source
        self.sourceBlobs = sourceBlobs
        self.target = target
        self.targetBlobs = targetBlobs
    }

    public func run() async throws -> StoreMigrationReport {
        let started = Date()
        try checkSchemas()
        let sourceChain = try source.verifyAuditChain()
        guard sourceChain.isIntact else {
            throw StoreMigrationRefusal.sourceAuditBroken(sourceChain.firstBreak.map { "\($0)" } ?? "unknown")
        }

        progress("Prüfe, ob das Ziel schon andere Daten unter denselben Schlüsseln hat …")
        var conflicts: [RowConflict] = []
        var conflictCount = 0
        var auditDiverged = false
        var auditMissing = 0
        try forEachBatch { table, rows, found in
            let isAudit = table.name == StoreTables.audit.name
            for row in rows {
                let key = table.key(of: row)
                guard let there = found[key] else {
                    if isAudit { auditMissing += 1 }
                    continue
                }
                guard there != row else { continue }
                if isAudit { auditDiverged = true }
                conflictCount += 1
                if conflicts.count < 10 || (isAudit && !conflicts.contains { $0.table.name == table.name }) {
                    conflicts.append(RowConflict(table: table, key: key, source: row, target: there))
                }
            }
        }
        // The target holds the source's whole audit trail unchanged and more after it: it was
        // migrated from this source and used since. Its rows are newer than the source's.
        let targetEntriesBefore = try target.verifyAuditChain().checkedEntries
        let targetAhead = !auditDiverged && auditMissing == 0 && targetEntriesBefore > sourceChain.checkedEntries
        guard conflicts.isEmpty || targetAhead else {
            let examples = Array(
                conflicts.sorted { ($0.table.name == StoreTables.audit.name ? 0 : 1) < ($1.table.name == StoreTables.audit.name ? 0 : 1) }
                    .prefix(10))
            // The target's trail is the start of the source's: an earlier copy, and the source changed rows since.
            if !auditDiverged && targetEntriesBefore > 0 && targetEntriesBefore < sourceChain.checkedEntries {
                throw StoreMigrationRefusal.targetIsOlderCopy(examples, total: conflictCount)
            }
            throw StoreMigrationRefusal.targetHoldsOtherData(examples, total: conflictCount)
        }

        var phases = StoreMigrationReport.Phases()
        var mark = Date()
        func lap() -> Double {
            defer { mark = Date() }
            return Date().timeIntervalSince(mark)
        }
        phases.checkSeconds = mark.timeIntervalSince(started)
        var figures: [String: StoreMigrationReport.TableFigures] = [:]
        for table in StoreTables.all { figures[table.name] = .init(table: table.name) }
        try forEachBatch { table, rows, found in
            let missing = rows.filter { found[table.key(of: $0)] == nil }
            // A target used since the migration may have dropped rows (a closed session): not brought back.
            let inserted = targetAhead ? 0 : try target.insertRows(table, missing)
            figures[table.name]!.sourceRows += rows.count
            figures[table.name]!.copied += inserted
            figures[table.name]!.alreadyThere += rows.count - missing.count
        }
        if targetAhead {
            progress("Das Ziel wurde nach einer Migration aus dieser Quelle weiter benutzt: keine Zeile kopiert.")
        } else {
            progress("Zeilen kopiert: \(figures.values.map(\.copied).reduce(0, +)).")
        }

        phases.rowsSeconds = lap()
        let references = try source.referencedBlobs()
        var blobs = try await copyBlobs(references: references)
        progress("Blobs kopiert: \(blobs.copied) (\(blobs.alreadyThere) waren schon da).")
        var images = try await copyImages()

        phases.blobsSeconds = lap()
        progress("Prüfe jede Zeile und jeden Blob im Ziel …")
        var mismatches: [RowMismatch] = []
        var digests: [String: String] = [:]
        var targetDigests: [String: String] = [:]
        try forEachBatch { table, rows, found in
            var digest = digests[table.name] ?? ""
            var targetDigest = targetDigests[table.name] ?? ""
            for row in rows {
                let key = table.key(of: row)
                let there = found[key]
                digest = SHA256Hex.of(digest + row.contentHash)
                targetDigest = SHA256Hex.of(targetDigest + (there?.contentHash ?? "missing"))
                if there == row {
                    figures[table.name]!.verified += 1
                } else if targetAhead {
                    figures[table.name]!.changedOnTarget += 1
                } else if mismatches.count < 20 {
                    mismatches.append(RowMismatch(table: table.name, key: key.description, missing: there == nil))
                }
            }
            digests[table.name] = digest
            targetDigests[table.name] = targetDigest
        }
        for (name, digest) in digests {
            figures[name]!.sha256 = digest
            figures[name]!.targetSha256 = targetDigests[name]!
        }
        try await verifyBlobs(&blobs)
        try await verifyImages(&images)
        let targetChain = try target.verifyAuditChain()
        phases.verifySeconds = lap()

        return StoreMigrationReport(
            tables: StoreTables.all.map { figures[$0.name]! }, rowMismatches: mismatches, blobs: blobs, pageImages: images,
            targetAhead: targetAhead,
            audit: .init(
                sourceEntries: sourceChain.checkedEntries, sourceHead: sourceChain.headHash,
                targetEntries: targetChain.checkedEntries, targetHead: targetChain.headHash, targetIntact: targetChain.isIntact,
                targetBreak: targetChain.firstBreak.map { "\($0)" }),
            seconds: Date().timeIntervalSince(started), phases: phases)
    }

    // MARK: - Rows

    /// Both stores have exactly the columns of `StoreTables` (the target may have more of its own).
    private func checkSchemas() throws {
        let sourceColumns = try source.tableColumns()
        let targetColumns = try target.tableColumns()
        let known = Set(StoreTables.all.map { $0.name.lowercased() })
        var problems: [String] = []
        for name in sourceColumns.keys.sorted() where !known.contains(name) {
            problems.append("die Quelle hat die Tabelle \(name), die diese Version nicht kopieren kann")
        }
        for table in StoreTables.all {
            let expected = Set(table.columns.map { $0.name.lowercased() })
            let inSource = sourceColumns[table.name.lowercased()] ?? []
            for column in inSource.subtracting(expected).sorted() {
                problems.append("die Quelle hat die Spalte \(table.name).\(column), die diese Version nicht kopieren kann")
            }
            for column in expected.subtracting(inSource).sorted() {
                problems.append("der Quelle fehlt die Spalte \(table.name).\(column)")
            }
            for column in expected.subtracting(targetColumns[table.name.lowercased()] ?? []).sorted() {
                problems.append("dem Ziel fehlt die Spalte \(table.name).\(column)")
            }
        }
        guard problems.isEmpty else { throw StoreMigrationRefusal.schemaMismatch(problems) }
    }

    /// Every table's source rows a batch at a time, with the target's rows of the same keys.
    private func forEachBatch(_ body: (StoreTable, [StoreRow], [StoreKey: StoreRow]) throws -> Void) throws {
        for table in StoreTables.all {
            var cursor: Int64 = 0
            while true {
                let (rows, next) = try source.exportRows(table, after: cursor, limit: batchSize)
                if rows.isEmpty { break }
                try body(table, rows, try target.rows(table, keys: rows.map(table.key(of:))))
                cursor = next
            }
        }
    }
}

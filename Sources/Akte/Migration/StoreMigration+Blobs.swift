import Foundation

/// Steps 4 and 5 of a migration for what is not a row: blobs copied (content-addressed, so one
/// already there is the same bytes) and read back, cached page images copied by name and compared.
extension StoreMigration {
    /// Copies every blob in the source folder and every blob the source names (a named blob the
    /// folder lacks is listed, not invented).
    func copyBlobs(references: [BlobReference]) async throws -> StoreMigrationReport.BlobFigures {
        let named = Dictionary(references.map { ($0.sha256, $0) }, uniquingKeysWith: { first, _ in first })
        let hashes = Array(Set(try sourceBlobs.storedHashes()).union(named.keys)).sorted()
        let (from, to) = (sourceBlobs, targetBlobs)
        let outcomes = try await BlobCompleteness.forEach(hashes, concurrency: blobConcurrency) { sha -> BlobCopy in
            guard try from.contains(sha256: sha) else { return .missingInSource }
            if try await to.contains(sha256: sha) { return .alreadyThere }
            let data: Data
            do {
                data = try from.read(sha256: sha)
            } catch AkteError.blobCorrupted {
                return .corruptInSource
            }
            try await to.put(data)
            return .copied(bytes: data.count)
        }
        var figures = StoreMigrationReport.BlobFigures(sourceBlobs: hashes.count, referenced: named.count)
        for (sha, outcome) in zip(hashes, outcomes) {
            let reference = named[sha]
            switch outcome {
            case .copied(let bytes):
                figures.copied += 1
                figures.bytesCopied += Int64(bytes)
            case .alreadyThere:
                figures.alreadyThere += 1
            case .missingInSource:
                figures.sourceProblems.append(
                    BlobProblem(sha256: sha, kind: .missing, role: reference?.role, owner: reference?.owner, locator: try sourceBlobs.locator(for: sha)))
            case .corruptInSource:
                figures.sourceProblems.append(
                    BlobProblem(sha256: sha, kind: .corrupted, role: reference?.role, owner: reference?.owner, locator: try sourceBlobs.locator(for: sha)))
            }
        }
        figures.checkedHashes = hashes.filter { sha in !figures.sourceProblems.contains { $0.sha256 == sha } }
        return figures
    }

    private enum BlobCopy: Sendable {
        case copied(bytes: Int)
        case alreadyThere
        case missingInSource
        case corruptInSource
    }

    /// Reads back every copied blob and every blob the target's E-Akte names.
    func verifyBlobs(_ figures: inout StoreMigrationReport.BlobFigures) async throws {
        let named = try target.referencedBlobs()
        var references = Dictionary(named.map { ($0.sha256, $0) }, uniquingKeysWith: { first, _ in first })
        for sha in figures.checkedHashes where references[sha] == nil {
            references[sha] = BlobReference(sha256: sha, role: .document, owner: "")
        }
        let all = references.values.sorted { $0.sha256 < $1.sha256 }
        let to = targetBlobs
        let problems = try await BlobCompleteness.forEach(all, concurrency: blobConcurrency) { reference in
            try await BlobCompleteness.problem(
                reading: reference.sha256, from: to, role: reference.owner.isEmpty ? nil : reference.role,
                owner: reference.owner.isEmpty ? nil : reference.owner)
        }
        figures.verified = problems.filter { $0 == nil }.count
        figures.targetProblems = problems.compactMap { $0 }
    }

    // MARK: - Cached page images

    func copyImages() async throws -> StoreMigrationReport.ImageFigures {
        let names = sourceBlobs.cachedImageNames()
        let (from, to) = (sourceBlobs, targetBlobs)
        let copied = try await BlobCompleteness.forEach(names, concurrency: blobConcurrency) { name -> Bool in
            guard let data = try from.cachedImage(named: name) else { return false }
            if try await to.cachedImage(named: name) == data { return false }
            try await to.cacheImage(data, named: name)
            return true
        }
        var figures = StoreMigrationReport.ImageFigures(sourceImages: names.count)
        figures.copied = copied.filter { $0 }.count
        figures.alreadyThere = names.count - figures.copied
        figures.names = names
        return figures
    }

    func verifyImages(_ figures: inout StoreMigrationReport.ImageFigures) async throws {
        let (from, to) = (sourceBlobs, targetBlobs)
        let same = try await BlobCompleteness.forEach(figures.names, concurrency: blobConcurrency) { name -> Bool in
            try await to.cachedImage(named: name) == (try from.cachedImage(named: name))
        }
        figures.verified = same.filter { $0 }.count
        figures.differing = zip(figures.names, same).filter { !$0.1 }.map(\.0)
    }
}

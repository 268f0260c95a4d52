import Foundation

/// A blob the E-Akte names that the blob store cannot give back as it was stored.
public struct BlobProblem: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable {
        /// Not in the store.
        case missing
        /// In the store, but its bytes no longer hash to its name.
        case corrupted
    }

    public let sha256: String
    public let kind: Kind
    /// What the blob is for and who names it (nil for a blob found only in a folder).
    public let role: BlobReference.Role?
    public let owner: String?
    /// Where it should be: a path or an `s3://` address.
    public let locator: String

    /// One German line for people: what is wrong with which blob of which document.
    public var german: String {
        let what = role.map { "\($0.german) von \(owner ?? "?")" } ?? "Blob"
        switch kind {
        case .missing: return "fehlt: \(what), \(sha256) (erwartet unter \(locator))"
        case .corrupted: return "verändert: \(what), \(sha256) ergibt einen anderen SHA-256 (\(locator))"
        }
    }
}

/// Whether every blob the E-Akte names is in a blob store with the right bytes (`store verify`,
/// and `store migrate` on its target afterwards).
public struct BlobCompletenessReport: Sendable, Codable {
    /// Blobs named by the E-Akte (distinct hashes).
    public var checked: Int
    /// Of those, read back with the right SHA-256.
    public var intact: Int
    public var problems: [BlobProblem]

    public var isComplete: Bool { problems.isEmpty }
}

public enum BlobCompleteness {
    /// Reads every referenced blob from `blobs` (each read checks the SHA-256), `concurrency` at
    /// a time. A blob that is missing or changed is listed; a store that cannot be reached
    /// (`BlobStoreFailure`) ends the check with that error.
    public static func check(
        _ references: [BlobReference], in blobs: any BlobStore, concurrency: Int = 8
    ) async throws -> BlobCompletenessReport {
        let problems = try await forEach(references, concurrency: concurrency) { reference -> BlobProblem? in
            try await problem(reading: reference.sha256, from: blobs, role: reference.role, owner: reference.owner)
        }
        let found = problems.compactMap { $0 }.sorted { ($0.owner ?? "", $0.sha256) < ($1.owner ?? "", $1.sha256) }
        return BlobCompletenessReport(checked: references.count, intact: references.count - found.count, problems: found)
    }

    /// Reads one blob; nil when it is there with the right bytes.
    static func problem(
        reading sha256: String, from blobs: any BlobStore, role: BlobReference.Role?, owner: String?
    ) async throws -> BlobProblem? {
        do {
            _ = try await blobs.read(sha256: sha256)
            return nil
        } catch AkteError.blobMissing(_, let path) {
            return BlobProblem(sha256: sha256, kind: .missing, role: role, owner: owner, locator: path)
        } catch AkteError.blobCorrupted(_, _, let path) {
            return BlobProblem(sha256: sha256, kind: .corrupted, role: role, owner: owner, locator: path)
        } catch AkteError.invalidSha256 {
            return BlobProblem(sha256: sha256, kind: .missing, role: role, owner: owner, locator: "(kein gültiger SHA-256)")
        }
    }

    /// Runs `body` over `items` with at most `concurrency` at once; the results in the items' order.
    static func forEach<Item: Sendable, Result: Sendable>(
        _ items: [Item], concurrency: Int, _ body: @escaping @Sendable (Item) async throws -> Result
    ) async throws -> [Result] {
        var results = [Result?](repeating: nil, count: items.count)
        try await withThrowingTaskGroup(of: (Int, Result).self) { group in
            var next = 0
            while next < min(concurrency, items.count) {
                let index = next
                group.addTask { (index, try await body(items[index])) }
                next += 1
            }
            while let (index, result) = try await group.next() {
                results[index] = result
                if next < items.count {
                    let index = next
                    group.addTask { (index, try await body(items[index])) }
                    next += 1
                }
            }
        }
        return results.map { $0! }
    }
}

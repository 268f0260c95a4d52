import Akte
import Foundation
import PosteingangTestKit
import Testing

@testable import ObjectStore

/// The same checks for both kinds of blob store: the local folder and S3 on a real SeaweedFS
/// (started here, with signed requests checked by it).
@Suite("Blob store conformance", .serialized, .tags(.seaweedfs), .slow)
struct BlobStoreConformanceTests {
    /// One store under test, with what a test needs to reach behind it.
    struct Subject {
        let blobs: any BlobStore
        /// How many stored copies the blob with this hash has (files in its folder, objects under its key).
        let copies: (String) async throws -> Int
        /// Replaces the stored bytes behind the store's back, as tampering or bit rot would.
        let forge: (String, Data) async throws -> Void
        let end: () async throws -> Void
    }

    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case folder, s3
        var testDescription: String { rawValue }
    }

    static func subject(_ kind: Kind) async throws -> Subject {
        switch kind {
        case .folder:
            let folder = try TestKit.temporaryDirectory("blobs")
            let blobs = FolderBlobStore(root: folder.appendingPathComponent("blobs"))
            return Subject(
                blobs: blobs,
                copies: { sha in
                    let shard = try blobs.url(for: sha).deletingLastPathComponent()
                    return try FileManager.default.contentsOfDirectory(atPath: shard.path).filter { $0.hasPrefix(sha) }.count
                },
                forge: { sha, data in
                    let url = try blobs.url(for: sha)
                    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
                    try data.write(to: url)
                },
                end: { try? FileManager.default.removeItem(at: folder) })
        case .s3:
            let weed = try SeaweedFS()
            let blobs = try await weed.store()
            return Subject(
                blobs: blobs,
                copies: { sha in try await blobs.keys(under: try BlobKey.of(sha256: sha)).count },
                forge: { sha, data in
                    // A plain PUT over the object, as someone with the bucket's keys could do.
                    let response = try await blobs.send(
                        "PUT", key: try BlobKey.of(sha256: sha), body: data, payloadSHA256: SHA256Hex.of(data))
                    #expect(response.status == 200)
                },
                end: {
                    try await blobs.shutdown()
                    weed.kill()
                })
        }
    }

    @Test("put twice is one object; read back; a changed object, a missing blob and a bad name are told apart; 20 MB", arguments: Kind.allCases)
    func conformance(_ kind: Kind) async throws {
        let subject = try await Self.subject(kind)
        let blobs = subject.blobs
        do {
            let bytes = Data("Kontoauszug Nr. 3/2025, Girokonto DE89 3704 0044 0532 0130 00".utf8)
            let sha = try await blobs.put(bytes)
            #expect(sha == SHA256Hex.of(bytes))
            #expect(try await blobs.put(bytes) == sha)
            #expect(try await subject.copies(sha) == 1)
            #expect(try await blobs.contains(sha256: sha))
            #expect(try await blobs.read(sha256: sha) == bytes)

            // A file, stored unchanged by the hash of its bytes.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("scan-\(UUID().uuidString).pdf")
            defer { try? FileManager.default.removeItem(at: file) }
            let scan = Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 * 7) })
            try scan.write(to: file)
            let scanSha = try await blobs.put(fileAt: file)
            #expect(scanSha == SHA256Hex.of(scan))
            #expect(try await blobs.read(sha256: scanSha) == scan)

            // Changed behind the store's back: the read fails and names the hash the bytes have now.
            let forged = Data("forgery!".utf8)
            try await subject.forge(sha, forged)
            await #expect(throws: AkteError.blobCorrupted(sha256: sha, actualSha256: SHA256Hex.of(forged), path: try blobs.locator(for: sha))) {
                try await blobs.read(sha256: sha)
            }

            let absent = SHA256Hex.of(Data("never stored".utf8))
            #expect(try await !blobs.contains(sha256: absent))
            await #expect(throws: AkteError.blobMissing(sha256: absent, path: try blobs.locator(for: absent))) {
                try await blobs.read(sha256: absent)
            }
            await #expect(throws: AkteError.invalidSha256("../../etc/passwd")) { try await blobs.read(sha256: "../../etc/passwd") }
            #expect(throws: AkteError.invalidSha256("ABC")) { try blobs.locator(for: "ABC") }
            await #expect(throws: AkteError.invalidSha256("ABC")) { try await blobs.contains(sha256: "ABC") }

            // 20 MB, byte for byte.
            var large = Data(count: 20 * 1_048_576)
            large.withUnsafeMutableBytes { raw in
                var state: UInt32 = 2_463_534_242
                for index in 0..<raw.count {
                    state ^= state << 13
                    state ^= state >> 17
                    state ^= state << 5
                    raw[index] = UInt8(truncatingIfNeeded: state)
                }
            }
            let largeSha = try await blobs.put(large)
            #expect(try await blobs.read(sha256: largeSha) == large)
            #expect(try await subject.copies(largeSha) == 1)

            // Cached page images: by name, replaced by the same name, no paths.
            #expect(try await blobs.cachedImage(named: "\(sha)-p1-page.png") == nil)
            try await blobs.cacheImage(Data("png-1".utf8), named: "\(sha)-p1-page.png")
            try await blobs.cacheImage(Data("png-2".utf8), named: "\(sha)-p1-page.png")
            #expect(try await blobs.cachedImage(named: "\(sha)-p1-page.png") == Data("png-2".utf8))
            await #expect(throws: AkteError.self) { try await blobs.cacheImage(Data(), named: "../escape.png") }
        } catch {
            try? await subject.end()
            throw error
        }
        try await subject.end()
    }

    @Test("a put while SeaweedFS is down fails saying which store and bucket; after its restart it succeeds and old blobs are there")
    func restart() async throws {
        let weed = try SeaweedFS()
        let blobs = try await weed.store()
        defer { weed.kill() }
        do {
            let before = try await blobs.put(Data("vor dem Neustart".utf8))

            weed.kill()
            let started = Date()
            do {
                try await blobs.put(Data("während der Store fehlt".utf8))
                Issue.record("a put with the store down succeeded")
            } catch let failure as S3Failure {
                guard case .unreachable = failure.problem else {
                    Issue.record("expected unreachable, got \(failure)")
                    throw failure
                }
                #expect(failure.description.contains(weed.endpoint))
                #expect(failure.description.contains("s3://posteingang/"))
                #expect(failure.description.contains("connection refused"))
                #expect(failure.germanMessage.contains("nicht erreichbar"))
                #expect(failure.germanMessage.contains("„posteingang“"))
            }
            #expect(Date().timeIntervalSince(started) < 10, "a refused connection fails fast")

            try weed.start()
            let deadline = Date().addingTimeInterval(30)
            var stored: String?
            while stored == nil {
                do {
                    stored = try await blobs.put(Data("während der Store fehlt".utf8))
                } catch where Date() < deadline {
                    try await Task.sleep(nanoseconds: 300_000_000)
                }
            }
            #expect(stored == SHA256Hex.of(Data("während der Store fehlt".utf8)))
            #expect(try await blobs.read(sha256: before) == Data("vor dem Neustart".utf8))
        } catch {
            try? await blobs.shutdown()
            throw error
        }
        try await blobs.shutdown()
    }

    @Test("SeaweedFS refuses a conditional PUT (If-None-Match: *) over an existing object with 412, and put takes 412 as stored")
    func conditionalPut() async throws {
        let weed = try SeaweedFS()
        defer { weed.kill() }
        let blobs = try await weed.store()
        let bytes = Data("Bescheid".utf8)
        let sha = try await blobs.put(bytes)
        let key = try BlobKey.of(sha256: sha)
        let other = Data("überschrieben".utf8)
        let again = try await blobs.send(
            "PUT", key: key, body: other, payloadSHA256: SHA256Hex.of(other), headers: [("If-None-Match", "*")])
        #expect(again.status == 412)
        #expect(try await blobs.read(sha256: sha) == bytes, "the object was not replaced")
        try await blobs.shutdown()
    }

    @Test("a wrong secret is refused by SeaweedFS (the signature is checked) with a message naming the store and what to check")
    func wrongSecret() async throws {
        let weed = try SeaweedFS()
        defer { weed.kill() }
        try await weed.store().shutdown()
        let wrong = S3BlobStore(
            location: try S3Location(parsing: weed.address), credentials: .init(accessKeyID: weed.accessKey, secretAccessKey: "wrong"))
        do {
            try await wrong.prepare()
            Issue.record("a wrong secret was accepted")
        } catch let failure as S3Failure {
            guard case .refused(let status, let code, _) = failure.problem else { throw failure }
            #expect(status == 403)
            #expect(code == "SignatureDoesNotMatch")
            #expect(failure.description.contains(weed.endpoint) && failure.description.contains("check the secret access key"))
            #expect(failure.germanMessage.contains("lehnt den Zugriff ab"))
        }
        try await wrong.shutdown()
    }
}

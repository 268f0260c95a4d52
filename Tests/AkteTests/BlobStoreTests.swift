import Foundation
import PosteingangTestKit
import Testing

@testable import Akte

@Suite("Blob store")
struct BlobStoreTests {
    @Test("bytes are stored under their SHA-256, read-only, and the same bytes twice are one file")
    func contentAddressing() throws {
        let fixture = try AkteFixture()
        let bytes = Data("Kontoauszug Nr. 3/2025".utf8)
        let sha = try fixture.blobs.put(bytes)

        #expect(sha == AkteFixture.sha("Kontoauszug Nr. 3/2025"))
        let url = try fixture.blobs.url(for: sha)
        #expect(url.path.hasSuffix("/blobs/sha256/\(sha.prefix(2))/\(sha)"))
        let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
        #expect(mode == 0o400)
        #expect(try fixture.blobs.read(sha256: sha) == bytes)

        #expect(try fixture.blobs.put(bytes) == sha)
        let folder = url.deletingLastPathComponent()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [sha])
    }

    @Test("temporary files of a killed writer are removed; a live writer's and the blobs stay")
    func staleTemporaries() throws {
        let fixture = try AkteFixture()
        let sha = try fixture.blobs.put(Data("Mietbescheinigung".utf8))
        let folder = try fixture.blobs.url(for: sha).deletingLastPathComponent()
        // A child that has exited: its pid is free (not reused within this test in practice).
        let child = try ChildProcess("/bin/true").start(log: fixture.directory.appendingPathComponent("true.log"))
        child.wait(timeout: 10)
        let dead = folder.appendingPathComponent(".\(sha).\(child.pid).ABC.part")
        let old = folder.appendingPathComponent(".\(sha).DEF.part")
        let live = folder.appendingPathComponent(".\(sha).1.GHI.part")  // pid 1 is always alive
        for url in [dead, old, live] { try Data("x".utf8).write(to: url) }

        #expect(fixture.blobs.removeStaleTemporaries() == 2)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(left == [live.lastPathComponent, sha].sorted())
        #expect(try fixture.blobs.read(sha256: sha) == Data("Mietbescheinigung".utf8))
    }

    @Test("a file is stored unchanged, by the hash of its bytes")
    func putFile() throws {
        let fixture = try AkteFixture()
        let source = fixture.directory.appendingPathComponent("scan.pdf")
        let bytes = Data((0..<5000).map { UInt8($0 % 251) })
        try bytes.write(to: source)
        let sha = try fixture.blobs.put(fileAt: source)
        #expect(sha == SHA256Hex.of(bytes))
        #expect(try Data(contentsOf: fixture.blobs.url(for: sha)) == bytes)
    }

    @Test("reading a blob whose bytes were changed on disk fails with the hash it has now")
    func detectsTampering() throws {
        let fixture = try AkteFixture()
        let sha = try fixture.blobs.put(Data("original".utf8))
        let url = try fixture.blobs.url(for: sha)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: url.path)
        try Data("forgery!".utf8).write(to: url)

        #expect(throws: AkteError.blobCorrupted(sha256: sha, actualSha256: AkteFixture.sha("forgery!"), path: url.path))
        {
            try fixture.blobs.read(sha256: sha)
        }
    }

    @Test("a missing blob and a name that is no hash are told apart")
    func missingAndInvalid() throws {
        let fixture = try AkteFixture()
        let absent = AkteFixture.sha("never stored")
        #expect(throws: AkteError.blobMissing(sha256: absent, path: try fixture.blobs.url(for: absent).path)) {
            try fixture.blobs.read(sha256: absent)
        }
        #expect(throws: AkteError.invalidSha256("../../etc/passwd")) {
            try fixture.blobs.url(for: "../../etc/passwd")
        }
        #expect(try !fixture.blobs.contains(sha256: absent))
    }
}

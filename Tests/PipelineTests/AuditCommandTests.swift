@testable import Akte
import Foundation
import Imaging
import PosteingangTestKit
import Testing

/// `posteingang audit verify` on the command line finds what an attacker with access to the
/// database file did to the trail.
@Suite(.serialized, .tags(.process), .slow)
struct AuditCommandTests {
    /// A data directory with one filed document and a caseworker's view of it in the trail.
    static func filedDataDirectory() throws -> (URL, String) {
        let dataDir = try TestKit.temporaryDirectory("audit")
        let daemon = try DaemonProcess(dataDir: dataDir, workers: 1)
        let pdf = TestKit.payslip(serial: 42)
        #expect(eventually(timeout: 30) { daemon.output.contains("\"started\"") })
        try TestKit.deliver(pdf, as: "p.pdf", to: dataDir.appendingPathComponent("spool/inbox"))
        let database = dataDir.appendingPathComponent("akte.sqlite").path
        #expect(try eventually(timeout: 60) { try SQLiteAkte(path: database).uploadStatus(idOrSha: SHA256Digest.hex(of: pdf))?.documentID != nil })
        daemon.terminate()
        #expect(daemon.wait(timeout: 60) == 0)
        let id = try #require(try SQLiteAkte(path: database).uploadStatus(idOrSha: SHA256Digest.hex(of: pdf))?.documentID)
        #expect(try TestKit.run(["akte", "document", "--data-dir", dataDir.path, "--as", "sb-1", id]).status == 0)
        return (dataDir, database)
    }

    @Test("audit verify: exit 0 on an intact trail, exit 1 naming the entry after an edit")
    func detectsEditedEntry() throws {
        let (dataDir, database) = try Self.filedDataDirectory()
        defer { try? FileManager.default.removeItem(at: dataDir) }
        let intact = try TestKit.run(["audit", "verify", "--data-dir", dataDir.path])
        #expect(intact.status == 0, "\(intact.stdout) \(intact.stderr)")
        #expect(intact.stdout.contains("intact"))
        try SQLiteAkte.executeRawSQL("DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'mallory' WHERE seq = 2;", inDatabaseAt: database)
        let edited = try TestKit.run(["audit", "verify", "--data-dir", dataDir.path])
        #expect(edited.status == 1)
        #expect(edited.stdout.contains("BROKEN") && edited.stdout.contains("2"), "\(edited.stdout)")
    }

    @Test("audit verify: exit 1 after an entry was deleted")
    func detectsDeletedEntry() throws {
        let (dataDir, database) = try Self.filedDataDirectory()
        defer { try? FileManager.default.removeItem(at: dataDir) }
        try SQLiteAkte.executeRawSQL("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 2;", inDatabaseAt: database)
        let deleted = try TestKit.run(["audit", "verify", "--data-dir", dataDir.path])
        #expect(deleted.status == 1)
        #expect(deleted.stdout.contains("BROKEN"), "\(deleted.stdout)")
    }
}

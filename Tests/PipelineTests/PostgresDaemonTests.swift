@testable import Akte
import Foundation
import Imaging
import PosteingangTestKit
import Testing

/// The daemon and the commands on PostgreSQL, end to end: `run --database postgres://…` files a
/// document into a real PostgreSQL (started by the test), `audit verify` against it passes, and
/// finds an entry edited behind the triggers' back.
@Suite(.serialized, .tags(.process, .postgres), .slow)
struct PostgresDaemonTests {
    @Test("run --database files into PostgreSQL; audit verify passes there, and fails after an edit")
    func daemonFilesIntoPostgres() throws {
        let server = try PostgresServer.shared()
        let url = try server.makeDatabase()
        let dataDir = try TestKit.temporaryDirectory("pg-daemon")
        defer { try? FileManager.default.removeItem(at: dataDir) }
        let daemon = try DaemonProcess(dataDir: dataDir, arguments: ["--database", url], workers: 1)
        let pdf = TestKit.payslip(serial: 7)
        #expect(eventually(timeout: 30) { daemon.output.contains("\"started\"") }, "\(daemon.output)")
        try TestKit.deliver(pdf, as: "lohn.pdf", to: dataDir.appendingPathComponent("spool/inbox"))
        let akte = try PostgresAkte(url: PostgresURL(url))
        #expect(try eventually(timeout: 90) { try akte.uploadStatus(idOrSha: SHA256Digest.hex(of: pdf))?.documentID != nil })
        daemon.terminate()
        #expect(daemon.wait(timeout: 60) == 0)
        let id = try #require(try akte.uploadStatus(idOrSha: SHA256Digest.hex(of: pdf))?.documentID)
        #expect(try akte.document(id: id, viewer: "test").text.contains("Pfiffig"))
        // Nothing went to SQLite.
        #expect(!FileManager.default.fileExists(atPath: dataDir.appendingPathComponent("akte.sqlite").path))

        // The commands take the database from --database or from POSTEINGANG_DATABASE_URL.
        let intact = try TestKit.run(["audit", "verify", "--data-dir", dataDir.path, "--database", url])
        #expect(intact.status == 0, "\(intact.stdout) \(intact.stderr)")
        #expect(intact.stdout.contains("intact"))
        var environment = ProcessInfo.processInfo.environment
        environment[AkteStores.databaseEnvironmentVariable] = url
        let viewed = try TestKit.run(["akte", "document", "--data-dir", dataDir.path, "--as", "sb-1", id], environment: environment)
        #expect(viewed.status == 0, "\(viewed.stderr)")
        #expect(try akte.auditTrail(documentID: id).contains { $0.action == .viewed && $0.actor == "sb-1" })

        try server.psql("ALTER TABLE audit DISABLE TRIGGER USER; UPDATE audit SET actor = 'mallory' WHERE seq = 2;", database: url)
        let edited = try TestKit.run(["audit", "verify", "--data-dir", dataDir.path, "--database", url])
        #expect(edited.status == 1)
        #expect(edited.stdout.contains("BROKEN"), "\(edited.stdout)")
    }

    @Test("a password in the database URL is refused before anything connects, naming where it belongs")
    func passwordInURLRefused() throws {
        let result = try TestKit.run(["audit", "verify", "--database", "postgres://akte:geheim@127.0.0.1:5432/akte"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("PGPASSWORD") && result.stderr.contains("POSTEINGANG_DATABASE_PASSWORD_FILE"), "\(result.stderr)")
    }
}

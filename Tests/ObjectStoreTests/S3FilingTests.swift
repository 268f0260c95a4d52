import Akte
import Foundation
import PosteingangTestKit
import Testing

@testable import ObjectStore

/// The whole path with the blobs in SeaweedFS: `posteingang run --blobs s3://…` files a real
/// scanned fixture, `posteingang export --blobs s3://…` reads its original back, byte for byte,
/// and nothing went to the local folder.
@Suite("Filing with blobs in S3", .serialized, .tags(.process, .seaweedfs), .slow)
struct S3FilingTests {
    @Test("the daemon files a scanned rent contract with its original and searchable PDF in the bucket; export reads them back")
    func daemonFilesIntoS3() async throws {
        let weed = try SeaweedFS()
        defer { weed.kill() }
        let blobs = try await weed.store()
        // Ended by its deinit's safety net when a check below throws; by shutdown() at the end otherwise.
        let dataDir = try TestKit.temporaryDirectory("s3-filing")
        defer { try? FileManager.default.removeItem(at: dataDir) }
        var environment = ProcessInfo.processInfo.environment
        environment.merge(weed.environment) { $1 }
        environment["POSTEINGANG_BLOBS"] = nil

        let imported = try TestKit.run(
            ["cases", "import", "--data-dir", dataDir.path, TestKit.fixture("cases.csv").path], environment: environment)
        #expect(imported.status == 0, "\(imported.stderr)")

        // The daemon, with --blobs on its command line (keys only in its environment).
        let log = dataDir.appendingPathComponent("daemon.log")
        let daemon = try TestKit.start(
            [
                "run", "--data-dir", dataDir.path, "--config", TestKit.pipelineYML.path, "--workers", "1", "--settle-delay", "0.3",
                "--rescan-interval", "1", "--blobs", weed.address,
            ], log: log, environment: environment)

        let original = try Data(contentsOf: TestKit.fixture("scan/mietvertrag_01.pdf"))
        let sha = SHA256Hex.of(original)
        let inbox = dataDir.appendingPathComponent("spool/inbox")
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: inbox.path) { usleep(100_000) }
        try original.write(to: inbox.appendingPathComponent("mietvertrag.pdf.part"))
        try FileManager.default.moveItem(
            at: inbox.appendingPathComponent("mietvertrag.pdf.part"), to: inbox.appendingPathComponent("mietvertrag.pdf"))

        let deadline = Date().addingTimeInterval(240)
        while Date() < deadline, !(try await blobs.contains(sha256: sha)) || Self.pending(dataDir) { try await Task.sleep(nanoseconds: 300_000_000) }
        let status = daemon.stop(grace: 60)
        let output = daemon.output
        #expect(status == 0, "\(output)")
        #expect(output.contains("\"filed\"") || output.contains("filed"), "\(output)")

        // The original is in the bucket, none in the local folder.
        #expect(try await blobs.read(sha256: sha) == original)
        let local = dataDir.appendingPathComponent("blobs/sha256")
        let localBlobs = (try? FileManager.default.subpathsOfDirectory(atPath: local.path)) ?? []
        #expect(localBlobs.filter { SHA256Hex.isValid(URL(fileURLWithPath: $0).lastPathComponent) }.isEmpty)

        // Export through the command line with --blobs reads it back from SeaweedFS.
        let target = dataDir.appendingPathComponent("export")
        let exported = try TestKit.run(
            ["export", "96301BG0012345", "--to", target.path, "--data-dir", dataDir.path, "--blobs", weed.address],
            environment: environment)
        #expect(exported.status == 0, "\(exported.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: target.path)
        let exportedOriginal = try #require(files.first { $0.hasSuffix(".pdf") && !$0.hasSuffix(".searchable.pdf") })
        #expect(try Data(contentsOf: target.appendingPathComponent(exportedOriginal)) == original)
        let searchable = try #require(files.first { $0.hasSuffix(".searchable.pdf") }, "the scan was OCRed: its searchable PDF is in the bucket")
        #expect(try Data(contentsOf: target.appendingPathComponent(searchable)).starts(with: Data("%PDF".utf8)))

        // The same export without --blobs looks in the local folder and says the original is missing there.
        let wrongStore = try TestKit.run(
            ["export", "96301BG0012345", "--to", target.path + "-local", "--data-dir", dataDir.path], environment: environment)
        #expect(wrongStore.status != 0)
        #expect(wrongStore.stderr.contains("missing"), "\(wrongStore.stderr)")
        try await blobs.shutdown()
    }

    @Test("while SeaweedFS is down, an upload waits without using up its tries (--max-tries 1) and is filed once it is back")
    func storeDownDoesNotCountAgainstTheFile() async throws {
        let weed = try SeaweedFS()
        defer { weed.kill() }
        let blobs = try await weed.store()
        let dataDir = try TestKit.temporaryDirectory("s3-down")
        defer { try? FileManager.default.removeItem(at: dataDir) }
        var environment = ProcessInfo.processInfo.environment
        environment.merge(weed.environment) { $1 }
        environment["POSTEINGANG_BLOBS"] = weed.address  // the environment variable this time
        let log = dataDir.appendingPathComponent("daemon.log")
        try FileManager.default.createDirectory(at: dataDir, withIntermediateDirectories: true)
        let daemon = try TestKit.start(
            [
                "run", "--data-dir", dataDir.path, "--config", TestKit.pipelineYML.path, "--workers", "1", "--settle-delay", "0.3",
                "--rescan-interval", "1", "--max-tries", "1",
            ], log: log, environment: environment)
        func output() -> String { daemon.output }
        let inbox = dataDir.appendingPathComponent("spool/inbox")
        for _ in 0..<100 where !output().contains("\"started\"") { usleep(100_000) }

        weed.kill()
        let payslip = TestKit.textPDF(lines: [
            "Muster Logistik GmbH", "Frau Petra Pfiffig", "Entgeltabrechnung fuer Maerz 2025", "Gesamtbrutto 2.300,00 EUR",
            "Auszahlungsbetrag 1.700,50 EUR",
        ])
        try payslip.write(to: inbox.appendingPathComponent("lohn.pdf.part"))
        try FileManager.default.moveItem(at: inbox.appendingPathComponent("lohn.pdf.part"), to: inbox.appendingPathComponent("lohn.pdf"))
        let waited = Date().addingTimeInterval(60)
        while Date() < waited, output().components(separatedBy: "blob_store_unavailable").count < 3 {
            try await Task.sleep(nanoseconds: 300_000_000)
        }
        #expect(output().components(separatedBy: "blob_store_unavailable").count >= 3, "\(output())")
        #expect(output().contains("connection refused"))
        #expect(!output().contains("\"quarantined\""), "\(output())")

        try weed.start()
        let sha = SHA256Hex.of(payslip)
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline, Self.pending(dataDir) { try await Task.sleep(nanoseconds: 300_000_000) }
        daemon.stop(grace: 60)
        #expect(!Self.pending(dataDir), "\(output())")
        let quarantined = (try? FileManager.default.contentsOfDirectory(atPath: dataDir.appendingPathComponent("spool/quarantine").path)) ?? []
        #expect(quarantined.isEmpty, "\(output())")
        #expect(try await blobs.read(sha256: sha) == payslip)
        try await blobs.shutdown()
    }

    /// Whether the upload is still in the spool (inbox or processing).
    static func pending(_ dataDir: URL) -> Bool {
        ["spool/inbox", "spool/processing"].contains { folder in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dataDir.appendingPathComponent(folder).path)) ?? []
            return names.contains { !$0.hasPrefix(".") }
        }
    }
}

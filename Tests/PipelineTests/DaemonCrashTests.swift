import Akte
import Foundation
import Imaging
import PosteingangTestKit
import Testing

/// Nothing received is lost or filed twice, whatever happens to the process.
@Suite(.serialized, .tags(.process), .slow)
struct DaemonCrashTests {
    static let household = """
        bg_nummer,kundennummer,nachname,vorname,geburtsdatum,strasse,plz,ort
        96301BG0012345,963D123456,Pfiffig,Petra,1980-01-01,Friedrich-Ebert-Allee 114,53113,Bonn

        """

    @Test("SIGKILL at random moments while 120 uploads are filed: each is filed exactly once")
    func killedAtRandomMoments() throws {
        let dataDir = try TestKit.temporaryDirectory("crash")
        defer { try? FileManager.default.removeItem(at: dataDir) }
        let csv = dataDir.appendingPathComponent("cases.csv")
        try Self.household.write(to: csv, atomically: true, encoding: .utf8)
        #expect(try TestKit.run(["cases", "import", "--data-dir", dataDir.path, csv.path]).status == 0)

        let inbox = dataDir.appendingPathComponent("spool/inbox")
        var hashes: [String] = []
        for serial in 0..<120 {
            let pdf = TestKit.payslip(serial: serial)
            hashes.append(SHA256Digest.hex(of: pdf))
            try TestKit.deliver(pdf, as: "lohn-\(serial).pdf", to: inbox)
        }
        #expect(Set(hashes).count == 120)

        var kills = 0
        var random = SystemRandomNumberGenerator()
        while kills < 8 {
            let daemon = try DaemonProcess(dataDir: dataDir, arguments: ["--max-tries", "20"])
            usleep(UInt32.random(in: 400_000...2_500_000, using: &random))
            daemon.kill9()
            _ = daemon.wait(timeout: 10)
            kills += 1
        }
        // A last, undisturbed run finishes what is left, then stops on SIGTERM.
        let daemon = try DaemonProcess(dataDir: dataDir, arguments: ["--max-tries", "20"])
        #expect(eventually(timeout: 30) { daemon.output.contains("\"started\"") })
        let processing = dataDir.appendingPathComponent("spool/processing")
        let drained = eventually(timeout: 240) {
            let left = (try? FileManager.default.contentsOfDirectory(atPath: inbox.path))?.count ?? 1
            let busy = (try? FileManager.default.contentsOfDirectory(atPath: processing.path))?.count ?? 1
            return left == 0 && busy == 0
        }
        let left = ((try? FileManager.default.contentsOfDirectory(atPath: inbox.path)) ?? []) + ((try? FileManager.default.contentsOfDirectory(atPath: processing.path)) ?? [])
        #expect(drained, "inbox and processing/ should be empty, left: \(left); log:\n\(daemon.output.suffix(1500))")
        daemon.terminate()
        #expect(daemon.wait(timeout: 60) == 0)

        let akte = try SQLiteAkte(path: dataDir.appendingPathComponent("akte.sqlite").path)
        var documentIDs: Set<String> = []
        for hash in hashes {
            let status = try akte.uploadStatus(idOrSha: hash)
            #expect(status?.state == .filed || status?.state == .needsReview, "upload \(hash) is \(String(describing: status?.state))")
            if let id = status?.documentID { documentIDs.insert(id) }
        }
        #expect(documentIDs.count == 120)
        for id in documentIDs {
            #expect(try akte.document(id: id, viewer: "test").receipts.count == 1)
        }
        let quarantined = try FileManager.default.contentsOfDirectory(atPath: dataDir.appendingPathComponent("spool/quarantine").path)
        #expect(quarantined.isEmpty)
        #expect(try akte.verifyAuditChain().isIntact)
        print("crash test: \(kills) kills, \(hashes.count) uploads, \(documentIDs.count) documents")
    }

    @Test("A broken pipeline.yml does not stop filing; a fixed one takes effect (on change and on SIGHUP)")
    func reloadKeepsRunningConfiguration() throws {
        let dataDir = try TestKit.temporaryDirectory("reload")
        defer { try? FileManager.default.removeItem(at: dataDir) }
        let config = dataDir.appendingPathComponent("pipeline.yml")
        let original = try String(contentsOf: TestKit.pipelineYML, encoding: .utf8)
        try original.write(to: config, atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(dataDir: dataDir, arguments: ["--config", config.path])
        defer { daemon.terminate(); _ = daemon.wait(timeout: 30) }
        let inbox = dataDir.appendingPathComponent("spool/inbox")
        #expect(eventually(timeout: 30) { daemon.output.contains("\"started\"") })

        // Broken: refused with the reason, filing goes on with the running rules.
        try "classes: [\n  - id: broken\n".write(to: config, atomically: true, encoding: .utf8)
        #expect(eventually(timeout: 20) { daemon.output.contains("config_refused") }, "log:\n\(daemon.output)")
        try TestKit.deliver(TestKit.payslip(serial: 1), as: "first.pdf", to: inbox)
        let akte = { try SQLiteAkte(path: dataDir.appendingPathComponent("akte.sqlite").path) }
        let firstHash = SHA256Digest.hex(of: TestKit.payslip(serial: 1))
        #expect(try eventually(timeout: 60) { try akte().uploadStatus(idOrSha: firstHash)?.documentID != nil })
        let first = try akte().uploadStatus(idOrSha: firstHash).flatMap { $0.documentID }.map { try akte().document(id: $0, viewer: "test") }
        #expect(first?.machine.documentClass == "lohnabrechnung")

        // Fixed, with the payslip class renamed: the next document shows the new rules.
        let renamed = original.replacingOccurrences(of: "id: lohnabrechnung", with: "id: gehaltsnachweis")
        try renamed.write(to: config, atomically: true, encoding: .utf8)
        #expect(eventually(timeout: 20) { daemon.output.contains("config_reloaded") }, "log:\n\(daemon.output)")
        try TestKit.deliver(TestKit.payslip(serial: 2), as: "second.pdf", to: inbox)
        let secondHash = SHA256Digest.hex(of: TestKit.payslip(serial: 2))
        #expect(try eventually(timeout: 60) { try akte().uploadStatus(idOrSha: secondHash)?.documentID != nil })
        let second = try akte().uploadStatus(idOrSha: secondHash).flatMap { $0.documentID }.map { try akte().document(id: $0, viewer: "test") }
        #expect(second?.machine.documentClass == "gehaltsnachweis")

        // SIGHUP reloads even when the file's time did not change.
        let reloadsBefore = daemon.output.components(separatedBy: "config_reloaded").count
        daemon.hangUp()
        #expect(eventually(timeout: 20) { daemon.output.components(separatedBy: "config_reloaded").count > reloadsBefore })
    }

    @Test("Two daemons on one data directory share the inbox: every upload filed exactly once")
    func twoDaemonsShareTheSpool() throws {
        let dataDir = try TestKit.temporaryDirectory("two")
        defer { try? FileManager.default.removeItem(at: dataDir) }
        let csv = dataDir.appendingPathComponent("cases.csv")
        try Self.household.write(to: csv, atomically: true, encoding: .utf8)
        #expect(try TestKit.run(["cases", "import", "--data-dir", dataDir.path, csv.path]).status == 0)
        let first = try DaemonProcess(dataDir: dataDir, workers: 1)
        let second = try DaemonProcess(dataDir: dataDir, workers: 1)
        #expect(eventually(timeout: 30) { first.output.contains("\"started\"") && second.output.contains("\"started\"") })
        let inbox = dataDir.appendingPathComponent("spool/inbox")
        var hashes: [String] = []
        for serial in 500..<560 {
            let pdf = TestKit.payslip(serial: serial)
            hashes.append(SHA256Digest.hex(of: pdf))
            try TestKit.deliver(pdf, as: "lohn-\(serial).pdf", to: inbox)
        }
        let akte = try SQLiteAkte(path: dataDir.appendingPathComponent("akte.sqlite").path)
        #expect(try eventually(timeout: 180) {
            try hashes.allSatisfy { try akte.uploadStatus(idOrSha: $0)?.documentID != nil }
        })
        first.terminate()
        second.terminate()
        #expect(first.wait(timeout: 60) == 0)
        #expect(second.wait(timeout: 60) == 0)
        let documents = try Set(hashes.compactMap { try akte.uploadStatus(idOrSha: $0)?.documentID })
        #expect(documents.count == 60)
        for id in documents {
            #expect(try akte.document(id: id, viewer: "test").receipts.count == 1)
        }
        // Both took a share of the work.
        #expect(first.output.contains("\"document\"") && second.output.contains("\"document\""))
        #expect(try akte.verifyAuditChain().isIntact)
    }
}

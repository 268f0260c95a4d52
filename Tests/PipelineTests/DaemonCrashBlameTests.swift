import Akte
import Foundation
import Imaging
import Pipeline
import PosteingangTestKit
import SpoolFiles
import Testing

/// A crash counts against an upload only when the upload was alone in hand when its process died.
@Suite(.serialized, .tags(.process), .slow)
struct DaemonCrashBlameTests {
    /// The `.attempts` files in processing/ and what they say: one per upload being worked on.
    static func attempts(in processing: URL) -> [String: String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: processing.path)) ?? []
        var found: [String: String] = [:]
        for name in names where name.hasSuffix(".attempts") {
            found[name] = try? String(contentsOf: processing.appendingPathComponent(name), encoding: .utf8)
        }
        return found
    }

    /// Attempts begun since `seen` was taken (a new file, or one whose count or state changed).
    static func fresh(in processing: URL, since seen: [String: String]) -> [String] {
        attempts(in: processing).filter { seen[$0.key] != $0.value }.map(\.key)
    }

    /// Polls quickly (uploads with a text layer take a fraction of a second).
    static func waitFor(timeout: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(1_000)
        }
        return condition()
    }

    static func prepare(_ name: String) throws -> (dataDir: URL, inbox: URL, processing: URL) {
        let dataDir = try TestKit.temporaryDirectory(name)
        let csv = dataDir.appendingPathComponent("cases.csv")
        try DaemonCrashTests.household.write(to: csv, atomically: true, encoding: .utf8)
        #expect(try TestKit.run(["cases", "import", "--data-dir", dataDir.path, csv.path]).status == 0)
        return (dataDir, dataDir.appendingPathComponent("spool/inbox"), dataDir.appendingPathComponent("spool/processing"))
    }

    /// Runs one daemon undisturbed until inbox and processing/ are empty, then stops it.
    static func drain(_ dataDir: URL, inbox: URL, processing: URL, maxTries: Int) -> Bool {
        guard let daemon = try? DaemonProcess(dataDir: dataDir, arguments: ["--max-tries", "\(maxTries)"]) else { return false }
        let drained = eventually(timeout: 240) {
            let left = (try? FileManager.default.contentsOfDirectory(atPath: inbox.path))?.count ?? 1
            let busy = (try? FileManager.default.contentsOfDirectory(atPath: processing.path))?.count ?? 1
            return left == 0 && busy == 0
        }
        daemon.terminate()
        let stopped = daemon.wait(timeout: 60) == 0
        if !drained || !stopped { print("daemon log:\n\(daemon.output.suffix(3000))") }
        return drained && stopped
    }

    static func quarantineRecords(_ dataDir: URL) throws -> [QuarantineRecord] {
        let quarantine = dataDir.appendingPathComponent("spool/quarantine")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try FileManager.default.contentsOfDirectory(atPath: quarantine.path).filter { $0.hasSuffix(".error.json") }.map {
            try decoder.decode(QuarantineRecord.self, from: Data(contentsOf: quarantine.appendingPathComponent($0)))
        }
    }

    @Test("kill -9 while two workers have uploads in hand, five times, with --max-tries 1: every good upload filed, none set aside")
    func killsWithCompanyBlameNobody() throws {
        let (dataDir, inbox, processing) = try Self.prepare("blame-shared")
        defer { try? FileManager.default.removeItem(at: dataDir) }
        var hashes: [String] = []
        for serial in 800..<830 {
            let pdf = TestKit.payslip(serial: serial)
            hashes.append(SHA256Digest.hex(of: pdf))
            try TestKit.deliver(pdf, as: "lohn-\(serial).pdf", to: inbox)
        }

        // Each run is killed the moment two uploads have an attempt under way at once.
        var kills = 0
        for _ in 0..<5 {
            let seen = Self.attempts(in: processing)
            let daemon = try DaemonProcess(dataDir: dataDir, arguments: ["--max-tries", "1"], workers: 2)
            let caught = Self.waitFor(timeout: 90) { Self.fresh(in: processing, since: seen).count >= 2 }
            daemon.kill9()
            _ = daemon.wait(timeout: 10)
            #expect(caught, "two uploads were never in hand at once; log:\n\(daemon.output.suffix(2000))")
            if caught { kills += 1 }
        }
        #expect(kills == 5)
        #expect(Self.drain(dataDir, inbox: inbox, processing: processing, maxTries: 1))

        let records = try Self.quarantineRecords(dataDir)
        #expect(records.isEmpty, "set aside: \(records.map { "\($0.file) \($0.code) after \($0.tries)" })")
        let akte = try SQLiteAkte(path: dataDir.appendingPathComponent("akte.sqlite").path)
        var documents: Set<String> = []
        for hash in hashes {
            let status = try akte.uploadStatus(idOrSha: hash)
            #expect(status?.state == .filed || status?.state == .needsReview, "upload \(hash) is \(String(describing: status?.state))")
            if let id = status?.documentID { documents.insert(id) }
        }
        #expect(documents.count == hashes.count)
        for id in documents { #expect(try akte.document(id: id, viewer: "test").receipts.count == 1) }
        print("crash blame: \(kills) kills with two uploads in hand, \(documents.count) of \(hashes.count) filed, \(records.count) set aside")
    }

    @Test("An upload whose processing kills the daemon each time it is alone in hand is set aside as crashed_repeatedly")
    func killerAloneIsSetAside() throws {
        let (dataDir, inbox, processing) = try Self.prepare("blame-alone")
        defer { try? FileManager.default.removeItem(at: dataDir) }
        let maxTries = 2
        var hashes: [String] = []
        for serial in 900..<910 {
            let pdf = TestKit.payslip(serial: serial)
            hashes.append(SHA256Digest.hex(of: pdf))
            try TestKit.deliver(pdf, as: "lohn-\(serial).pdf", to: inbox)
        }
        // The "killer": a photo (OCR takes seconds) during whose every attempt the test kills the
        // daemon, standing for a file that crashes the process itself.
        try TestKit.deliver(try Data(contentsOf: TestKit.fixture("photo/au_bescheinigung_02.jpg")), as: "killer.jpg", to: inbox)
        let killerInQuarantine = {
            ((try? FileManager.default.contentsOfDirectory(atPath: dataDir.appendingPathComponent("spool/quarantine").path)) ?? [])
                .contains { $0.hasSuffix("killer.jpg") }
        }

        var kills = 0
        while kills < maxTries + 4 && !killerInQuarantine() {
            let seen = Self.attempts(in: processing)
            let daemon = try DaemonProcess(dataDir: dataDir, arguments: ["--max-tries", "\(maxTries)"], workers: 2)
            let started = Self.waitFor(timeout: 120) {
                killerInQuarantine() || Self.fresh(in: processing, since: seen).contains { $0.hasSuffix("killer.jpg.attempts") }
            }
            // Killed a moment into the work (decoding and OCR take seconds), not between the
            // attempt's count and the decision to set the file aside.
            if started { usleep(300_000) }
            if started && !killerInQuarantine() {
                daemon.kill9()
                kills += 1
            } else {
                daemon.terminate()
            }
            _ = daemon.wait(timeout: 30)
            #expect(started, "the killer was never taken; log:\n\(daemon.output.suffix(2000))")
            if !started { break }
        }
        #expect(Self.drain(dataDir, inbox: inbox, processing: processing, maxTries: maxTries))

        let records = try Self.quarantineRecords(dataDir)
        #expect(records.count == 1, "set aside: \(records.map { "\($0.file) \($0.code)" })")
        let killer = records.first { $0.file == "killer.jpg" }
        #expect(killer?.code == "crashed_repeatedly")
        // Killed alone --max-tries times before it was set aside (once more if its first try had
        // company, which does not count).
        #expect(killer?.tries == maxTries, "tries \(killer?.tries ?? 0), kills \(kills)")
        #expect(kills == maxTries || kills == maxTries + 1, "kills \(kills)")
        let akte = try SQLiteAkte(path: dataDir.appendingPathComponent("akte.sqlite").path)
        for hash in hashes {
            let status = try akte.uploadStatus(idOrSha: hash)
            #expect(status?.state == .filed || status?.state == .needsReview, "upload \(hash) is \(String(describing: status?.state))")
        }
        print("crash blame: killer set aside after \(kills) kills (\(killer?.tries ?? 0) counted tries), \(hashes.count) good uploads filed")
    }
}

import Akte
import Foundation
import Imaging
import PosteingangTestKit
import Testing

/// The fixture set dropped into a running daemon's inbox, with duplicates and broken files.
@Suite(.serialized, .tags(.process), .slow)
struct DaemonFilingTests {
    struct Truth: Decodable {
        var file: String
        var `class`: String
        var `case`: String?
        var fields: [String: String]?
    }

    @Test("Every good file is filed once with its class and case or sent to review; broken files are quarantined; duplicates recognised")
    func fixtureSetThroughDaemon() throws {
        let dataDir = try TestKit.temporaryDirectory("daemon")
        defer { try? FileManager.default.removeItem(at: dataDir) }
        #expect(try TestKit.run(["cases", "import", "--data-dir", dataDir.path, TestKit.fixture("cases.csv").path]).status == 0)

        let truths = try String(contentsOf: TestKit.fixture("truth.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONDecoder().decode(Truth.self, from: Data($0.utf8)) }
        let inbox = dataDir.appendingPathComponent("spool/inbox")
        let daemon = try DaemonProcess(dataDir: dataDir)
        defer { daemon.terminate(); _ = daemon.wait(timeout: 60) }

        var expected: [String: Truth] = [:]  // sha256 → truth
        for (index, truth) in truths.enumerated() {
            let source = TestKit.fixture(truth.file)
            let name = String(format: "%02d-", index) + source.lastPathComponent
            let sidecar = source.deletingPathExtension().appendingPathExtension("json")
            if FileManager.default.fileExists(atPath: sidecar.path) {
                let target = inbox.appendingPathComponent(name).deletingPathExtension().appendingPathExtension("json")
                try FileManager.default.copyItem(at: sidecar, to: target)
            }
            let data = try Data(contentsOf: source)
            expected[SHA256Digest.hex(of: data)] = truth
            try TestKit.deliver(data, as: name, to: inbox)
        }
        // Two duplicates (same bytes, other names) and the broken files.
        for (index, truth) in truths.prefix(2).enumerated() {
            try TestKit.deliver(try Data(contentsOf: TestKit.fixture(truth.file)), as: "again-\(index)-" + URL(fileURLWithPath: truth.file).lastPathComponent, to: inbox)
        }
        // bad/truncated.jpg (30 % of a photo) is read as far as it goes and sent to review; the
        // rest of bad/ is refused.
        let cutJPEG = "truncated.jpg"
        let broken = try FileManager.default.contentsOfDirectory(atPath: TestKit.fixture("bad").path).sorted().filter { $0 != cutJPEG }
        try TestKit.deliver(try Data(contentsOf: TestKit.fixture("bad/\(cutJPEG)")), as: "bad-" + cutJPEG, to: inbox)
        for name in broken {
            try TestKit.deliver(try Data(contentsOf: TestKit.fixture("bad/\(name)")), as: "bad-" + name, to: inbox)
        }

        let quarantine = dataDir.appendingPathComponent("spool/quarantine")
        let processing = dataDir.appendingPathComponent("spool/processing")
        let done = eventually(timeout: 900) {
            let waiting = (try? FileManager.default.contentsOfDirectory(atPath: inbox.path))?.filter { !$0.hasSuffix(".json") }.count ?? 1
            let busy = (try? FileManager.default.contentsOfDirectory(atPath: processing.path))?.count ?? 1
            return waiting == 0 && busy == 0
        }
        #expect(done, "daemon did not finish; log tail:\n\(daemon.output.suffix(3000))")

        let akte = try SQLiteAkte(path: dataDir.appendingPathComponent("akte.sqlite").path)
        var documents: Set<String> = []
        var classesRight = 0
        var fieldsRight = 0, fieldsTotal = 0
        for (sha, truth) in expected {
            let status = try #require(try akte.uploadStatus(idOrSha: sha), "\(truth.file) has no status")
            #expect(status.state == .filed || status.state == .needsReview, "\(truth.file): \(status.state) \(status.reason ?? "")")
            guard let id = status.documentID else { continue }
            documents.insert(id)
            let document = try akte.document(id: id, viewer: "test")
            if document.machine.documentClass == truth.class { classesRight += 1 }
            let stored = Dictionary(document.fields.map { ($0.key, $0.value.lowercased()) }, uniquingKeysWith: { a, _ in a })
            for (key, value) in truth.fields ?? [:] {
                fieldsTotal += 1
                if stored[key] == value.lowercased() { fieldsRight += 1 }
            }
            // Never the wrong household: either the true case or none (then in review).
            if let filedCase = document.machine.caseID {
                #expect(filedCase == truth.case, "\(truth.file) filed in \(filedCase), truth \(truth.case ?? "none")")
            } else {
                #expect(document.machine.status == .needsReview)
            }
        }
        #expect(documents.count == truths.count)
        #expect(Double(classesRight) / Double(truths.count) >= 0.95)
        #expect(Double(fieldsRight) / Double(fieldsTotal) >= 0.90, "fields \(fieldsRight)/\(fieldsTotal)")
        // Duplicates: the same document, now with two receipts.
        for truth in truths.prefix(2) {
            let sha = SHA256Digest.hex(of: try Data(contentsOf: TestKit.fixture(truth.file)))
            let id = try #require(try akte.uploadStatus(idOrSha: sha)?.documentID)
            #expect(try akte.document(id: id, viewer: "test").receipts.count == 2)
        }
        // Every broken file is in quarantine with its reason.
        let quarantined = try FileManager.default.contentsOfDirectory(atPath: quarantine.path)
        for name in broken {
            let record = try #require(quarantined.first { $0.hasSuffix("--bad-\(name).error.json") }, "\(name) not quarantined")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: quarantine.appendingPathComponent(record))) as? [String: Any])
            #expect((json["reason"] as? String)?.isEmpty == false)
            #expect(json["stage"] as? String == "decode")
            #expect(quarantined.contains { $0.hasSuffix("--bad-\(name)") }, "the file itself is kept")
        }
        let cut = try #require(try akte.uploadStatus(idOrSha: SHA256Digest.hex(of: try Data(contentsOf: TestKit.fixture("bad/\(cutJPEG)")))))
        #expect(cut.state == .needsReview, "\(cutJPEG): \(cut.state) \(cut.reason ?? "")")
        if let id = cut.documentID {
            let reasons = try akte.document(id: id, viewer: "test").reviewReasons
            #expect(reasons.contains { $0.hasPrefix("Seite 1: Die Bilddatei endet vorzeitig: etwa ") }, "\(reasons)")
        }
        #expect(try akte.verifyAuditChain().isIntact)
    }
}

import Akte
import Foundation
import Imaging
import Pipeline
import PosteingangTestKit
import SpoolFiles
import Testing

/// One bad file never hurts the service. The hostile corpus of
/// `tools/hostile/make_corpus.py` goes through a running daemon, with good files in between.
@Suite(.serialized, .tags(.process), .slow)
struct HostileInputTests {
    struct Entry: Decodable {
        var name: String?
        var name_hex: String?
        var kind: String
        var source: String?
        var target: String?
        var expect: String
        var code: String?
        var what: String
        var sidecar_bytes: Int?
        var sidecar_link: String?
        var sidecar_text: String?
    }

    static func makeCorpus(size: String = "small") throws -> (URL, [Entry]) {
        let out = try TestKit.temporaryDirectory("corpus")
        try ChildProcess(
            "python3",
            [TestKit.repositoryRoot.appendingPathComponent("tools/hostile/make_corpus.py").path,
             "--out", out.path, "--fixtures", TestKit.fixtures.path, "--size", size],
            timeout: 300
        ).run().check("make_corpus.py")
        let entries = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: out.appendingPathComponent("manifest.json")))
        return (out, entries)
    }

    /// Puts one corpus entry into the inbox the way an attacker could.
    static func place(_ entry: Entry, corpus: URL, inbox: URL) throws {
        let source = entry.source.map { corpus.appendingPathComponent($0) }
        if let hex = entry.name_hex {
            var bytes: [UInt8] = []
            var index = hex.startIndex
            while index < hex.endIndex {
                let next = hex.index(index, offsetBy: 2)
                bytes.append(UInt8(hex[index..<next], radix: 16)!)
                index = next
            }
            let data = try Data(contentsOf: source!)
            let path = Array(inbox.path.utf8) + [UInt8(ascii: "/")] + bytes + [0]
            let fd = path.withUnsafeBufferPointer {
                $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o600) }
            }
            #expect(fd >= 0)
            _ = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
            return
        }
        let name = try #require(entry.name)
        let url = inbox.appendingPathComponent(name)
        if let size = entry.sidecar_bytes {
            try Data(repeating: 0x20, count: size).write(to: url.deletingPathExtension().appendingPathExtension("json"))
        }
        if let link = entry.sidecar_link {
            try FileManager.default.createSymbolicLink(atPath: url.deletingPathExtension().appendingPathExtension("json").path, withDestinationPath: link)
        }
        if let text = entry.sidecar_text {
            try Data(text.utf8).write(to: url.deletingPathExtension().appendingPathExtension("json"))
        }
        switch entry.kind {
        case "symlink":
            try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: try #require(entry.target))
        case "hardlink":
            #expect(link(source!.path, url.path) == 0)
        case "fifo":
            #expect(mkfifo(url.path, 0o600) == 0)
        case "dir":
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        default:
            try TestKit.deliver(try Data(contentsOf: source!), as: name, to: inbox)
        }
    }

    static func sizeOnDisk(_ url: URL) -> Int {
        let enumerator = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.fileSizeKey])
        var total = 0
        while let file = enumerator?.nextObject() as? URL {
            total += (try? file.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0) ?? 0
        }
        return total
    }

    @Test("The hostile corpus through a running daemon: every refusal quarantined with its reason, good files between filed, same PID, memory and disk bounded")
    func hostileCorpusThroughDaemon() throws {
        let (corpus, entries) = try Self.makeCorpus()
        defer { try? FileManager.default.removeItem(at: corpus) }
        let dataDir = try TestKit.temporaryDirectory("hostile")
        defer { try? FileManager.default.removeItem(at: dataDir) }
        let csv = dataDir.appendingPathComponent("cases.csv")
        try DaemonCrashTests.household.write(to: csv, atomically: true, encoding: .utf8)
        #expect(try TestKit.run(["cases", "import", "--data-dir", dataDir.path, csv.path]).status == 0)

        let daemon = try DaemonProcess(dataDir: dataDir, arguments: ["--max-tries", "2", "--decode-timeout", "30"])
        defer { daemon.terminate(); _ = daemon.wait(timeout: 60) }
        #expect(eventually(timeout: 30) { daemon.output.contains("\"started\"") })
        let pid = daemon.child.pid
        let inbox = dataDir.appendingPathComponent("spool/inbox")

        // Hostile entries, with a good payslip after every fifth.
        var good: [String] = []
        for (index, entry) in entries.enumerated() {
            try Self.place(entry, corpus: corpus, inbox: inbox)
            if index % 5 == 4 {
                let pdf = TestKit.payslip(serial: 700 + index)
                good.append(SHA256Digest.hex(of: pdf))
                try TestKit.deliver(pdf, as: "good-\(index).pdf", to: inbox)
            }
        }
        let processing = dataDir.appendingPathComponent("spool/processing")
        let drained = eventually(timeout: 300) {
            let left = (try? FileManager.default.contentsOfDirectory(atPath: inbox.path))?.count ?? 1
            let busy = (try? FileManager.default.contentsOfDirectory(atPath: processing.path))?.count ?? 1
            return left == 0 && busy == 0
        }
        #expect(drained, "left in inbox: \((try? FileManager.default.contentsOfDirectory(atPath: inbox.path)) ?? []); log:\n\(daemon.output.suffix(3000))")
        #expect(daemon.child.isRunning && daemon.child.pid == pid, "the daemon must still run")
        #expect(daemon.output.components(separatedBy: "\"started\"").count == 2, "started once, never restarted")

        // Memory: peak resident set of the daemon (its decoders are children, not counted here).
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let peakKiB = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
            .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") } ?? 0
        #expect(peakKiB < 1_500_000, "daemon peak RSS \(peakKiB) KiB")

        // Every refusal in quarantine with its reason and the expected code.
        let quarantine = dataDir.appendingPathComponent("spool/quarantine")
        var records: [QuarantineRecord] = []
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        for name in try FileManager.default.contentsOfDirectory(atPath: quarantine.path) where name.hasSuffix(".error.json") {
            records.append(try decoder.decode(QuarantineRecord.self, from: Data(contentsOf: quarantine.appendingPathComponent(name))))
            var info = stat()
            let file = quarantine.appendingPathComponent(String(name.dropLast(".error.json".count)))
            if lstat(file.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_nlink == 1 {
                #expect(info.st_mode & 0o077 == 0, "\(file.lastPathComponent) must be owner-only")
            }
        }
        let akte = try SQLiteAkte(path: dataDir.appendingPathComponent("akte.sqlite").path)
        var refused = 0, passed = 0
        for entry in entries {
            let shown = entry.name.map { UploadName.sanitized($0) }
            let record = records.first { record in
                if let shown { return record.file == shown }
                return record.code == "unsafe_name" && record.file.hasPrefix("bad-")
            }
            if entry.expect == "refuse" {
                #expect(record != nil, "\(entry.what) was not quarantined")
                if let code = entry.code, let record { #expect(record.code == code, "\(entry.what): \(record.code) \(record.reason)") }
                if let record { #expect(!record.reason.isEmpty) }
                refused += 1
            } else if entry.expect == "read" {
                // A JPEG cut in its image data is read as far as it goes and sent to review.
                #expect(record == nil, "\(entry.what) was quarantined: \(record.map { "\($0.code) \($0.reason)" } ?? "")")
                if record == nil { passed += 1 }
                let sha = SHA256Digest.hex(of: try Data(contentsOf: corpus.appendingPathComponent(try #require(entry.source))))
                let upload = try akte.uploadStatus(idOrSha: sha)
                #expect(upload?.state == .needsReview, "\(entry.what): \(String(describing: upload?.state))")
                if let id = upload?.documentID {
                    let reasons = try akte.document(id: id, viewer: "test").reviewReasons
                    #expect(reasons.contains { $0.contains("Die Bilddatei endet vorzeitig") }, "\(entry.what): \(reasons)")
                }
            } else if record == nil {
                passed += 1
            }
        }
        for sha in good {
            let state = try akte.uploadStatus(idOrSha: sha)?.state
            #expect(state == .filed || state == .needsReview, "good file \(sha) is \(String(describing: state))")
        }
        // Nothing from outside the data directory was read into the E-Akte.
        let passwd = (try? Data(contentsOf: URL(fileURLWithPath: "/etc/passwd"))).map { SHA256Digest.hex(of: $0) }
        if let passwd { #expect(try akte.uploadStatus(idOrSha: passwd) == nil) }
        #expect(try akte.verifyAuditChain().isIntact)

        let corpusBytes = Self.sizeOnDisk(corpus)
        let dataBytes = Self.sizeOnDisk(dataDir)
        // Quarantine keeps the refused files; beyond that only the E-Akte and a few blobs.
        #expect(dataBytes < corpusBytes + 64 * 1024 * 1024, "data dir \(dataBytes) bytes for a corpus of \(corpusBytes)")
        print("hostile corpus: \(entries.count) entries, \(refused) must-refuse all quarantined (\(records.count) quarantine records), \(passed) tolerated inputs filed, \(good.count) good files filed; daemon pid \(pid) alive; peak RSS \(peakKiB / 1024) MiB; data dir \(dataBytes / 1_048_576) MiB for a corpus of \(corpusBytes / 1_048_576) MiB")
    }

    @Test("A sidecar from an untrusted channel cannot put a document into a household its text does not name")
    func untrustedSidecarCase() throws {
        let dataDir = try TestKit.temporaryDirectory("sidecar")
        defer { try? FileManager.default.removeItem(at: dataDir) }
        let csv = dataDir.appendingPathComponent("cases.csv")
        try (DaemonCrashTests.household + "96301BG0099999,963D999999,Zwerg,Zora,1990-02-02,Am Hang 1,53115,Bonn\n")
            .write(to: csv, atomically: true, encoding: .utf8)
        #expect(try TestKit.run(["cases", "import", "--data-dir", dataDir.path, csv.path]).status == 0)
        let daemon = try DaemonProcess(dataDir: dataDir, arguments: ["--trusted-channel", "poststelle"])
        defer { daemon.terminate(); _ = daemon.wait(timeout: 60) }
        let inbox = dataDir.appendingPathComponent("spool/inbox")
        // Petra's payslip, claimed for Zora's household by an app upload, and the same claim
        // from the operator's trusted scanner channel.
        let untrusted = TestKit.payslip(serial: 1)
        let trusted = TestKit.payslip(serial: 2)
        try Data(#"{"case": "96301BG0099999", "channel": "app"}"#.utf8).write(to: inbox.appendingPathComponent("a.json"))
        try TestKit.deliver(untrusted, as: "a.pdf", to: inbox)
        try Data(#"{"case": "96301BG0099999", "channel": "poststelle"}"#.utf8).write(to: inbox.appendingPathComponent("b.json"))
        try TestKit.deliver(trusted, as: "b.pdf", to: inbox)
        let akte = { try SQLiteAkte(path: dataDir.appendingPathComponent("akte.sqlite").path) }
        #expect(try eventually(timeout: 90) {
            try akte().uploadStatus(idOrSha: SHA256Digest.hex(of: untrusted))?.documentID != nil
                && akte().uploadStatus(idOrSha: SHA256Digest.hex(of: trusted))?.documentID != nil
        }, "log:\n\(daemon.output.suffix(2000))")
        let a = try akte().document(id: try #require(try akte().uploadStatus(idOrSha: SHA256Digest.hex(of: untrusted))?.documentID), viewer: "test")
        #expect(a.machine.caseID == nil)
        #expect(a.machine.status == .needsReview)
        let b = try akte().document(id: try #require(try akte().uploadStatus(idOrSha: SHA256Digest.hex(of: trusted))?.documentID), viewer: "test")
        // The operator's trusted channel is believed, as configured.
        #expect(b.machine.caseID == "96301BG0099999")
    }

    @Test("Files at rest are owner-only: data dir 0700, database 0600, blobs 0400")
    func filesAtRestAreOwnerOnly() throws {
        let dataDir = try TestKit.temporaryDirectory("modes")
        defer { try? FileManager.default.removeItem(at: dataDir) }
        let daemon = try DaemonProcess(dataDir: dataDir)
        defer { daemon.terminate(); _ = daemon.wait(timeout: 60) }
        let pdf = TestKit.payslip(serial: 9)
        #expect(eventually(timeout: 30) { daemon.output.contains("\"started\"") })
        try TestKit.deliver(pdf, as: "p.pdf", to: dataDir.appendingPathComponent("spool/inbox"))
        let akte = { try SQLiteAkte(path: dataDir.appendingPathComponent("akte.sqlite").path) }
        #expect(try eventually(timeout: 60) { try akte().uploadStatus(idOrSha: SHA256Digest.hex(of: pdf))?.documentID != nil })
        func mode(_ path: String) -> mode_t {
            var info = stat()
            return lstat(path, &info) == 0 ? info.st_mode & 0o777 : 0o777
        }
        #expect(mode(dataDir.path) == 0o700)
        #expect(mode(dataDir.appendingPathComponent("spool/quarantine").path) == 0o700)
        #expect(mode(dataDir.appendingPathComponent("akte.sqlite").path) & 0o077 == 0)
        let blobs = FileManager.default.enumerator(atPath: dataDir.appendingPathComponent("blobs").path)
        var count = 0
        while let name = blobs?.nextObject() as? String {
            let path = dataDir.appendingPathComponent("blobs").appendingPathComponent(name).path
            var info = stat()
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
                #expect(info.st_mode & 0o777 == 0o400, "\(name)")
                count += 1
            }
        }
        #expect(count >= 1)
    }
}

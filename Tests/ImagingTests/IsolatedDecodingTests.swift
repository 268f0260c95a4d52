import Foundation
import Imaging
import PosteingangTestKit
import Testing

/// A decoder that crashes, hangs or leaves helpers running costs the file, never the caller.
/// The worker is replaced by small scripts that misbehave the way a broken C library would.
@Suite(.tags(.process), .slow)
struct IsolatedDecodingTests {
    static func worker(_ body: String) throws -> (DecoderIsolation, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posteingang-iso-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = folder.appendingPathComponent("worker.sh")
        try ("#!/bin/sh\n" + body + "\n").write(to: script, atomically: true, encoding: .utf8)
        chmod(script.path, 0o755)
        return (DecoderIsolation(executable: script.path, workDirectory: folder), folder)
    }

    @Test("A segfault in the decoder is a typed decoder_crashed refusal naming the signal")
    func crashIsTyped() throws {
        let (isolation, folder) = try Self.worker("kill -SEGV $$")
        defer { try? FileManager.default.removeItem(at: folder) }
        let decoder = DocumentDecoder(isolation: isolation)
        #expect {
            try decoder.decode(fileAt: TestKit.fixture("scan/mietvertrag_05.png"))
        } throws: { error in
            guard let error = error as? ImagingError, case .decoderCrashed(let detail) = error else { return false }
            return error.code == "decoder_crashed" && detail.contains("segmentation fault")
        }
    }

    @Test("A decoder that hangs is stopped at the deadline, with the helpers it started")
    func hangIsStopped() throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("posteingang-grandchild-\(UUID().uuidString.prefix(8))")
        let (isolation, folder) = try Self.worker("(sleep 3; touch \(marker.path)) &\nsleep 60")
        defer { try? FileManager.default.removeItem(at: folder) }
        let decoder = DocumentDecoder(limits: DecodeLimits(decodeTimeout: 1), isolation: isolation)
        let started = Date()
        #expect(throws: ImagingError.decodeTimeout(seconds: 1)) {
            try decoder.decode(fileAt: TestKit.fixture("scan/mietvertrag_05.png"))
        }
        #expect(Date().timeIntervalSince(started) < 3)
        // The helper the worker started was killed with it (its process group).
        sleep(3)
        #expect(!FileManager.default.fileExists(atPath: marker.path))
        // The private output folder is gone.
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(DecoderIsolation.folderPrefix) }
        #expect(left.isEmpty)
    }

    @Test("The real worker gives the same pages as in-process decoding", arguments: ["posteingang", "posteingang-decode"])
    func sameResultIsolated(program: String) throws {
        let url = TestKit.fixture("scan/mietvertrag_02.tif")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posteingang-iso-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(program).path
        try #require(FileManager.default.isExecutableFile(atPath: executable))
        let isolated = try DocumentDecoder(isolation: DecoderIsolation(executable: executable, workDirectory: folder)).decode(fileAt: url)
        let local = try DocumentDecoder().decode(fileAt: url)
        #expect(isolated.format == local.format)
        #expect(isolated.pages.count == local.pages.count)
        for (a, b) in zip(isolated.pages, local.pages) {
            guard case .image(let x) = a.content, case .image(let y) = b.content else { Issue.record("not images"); continue }
            #expect(x.width == y.width && x.height == y.height && x.resolution == y.resolution)
        }
    }

    @Test("The small decoder program is the default where it is built, and refuses a wrong command line")
    func smallProgram() throws {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let small = folder.appendingPathComponent(DecodeWorker.programName).path
        try #require(FileManager.default.isExecutableFile(atPath: small))
        #expect(URL(fileURLWithPath: DecoderIsolation.defaultExecutable).lastPathComponent == DecodeWorker.programName)
        let refused = try ChildProcess(small, ["decode-worker", "--output", "/nonexistent"]).run()
        let message = refused.standardError
        #expect(refused.status == 64)
        #expect(message.contains("--limits, --output and the file are needed"), "\(message)")
        #expect(DecodeWorker.main(arguments: ["decode", "x"]) == 64)
        #expect(DecodeWorker.main(arguments: ["decode-worker", "--limits", "{", "--output", "/tmp", "x"]) == 64)
    }
}

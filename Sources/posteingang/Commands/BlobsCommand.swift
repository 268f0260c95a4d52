import Akte
import ArgumentParser
import Foundation
import ObjectStore

/// `posteingang blobs …`: the blob store itself (`--blobs`).
struct BlobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blobs", abstract: "The blob store (originals, archive PDFs, page images): measure it.",
        subcommands: [BlobsBenchmarkCommand.self])
}

/// `posteingang blobs benchmark`: puts and reads back COUNT new blobs of SIZE MiB, one after the
/// other, and prints the times. A figure for comparing stores, not a test.
struct BlobsBenchmarkCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark", abstract: "Put and read back new random blobs; print blobs/s, MiB/s and ms per blob.")
    @OptionGroup var store: StoreOptions
    @Option(help: "How many blobs.") var count: Int = 100
    @Option(help: "Size of each blob in MiB.") var sizeMib: Double = 1
    @Flag(help: "Create the S3 bucket when it is missing.") var createBucket = false

    func validate() throws {
        guard (1...100_000).contains(count) else { throw ValidationError("--count must be between 1 and 100000") }
        guard sizeMib > 0, sizeMib <= 1024 else { throw ValidationError("--size-mib must be between 0 and 1024") }
    }

    func execute() async throws {
        if createBucket, let s3 = try BlobStores.open(store.blobsValue, dataDirectory: store.directory.root) as? S3BlobStore {
            try await s3.prepare(create: true)
            try await s3.shutdown()
        }
        try await store.withBlobs { blobs in
            let bytes = Int(sizeMib * 1_048_576)
            // New bytes every run (a random head), so that every put really writes.
            var base = Data(count: bytes)
            for index in stride(from: 0, to: bytes, by: 4096) { base[index] = UInt8(truncatingIfNeeded: index / 4096) }
            let run = UUID().uuidString
            let payloads = (0..<count).map { index -> Data in
                var data = base
                data.replaceSubrange(0..<min(bytes, 48), with: Data("\(run)-\(index)".utf8).prefix(min(bytes, 48)))
                return data
            }
            let clock = ContinuousClock()
            var hashes: [String] = []
            let putTime = try await clock.measure {
                for data in payloads { hashes.append(try await blobs.put(data)) }
            }
            let getTime = try await clock.measure {
                for sha in hashes { _ = try await blobs.read(sha256: sha) }
            }
            print("blob store: \(blobs.location)")
            for (what, time) in [("put", putTime), ("get", getTime)] {
                let seconds = Double(time.components.seconds) + Double(time.components.attoseconds) / 1e18
                print(
                    "\(what) " + String(
                        format: "%d × %.1f MiB: %.2f s, %.1f blobs/s, %.1f MiB/s, %.1f ms per blob", count, sizeMib, seconds,
                        Double(count) / seconds, Double(count) * sizeMib / seconds, seconds * 1000 / Double(count)))
            }
        }
    }
}

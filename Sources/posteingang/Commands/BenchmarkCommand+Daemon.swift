import Akte
import ArgumentParser
import Foundation
import Imaging
import ObjectStore
import Pipeline
import SpoolFiles

/// One measured run of the daemon: the uploads dropped into a fresh data directory's inbox, the
/// daemon started with N workers on the chosen E-Akte and blob store, timed until every upload is
/// filed, sent to review or refused.
extension BenchmarkCommand {
    /// A fresh store for one run: the run's own folder, or an S3 store under a new prefix.
    static func blobStore(_ value: String, root: URL) async throws -> any BlobStore {
        guard value != "folder" else { return FolderBlobStore(root: root.appendingPathComponent("blobs", isDirectory: true)) }
        var location: S3Location
        do {
            location = try S3Location(parsing: value)
        } catch {
            throw ValidationError("--blobs: \(error) (or 'folder')")
        }
        location.prefix = (location.prefix.isEmpty ? "" : location.prefix + "/") + "benchmark-\(UUID().uuidString.prefix(8).lowercased())"
        let store = S3BlobStore(
            location: location, credentials: try S3Credentials.resolve(for: location, environment: ProcessInfo.processInfo.environment))
        do {
            try await store.prepare(create: true)
        } catch {
            try? await store.shutdown()
            throw ValidationError("--blobs: \(error)")
        }
        return store
    }

    func measureDaemon(files: [URL], workers: Int, blobs value: String, server: PostgresURL?) async throws -> Run {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("posteingang-bench-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = DataDirectory(root)
        let database = try server.map { server in
            try PostgresAkte.makeDatabase("bench_" + UUID().uuidString.prefix(8).lowercased(), onServerOf: server).url
        }
        let blobs = try await Self.blobStore(value, root: root)
        do {
            return try await measureDaemon(files: files, workers: workers, directory: directory, database: database, blobs: blobs)
        } catch {
            try? await blobs.shutdown()
            throw error
        }
    }

    func measureDaemon(
        files: [URL], workers: Int, directory: DataDirectory, database: String?, blobs: any BlobStore
    ) async throws -> Run {
        let (daemon, akte) = try Daemon.open(
            directory: directory, database: database, configurationURL: URL(fileURLWithPath: pipeline.config), casesCSV: pipeline.cases,
            options: DaemonOptions(workers: workers, settleDelay: 0.2, rescanInterval: 1), log: EventLog(quiet: true), blobs: blobs)
        var hashes: [String] = []
        let started = Date()
        for (index, file) in files.enumerated() {
            let data = try Data(contentsOf: file)
            hashes.append(SHA256Digest.hex(of: data))
            let part = directory.inbox.appendingPathComponent("\(index)-\(file.lastPathComponent).part")
            try data.write(to: part)
            try FileManager.default.moveItem(at: part, to: directory.inbox.appendingPathComponent("\(index)-\(file.lastPathComponent)"))
        }
        let running = Task { try await daemon.run() }
        var finished: [String: UploadStatus] = [:]
        while finished.count < Set(hashes).count {
            try await Task.sleep(nanoseconds: 200_000_000)
            for hash in Set(hashes) where finished[hash] == nil {
                if let status = try akte.uploadStatus(idOrSha: hash), [.filed, .needsReview, .refused].contains(status.state) {
                    finished[hash] = status
                }
            }
        }
        let wall = Date().timeIntervalSince(started)
        daemon.requestStop()
        try await running.value
        var latencies: [Double] = []
        var pages = 0
        for status in finished.values {
            guard let id = status.documentID else { continue }
            let document = try akte.document(id: id, viewer: "benchmark")
            latencies.append(document.filedAt.timeIntervalSince(document.receivedAt))
            pages += document.pageCount
        }
        latencies.sort()
        let stageSeconds = Self.stageSeconds(fromExposition: daemon.metrics.exposition())
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int((Double(latencies.count - 1) * p).rounded()))]
        }
        try await blobs.shutdown()
        return Run(
            perMinute: Double(files.count) / wall * 60, pagesPerSecond: Double(pages) / wall, p50: percentile(0.5), p95: percentile(0.95), wall: wall,
            blobs: blobs.location, stageSeconds: stageSeconds, pages: pages)
    }
}

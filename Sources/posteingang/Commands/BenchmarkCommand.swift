import Akte
import ArgumentParser
import ChildProcesses
import Classification
import Foundation
import Imaging
import ObjectStore
import Pipeline
import SpoolFiles

/// `posteingang benchmark DIR`: throughput and latency of the daemon over a folder of uploads,
/// with 1 and N workers, beside plain `tesseract` over the same images in one run.
struct BenchmarkCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark",
        abstract: "Measure documents per minute and upload-to-filed latency (p50/p95) of the daemon, beside plain tesseract.")

    @OptionGroup var pipeline: PipelineOptions
    @Option(help: "Worker counts to measure, comma-separated.") var workerCounts: String = "1,2"
    @Flag(help: "Skip the plain tesseract comparison.") var noTesseract = false
    @Option(
        name: .customLong("blobs"),
        help: "Blob stores to measure, each in the same run (repeatable): 'folder' (the default) or s3://BUCKET?endpoint=…; each S3 run writes under a new prefix, so every put is real.")
    var blobStores: [String] = []
    @Option(
        name: .customLong("database"),
        help: "Also measure the daemon on PostgreSQL's work queue, in the same run: postgres://USER@HOST:PORT/DB of a server where the account may CREATE DATABASE (each run gets a new, empty database).")
    var database: String?
    @Argument(help: "Folder with uploads (searched recursively; bad/ and .json files are skipped).") var directory: String

    func execute() async throws {
        let files = try Self.uploads(in: URL(fileURLWithPath: directory, isDirectory: true))
        guard !files.isEmpty else { throw ValidationError("no uploads found in \(directory)") }
        let counts = workerCounts.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ (1...64).contains($0) }) else {
            throw ValidationError("--worker-counts takes numbers from 1 to 64, e.g. 1,2")
        }
        let images = files.filter { ["jpg", "jpeg", "png", "tif", "tiff", "webp"].contains($0.pathExtension.lowercased()) }
        print("benchmark over \(files.count) uploads from \(directory) (\(images.count) of them images that plain tesseract reads)")
        // Before any other child process: getrusage's figure for children is the largest of all so far.
        if let photo = Self.largestPhoto(files) { Self.printPeakMemory(reading: photo) }
        Self.printHEICDecoding(files.filter { (try? FileFormat.detect(Data(contentsOf: $0, options: .mappedIfSafe)).get()) == .heic })
        print("set      workers  documents/min  pages/s  p50 latency  p95 latency  wall     blobs")
        let server = try database.map { value -> PostgresURL in
            do { return try PostgresURL(value) } catch { throw ValidationError("--database: \(error)") }
        }
        var ours: [String: [Int: Double]] = [:]
        var backends: [String] = []
        for (label, set) in [("all", files), ("images", images)] where !set.isEmpty {
            for workers in counts {
                var embedded: Double?
                for store in blobStores.isEmpty ? ["folder"] : blobStores {
                    for onPostgres in server == nil ? [false] : [false, true] {
                        let run = try await measureDaemon(files: set, workers: workers, blobs: store, server: onPostgres ? server : nil)
                        if ours[label]?[workers] == nil { ours[label, default: [:]][workers] = run.pagesPerSecond }
                        if embedded == nil { embedded = run.pagesPerSecond }
                        print(label.padding(toLength: 7, withPad: " ", startingAt: 0)
                            + String(format: "  %7d  %13.1f  %7.2f  %9.1f s  %9.1f s  %5.1f s", workers, run.perMinute, run.pagesPerSecond, run.p50, run.p95, run.wall)
                            + "  " + run.blobs + (onPostgres ? "; PostgreSQL work queue" : "; SQLite + spool"))
                        print("         stages, share of the workers' time (ms per page): " + Self.stageShares(run.stageSeconds, pages: run.pages))
                        if onPostgres, let embedded {
                            backends.append(String(
                                format: "%@, %d workers, PostgreSQL queue + %@: %.2f pages/s against %.2f embedded (SQLite + folder): %+.1f %%",
                                label, workers, run.blobs, run.pagesPerSecond, embedded, (run.pagesPerSecond / embedded - 1) * 100))
                        }
                    }
                }
            }
        }
        if !backends.isEmpty {
            print("same run, the shared queue against the embedded default on the same documents:")
            for line in backends { print("  " + line) }
        }
        guard !noTesseract else { return }
        // Plain tesseract reads images only: every PDF page rendered at 300 dpi (poppler) and every
        // HEIC converted to PNG beforehand, outside the timed run (that work is not counted for it).
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("posteingang-bench-plain-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let readable = try Self.plainTesseractInputs(files, scratch: scratch)
        var ratios: [String] = []
        for (label, set) in [("all", readable.all), ("images", images)] where !set.isEmpty {
            for workers in counts {
                let (wall, pages) = try Self.plainTesseract(set, parallel: workers)
                let plain = Double(pages) / wall
                print(label.padding(toLength: 7, withPad: " ", startingAt: 0)
                    + String(format: "  %7d  %13.1f  %7.2f          n/a          n/a  %5.1f s   plain tesseract FILE - -l deu, OMP_THREAD_LIMIT=1, %d at a time",
                             workers, Double(label == "all" ? files.count : set.count) / wall * 60, plain, wall, workers))
                if let mine = ours[label]?[workers] {
                    ratios.append(String(format: "%@, %d workers: ours %.2f pages/s, plain tesseract %.2f pages/s: %.2f×", label, workers, mine, plain, mine / plain))
                }
            }
        }
        print("same run, ours against plain tesseract (PDF pages rendered at 300 dpi and HEIC converted for it beforehand, not timed):")
        for line in ratios { print("  " + line) }
    }

    /// What plain tesseract can read for each upload: the image itself, or the PDF's pages
    /// rendered at 300 dpi, or a HEIC's pages as PNG (tesseract reads no HEIC).
    static func plainTesseractInputs(_ files: [URL], scratch: URL) throws -> (all: [URL], pages: Int) {
        var inputs: [URL] = []
        for (index, file) in files.enumerated() {
            let format = try? FileFormat.detect(Data(contentsOf: file, options: .mappedIfSafe)).get()
            switch format {
            case .pdf?:
                let base = scratch.appendingPathComponent("\(index)")
                try ChildProcess("pdftoppm", ["-r", "300", "-gray", "-png", file.path, base.path], timeout: 600, package: "poppler-utils")
                    .run().check("pdftoppm")
                let rendered = try FileManager.default.contentsOfDirectory(at: scratch, includingPropertiesForKeys: nil)
                    .filter { $0.lastPathComponent.hasPrefix("\(index)-") }.sorted { $0.path < $1.path }
                inputs += rendered
            case .heic?:
                for page in try DocumentDecoder().decode(fileAt: file).pages {
                    guard case .image(let image) = page.content else { continue }
                    let png = scratch.appendingPathComponent("\(index)-heic-\(page.number).png")
                    try image.pngData().write(to: png)
                    inputs.append(png)
                }
            default:
                inputs.append(file)
            }
        }
        return (inputs, inputs.count)
    }

    struct Run {
        var perMinute, pagesPerSecond, p50, p95, wall: Double
        var blobs: String
        /// Seconds per pipeline stage over all documents (the daemon's `posteingang_stage_seconds`).
        var stageSeconds: [String: Double] = [:]
        var pages = 0
    }

    /// "ocr 61% (2260 ms), prepare 20% (750 ms), …", largest first.
    static func stageShares(_ seconds: [String: Double], pages: Int) -> String {
        let whole = seconds.values.reduce(0, +)
        guard whole > 0 else { return "none recorded" }
        return seconds.sorted { $0.value > $1.value }.map { stage, value in
            String(format: "%@ %.0f%% (%.0f ms)", stage, 100 * value / whole, 1000 * value / Double(max(pages, 1)))
        }.joined(separator: ", ")
    }

    /// The stage sums out of the daemon's metrics (Prometheus text, as metrics.prom holds them).
    static func stageSeconds(fromExposition text: String) -> [String: Double] {
        var seconds: [String: Double] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("posteingang_stage_seconds_sum{stage=\"") {
            let rest = line.dropFirst("posteingang_stage_seconds_sum{stage=\"".count)
            guard let quote = rest.firstIndex(of: "\""), let value = Double(rest[rest.index(after: quote)...].drop { $0 != " " }.dropFirst()) else { continue }
            seconds[String(rest[..<quote])] = value
        }
        return seconds
    }

    /// The largest JPEG or HEIC photo of the set (12 MP ones where the set has them).
    static func largestPhoto(_ files: [URL]) -> URL? {
        files.filter { ["jpg", "jpeg", "heic", "heif"].contains($0.pathExtension.lowercased()) }
            .max { (($0.fileSizeBytes) ?? 0) < (($1.fileSizeBytes) ?? 0) }
    }

    /// Peak resident memory of one worker's work on the largest photo: `posteingang read FILE`
    /// in a child process (decoder child included), measured with getrusage. Target < 300 MB.
    static func printPeakMemory(reading photo: URL) {
        do {
            _ = try ChildProcess(DecoderIsolation.currentExecutable, ["read", photo.path], timeout: nil).run()
        } catch {
            print("peak memory: could not run read (\(error))")
            return
        }
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)  // ru_maxrss: the largest child so far, in KiB
        print(String(format: "peak memory of one worker reading %@ (posteingang read, getrusage): %.0f MB (target < 300 MB)",
                     photo.lastPathComponent, Double(usage.ru_maxrss) / 1024))
    }

    /// Milliseconds to decode each HEIC: ours as the daemon does (isolated child, grey, one
    /// worker's thread share) beside `heif-convert` to Y4M (libheif's own tool), median of 3.
    static func printHEICDecoding(_ files: [URL]) {
        guard !files.isEmpty else { return }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("posteingang-bench-heic-\(getpid())")
        try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let decoder = DocumentDecoder(isolation: DecoderIsolation(workDirectory: work), threads: DocumentDecoder.threadShare(workers: 1))
        let convert = ["/usr/bin/heif-convert", "/usr/local/bin/heif-convert"].first { FileManager.default.isExecutableFile(atPath: $0) }
        func median(_ run: () -> Bool) -> Double? {
            var times: [Double] = []
            for _ in 0..<3 {
                let started = Date()
                guard run() else { return nil }
                times.append(Date().timeIntervalSince(started) * 1000)
            }
            return times.sorted()[1]
        }
        var ours: [Double] = [], theirs: [Double] = []
        for file in files {
            if let ms = median({ (try? decoder.decode(fileAt: file)) != nil }) { ours.append(ms) }
            if let convert, let ms = median({
                (try? ChildProcess(convert, [file.path, work.appendingPathComponent("out.y4m").path], timeout: nil).run().succeeded) == true
            }) { theirs.append(ms) }
        }
        let mean = { (values: [Double]) in values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
        print(String(format: "HEIC decoding, %d files, mean of the medians of 3: ours %.0f ms (isolated, grey, %d thread(s)), ",
                     files.count, mean(ours), DocumentDecoder.threadShare(workers: 1))
            + (convert == nil ? "heif-convert not installed (apt-get install libheif-examples)" : String(format: "heif-convert %.0f ms (to Y4M)", mean(theirs))))
    }

    /// A fresh store for one run: the run's own folder, or an S3 store under a new prefix.
    private static func blobStore(_ value: String, root: URL) async throws -> any BlobStore {
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

    private func measureDaemon(files: [URL], workers: Int, blobs value: String, server: PostgresURL?) async throws -> Run {
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

    private func measureDaemon(
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

    static func uploads(in folder: URL) throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var files: [URL] = []
        for case let url as URL in walker {
            // bad/ is refused on purpose; formats/ holds one page in many encodings (decoder tests).
            if url.pathComponents.contains("bad") || url.pathComponents.contains("formats") || url.pathExtension.lowercased() == "json" { continue }
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            if (try? FileFormat.detect(Data(contentsOf: url, options: .mappedIfSafe)).get()) != nil { files.append(url) }
        }
        return files.sorted { $0.path < $1.path }
    }

    /// Runs `tesseract FILE - -l deu` over the images (`PlainTesseract`, as `eval
    /// --compare-tesseract` does), `parallel` at a time; wall seconds and pages.
    static func plainTesseract(_ images: [URL], parallel: Int) throws -> (Double, Int) {
        let started = Date()
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = parallel
        for image in images {
            queue.addOperation { _ = PlainTesseract.read(image) }
        }
        queue.waitUntilAllOperationsAreFinished()
        let pages = images.map { url -> Int in
            (try? DocumentDecoder().decode(fileAt: url).pages.count) ?? 1
        }.reduce(0, +)
        return (Date().timeIntervalSince(started), pages)
    }
}

private extension URL {
    var fileSizeBytes: Int? { (try? resourceValues(forKeys: [.fileSizeKey]))?.fileSize }
}

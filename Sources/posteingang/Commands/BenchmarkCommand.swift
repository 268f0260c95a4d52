import Akte
import ArgumentParser
import Foundation
import Imaging
import Pipeline

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
}

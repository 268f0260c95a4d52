import Akte
import ArgumentParser
import Foundation

/// `posteingang queue-benchmark --database postgres://…`: what the PostgreSQL work queue costs
/// per job without OCR (enqueue; claim with its lease; filing a small document that ends the job
/// in the same transaction), jobs per second with N workers, and how long a killed worker's
/// upload takes to be filed elsewhere (lease + rescue + claim + filing).
struct QueueBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue-benchmark",
        abstract: "Measure the PostgreSQL work queue: ms per job for enqueue, claim and filing, jobs/s, and the takeover time of a killed worker's upload.",
        discussion: "Writes synthetic documents into the database it is given: use an empty database made for it.")

    @Option(help: "An empty PostgreSQL database for the run: postgres://USER@HOST:PORT/DB.") var database: String
    @Option(help: "Jobs to run through the queue.") var jobs: Int = 10_000
    @Option(help: "Workers claiming at once (threads, each with its own connection).") var workers: Int = 4
    @Option(help: "Lease seconds for the takeover measurement.") var lease: Double = 2

    func validate() throws {
        guard (1...1_000_000).contains(jobs), (1...64).contains(workers), lease > 0 else {
            throw ValidationError("--jobs 1…1000000, --workers 1…64 and --lease > 0 are accepted")
        }
    }

    func run() throws {
        let store: any AkteStore
        do { store = try AkteStores.open(database: database, dataDirectory: URL(fileURLWithPath: ".")) } catch {
            throw ValidationError("\(error)")
        }
        guard let akte = store as? PostgresAkte else { throw ValidationError("--database must name PostgreSQL (postgres://…)") }
        let run = String(UUID().uuidString.prefix(8).lowercased())
        let producer = PostgresWorkQueue(akte: akte, worker: "bench-front")
        let receivedAt = Date()

        var clock = Date()
        for index in 0..<jobs {
            try producer.enqueue(
                uploadID: "bench-\(run)-\(index)", sha256: Self.sha(run, index), filename: "\(index).pdf", channel: "bench",
                sidecarJSON: nil, receivedAt: receivedAt)
        }
        let enqueueSeconds = Date().timeIntervalSince(clock)

        let timings = Timings()
        clock = Date()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let queue = PostgresWorkQueue(akte: akte, worker: "bench-\(worker)")
            while true {
                let claimStart = Date()
                guard let job = (try? queue.claim(limit: 1, holding: 0))?.first else { break }
                let fileStart = Date()
                do {
                    _ = try akte.file(Self.document(for: job))
                } catch {
                    timings.fail("\(error)")
                    break
                }
                timings.add(claim: fileStart.timeIntervalSince(claimStart), file: Date().timeIntervalSince(fileStart))
            }
        }
        let wall = Date().timeIntervalSince(clock)
        if let failure = timings.failure { throw ValidationError("filing failed: \(failure)") }
        let counts = try producer.counts()
        print("queue benchmark on \(akte.location), \(jobs) jobs, \(workers) workers, no OCR")
        print(String(format: "  enqueue      %7.2f ms/job (one transaction each, with NOTIFY)", enqueueSeconds / Double(jobs) * 1000))
        print(String(format: "  claim+lease  %7.2f ms/job (p50 %.2f, p95 %.2f)", timings.meanClaim * 1000, timings.claimPercentile(0.5) * 1000, timings.claimPercentile(0.95) * 1000))
        print(String(format: "  file+done    %7.2f ms/job (document, pages, fields, receipt, 3 audit entries, job ended; same transaction)", timings.meanFile * 1000))
        print(String(format: "  throughput   %7.1f jobs/s (%d workers, wall %.1f s); done: %d, left: %d", Double(timings.count) / wall, workers, wall, counts["done"] ?? 0, (counts["available"] ?? 0) + (counts["running"] ?? 0)))

        // A worker claims and dies (no heartbeat, no filing); another rescues, claims and files it.
        let victim = PostgresWorkQueue(akte: akte, worker: "bench-victim", lease: lease)
        let rescuer = PostgresWorkQueue(akte: akte, worker: "bench-rescuer", lease: lease)
        let takeover = "bench-\(run)-takeover"
        try producer.enqueue(uploadID: takeover, sha256: Self.sha(run, -1), filename: "t.pdf", channel: "bench", sidecarJSON: nil, receivedAt: receivedAt)
        guard let held = try victim.claim(limit: 1, holding: 0).first, held.uploadID == takeover else {
            throw ValidationError("the takeover job was not claimed first; use an empty database")
        }
        let killedAt = Date()
        var filedAt: Date?
        while filedAt == nil, Date().timeIntervalSince(killedAt) < lease + 30 {
            try rescuer.rescueExpiredLeases()
            if let job = try rescuer.claim(limit: 1, holding: 0).first {
                _ = try akte.file(Self.document(for: job))
                filedAt = Date()
            } else {
                _ = try rescuer.waitForWork(timeout: 0.25)
            }
        }
        guard let filedAt else { throw ValidationError("the killed worker's upload was not taken over within \(lease + 30) s") }
        print(String(format: "  takeover     %7.2f s from the kill to filed elsewhere (lease %.1f s; rescuer polls every 0.25 s)", filedAt.timeIntervalSince(killedAt), lease))
    }

    static func sha(_ run: String, _ index: Int) -> String {
        let text = "\(run)-\(index)"
        var hex = ""
        for byte in text.utf8 { hex += String(format: "%02x", byte) }
        return String((hex + String(repeating: "0", count: 64)).prefix(64))
    }

    static func document(for job: UploadJob) -> NewDocument {
        NewDocument(
            uploadID: job.uploadID, sha256: job.sha256, originalFilename: job.filename, channel: job.channel,
            receivedAt: job.receivedAt, documentClass: "sonstiges", classConfidence: 0.5, status: .needsReview, caseID: nil,
            pageCount: 1, pageTexts: ["Benchmark \(job.uploadID)"], fields: [NewField(key: "betrag", value: "1.00")],
            text: "Benchmark \(job.uploadID)", reviewReasons: ["benchmark"], sensitive: false, archivePDFSha256: nil,
            format: "pdf", detailsJSON: "{}", actor: "bench")
    }
}

private final class Timings: @unchecked Sendable {
    private let lock = NSLock()
    private var claims: [Double] = []
    private var files: [Double] = []
    private(set) var failure: String?

    func add(claim: Double, file: Double) { lock.withLock { claims.append(claim); files.append(file) } }
    func fail(_ message: String) { lock.withLock { failure = failure ?? message } }
    var count: Int { lock.withLock { claims.count } }
    var meanClaim: Double { lock.withLock { claims.reduce(0, +) / Double(max(1, claims.count)) } }
    var meanFile: Double { lock.withLock { files.reduce(0, +) / Double(max(1, files.count)) } }
    func claimPercentile(_ p: Double) -> Double {
        lock.withLock {
            let sorted = claims.sorted()
            return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
    }
}

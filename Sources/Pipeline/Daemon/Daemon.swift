import Akte
import Classification
import Foundation
import Imaging
import OCR
import SpoolFiles
import Synchronization

/// Settings of the worker daemon.
public struct DaemonOptions: Sendable {
    public var workers: Int
    /// Seconds a file must stay unchanged before it is taken (unless renamed into place).
    public var settleDelay: Double
    /// Seconds between full rescans of the inbox (inotify can lose events).
    public var rescanInterval: Double
    /// Attempts before an upload that keeps failing goes to quarantine.
    public var maxTries: Int
    /// Seconds between checks whether pipeline.yml changed.
    public var configPollInterval: Double
    public var limits: DecodeLimits
    /// Decode each upload in a child process with resource limits (the default): a crash in a
    /// C decoder then costs that upload, not the daemon. See `DecoderIsolation`.
    public var isolateDecoding: Bool
    /// Seconds OCR may take for one page before Tesseract's monitor stops it.
    public var ocrPageDeadline: Double
    /// Uploads whose sidecar may name the household (`case`): channels the operator trusts
    /// (e.g. the caseworkers' own scanner). From any other channel the sidecar's case is only
    /// used when the document's own text names the same household.
    public var trustedChannels: Set<String>
    /// On the shared queue (PostgreSQL): seconds a claim holds before a heartbeat must renew it;
    /// a killed worker's upload is taken over elsewhere after about this long.
    public var lease: Double = 30
    /// On the shared queue: seconds between looks at the queue when no notification came.
    public var pollInterval: Double = 2

    public init(
        workers: Int, settleDelay: Double = 2, rescanInterval: Double = 10, maxTries: Int = 3,
        configPollInterval: Double = 2, limits: DecodeLimits = .standard, isolateDecoding: Bool = true,
        ocrPageDeadline: Double = 120, trustedChannels: Set<String> = []
    ) {
        self.isolateDecoding = isolateDecoding
        self.ocrPageDeadline = ocrPageDeadline
        self.trustedChannels = trustedChannels
        self.workers = workers
        self.settleDelay = settleDelay
        self.rescanInterval = rescanInterval
        self.maxTries = maxTries
        self.configPollInterval = configPollInterval
        self.limits = limits
    }
}

/// The worker daemon: watches the spool, reads every upload, files it in the E-Akte exactly
/// once, and quarantines what cannot be read. See docs/ARCHITECTURE.md for the guarantees.
public final class Daemon: Sendable {
    public let directory: DataDirectory
    public let options: DaemonOptions
    public let configuration: ConfigurationHolder
    public let akte: any AkteStore
    public let blobs: any BlobStore
    public let metrics: DaemonMetrics
    let log: EventLog
    let spool: Spool
    let scheduler: UploadScheduler
    /// Set when the daemon works on the shared PostgreSQL queue instead of its own spool.
    let dispatcher: JobDispatcher?
    private let stopRequested = Atomic<Bool>(false)

    /// `blobs`: where originals and archive PDFs go; nil for the folder `DATA_DIR/blobs`.
    /// `queue`: the shared work queue to take uploads from (the local inbox then feeds it); nil
    /// for the embedded default, the spool alone.
    public init(
        directory: DataDirectory, options: DaemonOptions, configuration: ConfigurationHolder, akte: any AkteStore, log: EventLog,
        blobs: (any BlobStore)? = nil, queue: PostgresWorkQueue? = nil
    ) throws {
        try directory.create()
        self.directory = directory
        self.options = options
        self.configuration = configuration
        self.akte = akte
        self.blobs = blobs ?? FolderBlobStore(root: directory.blobs)
        self.log = log
        self.spool = Spool(directory: directory)
        self.scheduler = UploadScheduler(spool: spool, settleDelay: options.settleDelay)
        let metrics = DaemonMetrics()
        self.metrics = metrics
        self.dispatcher = queue.map { queue in
            JobDispatcher(queue: queue, pollInterval: options.pollInterval, log: log) { uploadID in
                Self.recordSetAside(uploadID, queue: queue, akte: akte, metrics: metrics, log: log)
            }
        }
    }

    /// Whether the daemon works on the shared queue (PostgreSQL) rather than its own spool.
    public var usesSharedQueue: Bool { dispatcher != nil }

    /// Runs until `requestStop()`: then finishes the uploads in hand, takes no new ones, returns.
    /// The workers take uploads from the local spool, or on PostgreSQL from the shared queue
    /// (`runOnQueue`); start-up and shut-down are the same for both.
    public func run() async throws {
        let pool = try EnginePool(size: options.workers, language: "deu", pageDeadline: options.ocrPageDeadline)
        defer { pool.shutdown() }
        spool.removeStaleWork()
        blobs.removeStaleTemporaries()
        let (watcher, forwarder) = await watchInbox()
        var started: [String: JSONValue] = [
            "data_dir": .string(directory.root.path), "workers": .number(Double(options.workers)),
            "config": .string(configuration.url.path), "isolated_decoding": .bool(options.isolateDecoding),
        ]
        if let dispatcher {
            started["queue"] = .string(dispatcher.queue.worker)
            started["lease_s"] = .number(dispatcher.queue.lease)
            started["blobs"] = .string(blobs.location)
        }
        log.log("started", started)
        if let dispatcher {
            await runOnQueue(dispatcher, pool: pool)
        } else {
            await runOnSpool(pool: pool)
        }
        watcher?.stop()
        forwarder?.cancel()
        metrics.write(to: directory.metrics)
        try? FileManager.default.removeItem(at: directory.processScratch)
        log.log("stopped", ["filed": .number(Double(metrics.count(outcome: "filed")))])
    }

    /// The workers on the local spool, until the scheduler stops and their uploads in hand are done.
    private func runOnSpool(pool: EnginePool) async {
        let keeper = Task { await self.housekeeping() }
        defer { keeper.cancel() }
        if stopRequested.load(ordering: .acquiring) { await scheduler.stop() }
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<options.workers {
                group.addTask { await self.work(worker: index + 1, pool: pool) }
            }
        }
    }

    /// Recovers what a dead process left in processing/, looks at the whole inbox, and watches it.
    func watchInbox() async -> (InboxWatcher?, Task<Void, Never>?) {
        let leftovers = spool.leftovers()
        if !leftovers.isEmpty {
            log.log("recovering", ["uploads": .number(Double(leftovers.count))])
        }
        await scheduler.recover(leftovers)
        await scheduler.rescan()
        var watcher: InboxWatcher?
        do {
            watcher = try InboxWatcher(folder: directory.inbox)
        } catch {
            log.log("inotify_unavailable", level: "warning", ["reason": .string("\(error)"), "fallback": "rescans only"])
        }
        let forwarder = watcher.map { watcher in
            Task { [scheduler] in
                for await event in watcher.events {
                    if event.name.isEmpty {
                        await scheduler.rescan()  // inotify overflowed: look at everything
                    } else {
                        await scheduler.noticed(event.name, completed: event.completed)
                    }
                }
            }
        }
        return (watcher, forwarder)
    }

    var isStopping: Bool { stopRequested.load(ordering: .acquiring) }

    /// Asks the daemon to stop after the uploads in hand (SIGTERM).
    public func requestStop() {
        guard !stopRequested.exchange(true, ordering: .acquiringAndReleasing) else { return }
        log.log("stopping", ["reason": "signal"])
        dispatcher?.stop()
        Task { await scheduler.stop() }
    }

    /// Reloads pipeline.yml now (SIGHUP) or when it changed (`force == false`).
    public func reloadConfiguration(force: Bool) {
        switch configuration.reload(force: force) {
        case .none:
            break
        case .success:
            metrics.configReload(succeeded: true)
            log.log("config_reloaded", ["config": .string(configuration.url.path)])
        case .failure(let error):
            metrics.configReload(succeeded: false)
            log.log("config_refused", level: "error", ["reason": .string("\(error)"), "kept": "previous configuration"])
        }
    }

    func housekeeping() async {
        var sinceRescan = 0.0
        let tick = min(options.configPollInterval, options.rescanInterval, 1)
        while !Task.isCancelled && !stopRequested.load(ordering: .acquiring) {
            try? await Task.sleep(nanoseconds: UInt64(tick * 1_000_000_000))
            sinceRescan += tick
            if sinceRescan >= options.rescanInterval {
                sinceRescan = 0
                await scheduler.rescan()
                // Uploads a crashed daemon on the same folder left behind (unlocked now).
                let orphans = spool.leftovers()
                if !orphans.isEmpty {
                    log.log("recovering", ["uploads": .number(Double(orphans.count))])
                    await scheduler.recover(orphans)
                }
            }
            reloadConfiguration(force: false)
            metrics.setQueueDepth(await scheduler.queueDepth)
            metrics.write(to: directory.metrics)
        }
    }

    private func work(worker: Int, pool: EnginePool) async {
        while let upload = await scheduler.next() {
            metrics.adjustInProgress(by: 1)
            await handle(upload, worker: worker, pool: pool)
            await scheduler.finished(upload.uploadID)
            metrics.adjustInProgress(by: -1)
        }
    }
}

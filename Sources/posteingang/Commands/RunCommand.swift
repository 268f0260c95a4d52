import Akte
import ArgumentParser
import Classification
import Foundation
import Pipeline
import Server

/// `posteingang run`: the worker daemon.
struct RunCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch the upload spool and file every document in the E-Akte (the daemon).",
        discussion: """
            Drop files into DATA/spool/inbox (write NAME.part, then rename to NAME; an optional NAME.json \
            sidecar carries case, channel, submitter, upload_id). SIGTERM/SIGINT: finish the documents in \
            hand and exit 0. SIGHUP or a change of the config file: reload it (a broken one is refused and \
            the running configuration stays). Counters are written to DATA/metrics.prom. With --database \
            postgres://… the daemon works on the shared work queue: it claims uploads any front end or any \
            host's spool put there, reads them from the blob store (--blobs), and holds a lease (--lease) \
            that is taken over elsewhere when it dies; its own inbox feeds the queue.
            """)

    @OptionGroup var daemonOptions: DaemonRunOptions

    @Option(help: "Serve the counters at http://127.0.0.1:PORT/metrics for Prometheus (each process of a cluster its own).")
    var metricsPort: Int?

    func validate() throws {
        try daemonOptions.pipeline.requireWorkers()
        if let metricsPort, !(1...65535).contains(metricsPort) { throw ValidationError("--metrics-port must be between 1 and 65535") }
    }

    func execute() async throws {
        // Signals first: a SIGTERM during start-up must stop the daemon, not kill it mid-write.
        // Also with --metrics-port: the daemon stops, its service ends, and the HTTP endpoint with it.
        let control = DaemonControl()
        let signals = DaemonSignals.install(control: control)
        defer { signals.forEach { $0.cancel() } }
        try await daemonOptions.store.withBlobs { blobs in
            let (daemon, _) = try daemonOptions.makeDaemon(blobs: blobs)
            control.attach(daemon)
            if let metricsPort {
                try await MetricsEndpoint.application(
                    exposition: { daemon.metrics.exposition() }, host: "127.0.0.1", port: metricsPort,
                    services: [DaemonService(daemon: daemon)]
                ).runService()
            } else {
                try await daemon.run()
            }
        }
    }
}

/// The daemon's options, shared by `run` and `serve`.
struct DaemonRunOptions: ParsableArguments {
    @OptionGroup var store: StoreOptions
    @OptionGroup var pipeline: PipelineOptions
    @Option(help: "Seconds a file must stay unchanged before it is taken (files renamed into place are taken at once).")
    var settleDelay: Double = 2
    @Option(help: "Seconds between full rescans of the inbox.") var rescanInterval: Double = 10
    @Option(help: "Attempts before an upload that keeps failing goes to quarantine.") var maxTries: Int = 3
    @Flag(help: "Log only warnings and errors.") var quiet = false
    @OptionGroup var limitOptions: LimitOptions
    @Flag(help: "Decode in the daemon's own process (faster by a few ms per upload, but a crash in a C decoder stops the daemon).")
    var inProcessDecoding = false
    @Option(help: "A channel whose sidecars may name the household (repeatable); other channels' sidecar case needs the text to agree.")
    var trustedChannel: [String] = []
    @Option(help: "On PostgreSQL: seconds a claimed upload's lease holds; a heartbeat renews it every third, and a killed worker's upload is taken over elsewhere after it runs out.")
    var lease: Double = 30
    @Option(help: "On PostgreSQL: seconds between looks at the queue when no notification came (LISTEN/NOTIFY wakes idle workers at once).")
    var pollInterval: Double = 2

    func validate() throws {
        guard settleDelay >= 0, rescanInterval > 0 else { throw ValidationError("--settle-delay must be ≥ 0 and --rescan-interval > 0") }
        guard (1...100).contains(maxTries) else { throw ValidationError("--max-tries must be between 1 and 100") }
        guard (1...3600).contains(lease) else { throw ValidationError("--lease must be between 1 and 3600 seconds") }
        guard pollInterval >= 0.1, pollInterval <= 60 else { throw ValidationError("--poll-interval must be between 0.1 and 60 seconds") }
    }

    /// Opens the E-Akte (importing --cases first), loads the configuration and makes the daemon.
    func makeDaemon(blobs: any BlobStore) throws -> (Daemon, any AkteStore) {
        var options = DaemonOptions(
            workers: pipeline.workerCount, settleDelay: settleDelay, rescanInterval: rescanInterval, maxTries: maxTries,
            limits: limitOptions.limits, isolateDecoding: !inProcessDecoding, ocrPageDeadline: limitOptions.ocrTimeout,
            trustedChannels: Set(trustedChannel))
        options.lease = lease
        options.pollInterval = pollInterval
        do {
            return try Daemon.open(
                directory: store.directory, database: store.database, configurationURL: URL(fileURLWithPath: pipeline.config),
                casesCSV: pipeline.cases, options: options, log: EventLog(quiet: quiet), blobs: blobs)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

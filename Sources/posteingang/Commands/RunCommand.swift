import Akte
import ArgumentParser
import Classification
import Foundation
import Pipeline

/// `posteingang run`: the worker daemon.
struct RunCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch the upload spool and file every document in the E-Akte (the daemon).",
        discussion: """
            Drop files into DATA/spool/inbox (write NAME.part, then rename to NAME; an optional NAME.json \
            sidecar carries case, channel, submitter, upload_id). SIGTERM/SIGINT: finish the documents in \
            hand and exit 0. SIGHUP or a change of the config file: reload it (a broken one is refused and \
            the running configuration stays). Counters are written to DATA/metrics.prom.
            """)

    @OptionGroup var daemonOptions: DaemonRunOptions

    func execute() async throws {
        // Signals first: a SIGTERM during start-up must stop the daemon, not kill it mid-write.
        let control = DaemonControl()
        let signals = DaemonSignals.install(control: control)
        defer { signals.forEach { $0.cancel() } }
        try await daemonOptions.store.withBlobs { blobs in
            let (daemon, _) = try daemonOptions.makeDaemon(blobs: blobs)
            control.attach(daemon)
            try await daemon.run()
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

    func validate() throws {
        guard settleDelay >= 0, rescanInterval > 0 else { throw ValidationError("--settle-delay must be ≥ 0 and --rescan-interval > 0") }
        guard (1...100).contains(maxTries) else { throw ValidationError("--max-tries must be between 1 and 100") }
    }

    /// Opens the E-Akte (importing --cases first), loads the configuration and makes the daemon.
    func makeDaemon(blobs: any BlobStore) throws -> (Daemon, any AkteStore) {
        let options = DaemonOptions(
            workers: pipeline.workerCount, settleDelay: settleDelay, rescanInterval: rescanInterval, maxTries: maxTries,
            limits: limitOptions.limits, isolateDecoding: !inProcessDecoding, ocrPageDeadline: limitOptions.ocrTimeout,
            trustedChannels: Set(trustedChannel))
        do {
            return try Daemon.open(
                directory: store.directory, database: store.database, configurationURL: URL(fileURLWithPath: pipeline.config),
                casesCSV: pipeline.cases, options: options, log: EventLog(quiet: quiet), blobs: blobs)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

import Akte
import ArgumentParser
import Classification
import Dispatch
import Foundation
import Pipeline
import Synchronization

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
        let signals = SignalHandlers.install(control: control)
        defer { signals.forEach { $0.cancel() } }
        let (daemon, _) = try daemonOptions.makeDaemon()
        control.attach(daemon)
        try await daemon.run()
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
    func makeDaemon() throws -> (Daemon, SQLiteAkte) {
        DataDirectory.restrictNewFiles()
        let akte = try store.openStore(create: true)
        let log = EventLog(quiet: quiet)
        if let csv = pipeline.cases {
            let report = try CasesImportCommand.importRegister(csv: csv, into: akte)
            log.log("cases_imported", ["added": .number(Double(report.added)), "changed": .number(Double(report.changed)), "rejected": .number(Double(report.rejected.count))])
        }
        let register = try RegisterBridge.register(from: akte)
        let holder: ConfigurationHolder
        do {
            holder = try ConfigurationHolder(url: URL(fileURLWithPath: pipeline.config), register: register)
        } catch {
            throw ValidationError("\(error)")
        }
        let daemon = try Daemon(
            directory: store.directory,
            options: DaemonOptions(
                workers: pipeline.workerCount, settleDelay: settleDelay, rescanInterval: rescanInterval, maxTries: maxTries,
                limits: limitOptions.limits, isolateDecoding: !inProcessDecoding, ocrPageDeadline: limitOptions.ocrTimeout,
                trustedChannels: Set(trustedChannel)),
            configuration: holder, akte: akte, log: log)
        return (daemon, akte)
    }
}

/// SIGTERM and SIGINT stop the daemon gracefully; SIGHUP reloads the configuration.
/// Made in a nonisolated function: handlers created in top-level code would be main-actor
/// closures, which trap when Dispatch calls them.
enum SignalHandlers {
    static func install(control: DaemonControl) -> [DispatchSourceSignal] {
        installSignals([(SIGTERM, 0), (SIGINT, 0), (SIGHUP, 1)], control: control)
    }

    /// Only SIGHUP (reload): for `serve`, where the service group handles SIGTERM and SIGINT.
    static func installReload(control: DaemonControl) -> [DispatchSourceSignal] {
        installSignals([(SIGHUP, 1)], control: control)
    }

    private static func installSignals(_ table: [(Int32, Int)], control: DaemonControl) -> [DispatchSourceSignal] {
        var sources: [DispatchSourceSignal] = []
        for (number, action) in table {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            if action == 0 {
                source.setEventHandler { control.stop() }
            } else {
                source.setEventHandler { control.reload() }
            }
            source.resume()
            sources.append(source)
        }
        return sources
    }
}

/// Passes signals to the daemon once it exists; a stop asked for before that is kept and
/// applied when the daemon is attached.
final class DaemonControl: Sendable {
    private struct State {
        var daemon: Daemon?
        var stopRequested = false
    }
    private let state = Mutex(State())

    func attach(_ daemon: Daemon) {
        let stop = state.withLock { state -> Bool in
            state.daemon = daemon
            return state.stopRequested
        }
        if stop { daemon.requestStop() }
    }

    func stop() {
        let daemon = state.withLock { state -> Daemon? in
            state.stopRequested = true
            return state.daemon
        }
        daemon?.requestStop()
    }

    func reload() {
        state.withLock { $0.daemon }?.reloadConfiguration(force: true)
    }
}

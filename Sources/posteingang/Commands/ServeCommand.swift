import Akte
import ArgumentParser
import Foundation
import Pipeline
import Server

/// `posteingang serve`: the HTTP server (upload API and caseworkers' pages) and the filing
/// daemon in one process.
struct ServeCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the upload API and the caseworkers' pages over HTTP, and run the daemon beside them.",
        discussion: """
            Uploads accepted over HTTP are written to DATA/spool/inbox (fsync'd before the answer); the \
            daemon in the same process files them. SIGTERM/SIGINT: stop accepting, finish the documents in \
            hand, exit 0. SIGHUP: reload the configuration. With --database postgres://… the server is a \
            stateless front end: uploads go into the blob store (--blobs) and the shared work queue, and any \
            `run` on any host files them; --workers 0 runs no daemon beside it.
            """)

    @OptionGroup var daemonOptions: DaemonRunOptions
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port, printed at start).") var port: Int = 8080
    @Option(help: "Largest upload accepted over HTTP, in MiB (all page files of one request together); larger → 413.")
    var maxUploadMib: Double = 50
    @Option(help: "Most page files in one multipart upload.") var maxUploadFiles: Int = 30
    @Flag(help: "Serve HTTP only; another process runs the daemon on the same data directory (as --workers 0).")
    var noDaemon = false
    @Flag(help: "Mark the caseworkers' session cookies Secure (when a TLS proxy sits in front).")
    var secureCookies = false
    @Option(
        name: .customLong("trusted-proxy"),
        help: "Address of a reverse proxy whose X-Forwarded-For names the client (repeatable); login throttling then counts per client, not per proxy.")
    var trustedProxies: [String] = []
    @Option(help: "Seconds a connection may take to send a whole request head (after opening, or after the previous answer); slower ones are closed.")
    var headerTimeout: Double = 10
    @Option(help: "Seconds a connection may stay open without a request in progress.")
    var idleTimeout: Double = 60

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard maxUploadMib > 0, maxUploadMib <= 4096 else { throw ValidationError("--max-upload-mib must be between 0 and 4096") }
        guard (1...500).contains(maxUploadFiles) else { throw ValidationError("--max-upload-files must be between 1 and 500") }
        guard headerTimeout > 0, headerTimeout <= 3600 else { throw ValidationError("--header-timeout must be between 0 and 3600 seconds") }
        guard idleTimeout > 0, idleTimeout <= 86_400 else { throw ValidationError("--idle-timeout must be between 0 and 86400 seconds") }
    }

    func execute() async throws {
        let control = DaemonControl()
        let signals = DaemonSignals.installReload(control: control)
        defer { signals.forEach { $0.cancel() } }
        try await daemonOptions.store.withBlobs { blobs in try await serve(blobs: blobs, control: control) }
    }

    private func serve(blobs: any BlobStore, control: DaemonControl) async throws {
        let (daemon, akte) = try daemonOptions.makeDaemon(blobs: blobs)
        control.attach(daemon)
        var environment = ServerEnvironment(directory: daemonOptions.store.directory, akte: akte, blobs: blobs)
        environment.configuration = { [holder = daemon.configuration] in holder.analyzer.configuration }
        environment.secureCookies = secureCookies
        environment.trustedProxies = Set(trustedProxies)
        if daemon.usesSharedQueue, let postgres = akte as? PostgresAkte {
            environment.queue = PostgresWorkQueue(akte: postgres, worker: PostgresWorkQueue.defaultWorkerName + ":front")
            environment.queueMaxAttempts = daemonOptions.maxTries
        }
        let runsDaemon = !noDaemon && daemonOptions.pipeline.workers != 0
        let app = PosteingangServer.application(
            environment: environment, options: ServerOptions(
                host: host, port: port,
                uploads: UploadAPIOptions(maxUploadBytes: Int(maxUploadMib * 1_048_576), maxFiles: maxUploadFiles),
                headerTimeout: .milliseconds(Int64(headerTimeout * 1000)), idleTimeout: .milliseconds(Int64(idleTimeout * 1000))),
            services: runsDaemon ? [DaemonService(daemon: daemon)] : [])
        try await app.runService()
    }
}

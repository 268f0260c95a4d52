import Pipeline
import ServiceLifecycle

/// Runs the filing daemon as a service beside the HTTP server in one process: a graceful shutdown
/// (SIGTERM/SIGINT) lets it finish the documents in hand.
public struct DaemonService: Service {
    public let daemon: Daemon

    public init(daemon: Daemon) {
        self.daemon = daemon
    }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await daemon.run()
        } onGracefulShutdown: {
            daemon.requestStop()
        }
    }
}

import Hummingbird
import Logging
import NIOCore
import Pipeline

/// `GET /metrics` of a worker process (`run --metrics-port`): its counters in Prometheus' text
/// format, so that every process of a cluster can be scraped, not only the file
/// `DATA_DIR/metrics.prom` of one host. The daemon runs as a service beside it.
public enum MetricsEndpoint {
    public static func application(daemon: Daemon, host: String, port: Int) -> some ApplicationProtocol {
        let router = Router()
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: daemon.metrics.exposition())))
        }
        var logger = Logger(label: "posteingang.metrics")
        logger.logLevel = .warning
        var app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "posteingang"), logger: logger)
        app.addServices(DaemonService(daemon: daemon))
        return app
    }
}

import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `GET /metrics` of a worker process (`run --metrics-port`): its counters in Prometheus' text
/// format, so that every process of a cluster can be scraped, not only the file
/// `DATA_DIR/metrics.prom` of one host. `services` (the daemon) run beside it.
public enum MetricsEndpoint {
    public static func application(
        exposition: @escaping @Sendable () -> String, host: String, port: Int, services: [any Service]
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: exposition())))
        }
        var logger = Logger(label: "posteingang.metrics")
        logger.logLevel = .warning
        var app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "posteingang"), logger: logger)
        app.addServices(services)
        return app
    }
}

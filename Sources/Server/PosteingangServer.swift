import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

public struct ServerOptions: Sendable {
    public var host: String
    public var port: Int
    public var uploads: UploadAPIOptions
    /// A connection must deliver a whole request head within this time after it opens or after
    /// the previous answer; else it is closed (slowloris).
    public var headerTimeout: Duration
    /// A connection without a request in progress is closed after this time.
    public var idleTimeout: Duration

    public init(
        host: String = "127.0.0.1", port: Int = 8080, uploads: UploadAPIOptions = UploadAPIOptions(),
        headerTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(60)
    ) {
        self.host = host
        self.port = port
        self.uploads = uploads
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
    }
}

/// Builds the one HTTP application that serves both the upload API and the caseworkers' pages.
public enum PosteingangServer {
    public static func router(
        environment: ServerEnvironment, uploads: UploadAPIOptions = UploadAPIOptions()
    ) -> Router<ServerRequestContext> {
        let router = Router(context: ServerRequestContext.self)
        UploadAPI(environment: environment, options: uploads).register(on: router)
        RequestsAPI(environment: environment).register(on: router)
        CaseworkerWeb(environment: environment).register(on: router)
        return router
    }

    public static func application(
        environment: ServerEnvironment, options: ServerOptions, services: [any Service] = []
    ) -> some ApplicationProtocol {
        var logger = Logger(label: "posteingang.http")
        logger.logLevel = .warning
        let headerTimeout = TimeAmount(options.headerTimeout)
        var app = Application(
            responder: AnswerGuard(inner: router(environment: environment, uploads: options.uploads).buildResponder()),
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [RequestHeadTimeout(timeout: headerTimeout)],
                    idleTimeout: TimeAmount(options.idleTimeout))),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "posteingang"),
            logger: logger)
        app.addServices(services)
        return app
    }
}

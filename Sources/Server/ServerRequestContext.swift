import Hummingbird

/// The request context of every route: who is asking, once a middleware has found out.
/// `apiClient` is set by the upload API's token middleware, `caseworker` by the web pages' session
/// middleware; a route that needs one and finds nil answers 401 (API) or redirects to the login (web).
public struct ServerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var apiClient: APIClientIdentity?
    public var caseworker: CaseworkerIdentity?
    /// The peer's IP address (of the connection: behind a reverse proxy, the proxy's).
    public var clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }
}

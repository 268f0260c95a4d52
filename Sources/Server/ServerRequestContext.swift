import Foundation
import HTTPTypes
import Hummingbird

/// The request context of every route: who is asking, once a middleware has found out.
/// `apiClient` is set by the upload API's token middleware, `caseworker` by the web pages' session
/// middleware; a route that needs one and finds nil answers 401 (API) or redirects to the login (web).
public struct ServerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var apiClient: APIClientIdentity?
    public var caseworker: CaseworkerIdentity?
    /// The peer's IP address (of the connection: behind a reverse proxy, the proxy's; see
    /// `clientAddress(of:trustedProxies:)`).
    public var clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The client's address: the peer's, or, when the peer is a trusted reverse proxy, the last
    /// address its `X-Forwarded-For` names (the one that proxy saw; earlier ones the client wrote).
    public func clientAddress(of request: Request, trustedProxies: Set<String>) -> String? {
        guard let peer = clientAddress, trustedProxies.contains(peer),
            let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!],
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty,
            last.count <= 45, last.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" })
        else { return clientAddress }
        return last
    }
}

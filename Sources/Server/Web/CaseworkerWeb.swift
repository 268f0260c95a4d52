import Hummingbird

/// The caseworkers' server-rendered pages (issue 5). Routes are added in `register`.
public struct CaseworkerWeb: Sendable {
    public let environment: ServerEnvironment

    public init(environment: ServerEnvironment) {
        self.environment = environment
    }

    public func register(on router: Router<ServerRequestContext>) {
    }
}

import Hummingbird

/// The versioned upload API under /api/v1 (issue 5). Routes are added in `register`.
public struct UploadAPI: Sendable {
    public let environment: ServerEnvironment

    public init(environment: ServerEnvironment) {
        self.environment = environment
    }

    public func register(on router: Router<ServerRequestContext>) {
        router.get("/api/v1/health") { _, _ in "ok" }
    }
}

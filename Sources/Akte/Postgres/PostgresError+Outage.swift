import Foundation

extension AkteError {
    /// Whether `error` says the database is away for now (restarting, unreachable, the
    /// connection cut), not that the work was wrong: a worker hands its job back uncounted.
    public static func isDatabaseOutage(_ error: any Error) -> Bool {
        if let error = error as? PostgresError {
            // 08…: connection exceptions; 57P01–57P03: shut down by the administrator, crash, starting up.
            return error.connectionLost || (error.sqlState.map { $0.hasPrefix("08") || $0.hasPrefix("57P") } ?? false)
        }
        if case .databaseUnreachable = error as? AkteError { return true }
        return false
    }
}

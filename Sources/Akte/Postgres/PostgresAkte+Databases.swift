import Foundation

extension PostgresAkte {
    /// Makes a new, empty database `name` on the server `server` names (the account needs
    /// CREATEDB) and returns its URL: for a benchmark that must not find earlier runs' documents.
    /// `name` is letters, digits and `_` only (it cannot be a bound parameter).
    public static func makeDatabase(_ name: String, onServerOf server: PostgresURL) throws -> PostgresURL {
        guard !name.isEmpty, name.count <= 63, name.utf8.allSatisfy({ (48...57).contains($0) || (97...122).contains($0) || $0 == 95 }) else {
            throw AkteError.invalidInput("'\(name)' cannot name a database here (lowercase letters, digits and '_', at most 63)")
        }
        let connection = try PostgresConnection(url: server, password: try PostgresURL.password())
        try connection.query("CREATE DATABASE \(name)")
        guard var components = URLComponents(string: server.url) else { throw AkteError.invalidInput("database URL '\(server)' is not a URL") }
        components.path = "/" + name
        return try PostgresURL(components.string ?? server.url)
    }
}

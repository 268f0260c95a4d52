import Foundation

/// A PostgreSQL connection URL as libpq reads it: `postgres://USER@HOST:PORT/DATABASE`, with
/// libpq's query parameters (`?host=/run/postgresql` for a unix socket, `sslmode=require`).
///
/// A password in the URL is refused: the URL is an argument or an environment variable that
/// `ps` or a log may show. The password comes from `PGPASSWORD`, from the file that
/// `POSTEINGANG_DATABASE_PASSWORD_FILE` names, or from libpq's `~/.pgpass`.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    /// The environment variable that names a file holding the database password.
    public static let passwordFileVariable = "POSTEINGANG_DATABASE_PASSWORD_FILE"

    public let url: String

    public init(_ url: String) throws {
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"),
            let components = URLComponents(string: url)
        else {
            throw AkteError.invalidInput(
                "database URL '\(url)' is not accepted: use postgres://USER@HOST:PORT/DATABASE")
        }
        guard components.password == nil else {
            throw AkteError.invalidInput(
                "the database URL carries a password, which `ps` and logs would show: take it out and set PGPASSWORD or \(Self.passwordFileVariable)=FILE instead")
        }
        guard !(components.path.isEmpty || components.path == "/") else {
            throw AkteError.invalidInput(
                "database URL '\(url)' names no database: use postgres://USER@HOST:PORT/DATABASE")
        }
        self.url = url
    }

    public var description: String { url }

    /// The password from the file `POSTEINGANG_DATABASE_PASSWORD_FILE` names (trailing newline
    /// dropped), or nil when the variable is not set (libpq then reads `PGPASSWORD` or `~/.pgpass`).
    public static func password(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        guard let path = environment[passwordFileVariable], !path.isEmpty else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AkteError.invalidInput("\(passwordFileVariable) names '\(path)', which cannot be read")
        }
        var text = String(decoding: data, as: UTF8.self)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        return text
    }
}

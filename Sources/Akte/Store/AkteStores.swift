import Foundation

/// Opens the E-Akte on the backend a database setting names. The one place that picks it.
public enum AkteStores {
    /// The environment variable that names the database when `--database` is not given.
    public static let databaseEnvironmentVariable = "POSTEINGANG_DATABASE_URL"

    /// Where the E-Akte lives.
    public enum Location: Sendable, Equatable, CustomStringConvertible {
        /// One SQLite file (the embedded default: `DATA_DIR/akte.sqlite`).
        case sqlite(path: String)
        /// A PostgreSQL database.
        case postgres(PostgresURL)

        public var description: String {
            switch self {
            case .sqlite(let path): return path
            case .postgres(let url): return url.description
            }
        }
    }

    /// The location `database` names: nil or empty for `DATA_DIR/akte.sqlite`, `postgres://…` or
    /// `postgresql://…` for PostgreSQL, `sqlite:PATH` or a plain path for another SQLite file.
    public static func location(database: String?, dataDirectory: URL) throws -> Location {
        guard let database = database?.trimmingCharacters(in: .whitespaces), !database.isEmpty else {
            return .sqlite(path: AkteDataDirectory(dataDirectory).databasePath)
        }
        if database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") {
            return .postgres(try PostgresURL(database))
        }
        if database.hasPrefix("sqlite:") { return .sqlite(path: String(database.dropFirst("sqlite:".count))) }
        if database.contains("://") {
            throw AkteError.invalidInput(
                "database '\(database)' is not accepted: use postgres://USER@HOST:PORT/DATABASE, sqlite:PATH, or leave it out for DATA_DIR/akte.sqlite")
        }
        return .sqlite(path: database)
    }

    /// The database named by `--database`, else by `POSTEINGANG_DATABASE_URL`, else nil (SQLite).
    public static func configuredDatabase(
        _ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        if let option, !option.isEmpty { return option }
        if let value = environment[databaseEnvironmentVariable], !value.isEmpty { return value }
        return nil
    }

    /// Opens (creating or migrating) the store at `location`.
    public static func open(_ location: Location, clock: @escaping @Sendable () -> Date = { Date() }) throws -> any AkteStore {
        switch location {
        case .sqlite(let path): return try SQLiteAkte(path: path, clock: clock)
        case .postgres(let url): return try PostgresAkte(url: url, clock: clock)
        }
    }

    /// Opens (creating or migrating) the store at `location` with the means of copying rows in and
    /// reading them back by key (`store migrate`, `store verify`); both backends have them.
    public static func openForTransfer(_ location: Location) throws -> any StoreImport {
        switch location {
        case .sqlite(let path): return try SQLiteAkte(path: path)
        case .postgres(let url): return try PostgresAkte(url: url)
        }
    }

    /// Opens the store `database` names (see `location(database:dataDirectory:)`).
    public static func open(database: String?, dataDirectory: URL) throws -> any AkteStore {
        try open(location(database: database, dataDirectory: dataDirectory))
    }
}

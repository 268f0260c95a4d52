import Foundation

/// A real PostgreSQL server for the tests, started once per test process in a temporary folder
/// (`initdb`, then `pg_ctl start` on a free loopback port) and stopped when the process exits.
/// As root (tests and CI run as root) the server runs as user `postgres`, which PostgreSQL
/// requires. Each test takes a fresh database of its own with `makeDatabase()`.
public final class PostgresServer: @unchecked Sendable {
    /// Debian's PostgreSQL 15 binaries (`apt-get install postgresql`); POSTEINGANG_PG_BIN overrides.
    public static var binaries: URL {
        URL(fileURLWithPath: ProcessInfo.processInfo.environment["POSTEINGANG_PG_BIN"] ?? "/usr/lib/postgresql/15/bin")
    }

    public let folder: URL
    public let port: Int
    private static let lock = NSLock()
    nonisolated(unsafe) private static var running: PostgresServer?
    nonisolated(unsafe) private static var runningFolder: String?

    /// The server of this test process, started on first use.
    public static func shared() throws -> PostgresServer {
        lock.lock()
        defer { lock.unlock() }
        if let running { return running }
        stopLeftovers()
        let server = try PostgresServer()
        running = server
        runningFolder = server.folder.path
        atexit {
            guard let folder = PostgresServer.runningFolder else { return }
            _ = try? PostgresServer.pgCtl(["stop", "-D", folder + "/data", "-m", "fast", "-w"])
            try? FileManager.default.removeItem(atPath: folder)
        }
        return server
    }

    /// A server of its own (not the shared one), for a test that restarts or stops it.
    public static func startDedicated() throws -> PostgresServer { try PostgresServer() }

    /// Restarts the server (`pg_ctl restart`): every open connection is cut.
    public func restart() throws {
        try Self.pgCtl(["restart", "-D", folder.appendingPathComponent("data").path, "-w", "-t", "60", "-m", "fast"])
    }

    /// Stops a dedicated server and removes its folder.
    public func stop() {
        _ = try? Self.pgCtl(["stop", "-D", folder.appendingPathComponent("data").path, "-m", "fast", "-w"])
        try? FileManager.default.removeItem(at: folder)
    }

    private init() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binaries.appendingPathComponent("initdb").path) else {
            throw ServerError("no PostgreSQL at \(Self.binaries.path): run scripts/setup.sh (apt-get install postgresql)")
        }
        folder = URL(fileURLWithPath: "/tmp/posteingang-pg-\(getpid())-\(UUID().uuidString.prefix(6))", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if getuid() == 0 { _ = try Self.exec("/bin/chown", ["-R", "postgres:postgres", folder.path]) }
        port = try TestKit.freePort()
        let data = folder.appendingPathComponent("data").path
        try Self.asServerUser(
            Self.binaries.appendingPathComponent("initdb").path,
            ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        try Self.pgCtl([
            "start", "-D", data, "-w", "-t", "60", "-l", folder.appendingPathComponent("server.log").path, "-o",
            "-p \(port) -c listen_addresses=127.0.0.1 -k \(folder.path) -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
        ])
    }

    /// `postgres://postgres@127.0.0.1:PORT/NAME` of a new, empty database.
    public func makeDatabase() throws -> String {
        let name = "akte_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        try Self.exec(
            Self.binaries.appendingPathComponent("psql").path,
            ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q",
             "-c", "CREATE DATABASE \(name)"])
        return "postgres://postgres@127.0.0.1:\(port)/\(name)"
    }

    /// Runs SQL in a database with `psql` (tests that play an attacker with database access).
    public func psql(_ sql: String, database url: String) throws {
        let name = String(url.split(separator: "/").last ?? "")
        try Self.exec(
            Self.binaries.appendingPathComponent("psql").path,
            ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", name, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
    }

    /// The database's contents as `pg_dump` prints them.
    public func dump(database url: String) throws -> String {
        let name = String(url.split(separator: "/").last ?? "")
        return try Self.exec(
            Self.binaries.appendingPathComponent("pg_dump").path,
            ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", name, "--data-only"])
    }

    /// Servers of test processes that were killed before they could stop them.
    private static func stopLeftovers() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/tmp") else { return }
        for name in names where name.hasPrefix("posteingang-pg-") {
            let pid = Int32(name.split(separator: "-")[2]) ?? 0
            guard pid > 0, kill(pid, 0) != 0, errno == ESRCH else { continue }
            _ = try? pgCtl(["stop", "-D", "/tmp/\(name)/data", "-m", "immediate", "-w"])
            try? FileManager.default.removeItem(atPath: "/tmp/\(name)")
        }
    }

    private static func pgCtl(_ arguments: [String]) throws {
        try asServerUser(binaries.appendingPathComponent("pg_ctl").path, arguments)
    }

    private static func asServerUser(_ program: String, _ arguments: [String]) throws {
        if getuid() == 0 {
            try exec("/usr/sbin/runuser", ["-u", "postgres", "--", program] + arguments)
        } else {
            try exec(program, arguments)
        }
    }

    /// Runs a program to its end (`ChildProcess` closes every inherited descriptor, so the server
    /// `pg_ctl` leaves running holds none of this process's).
    @discardableResult
    private static func exec(_ program: String, _ arguments: [String]) throws -> String {
        let result = try ChildProcess(program, arguments, directory: URL(fileURLWithPath: "/tmp"), timeout: 120).run()
        let output = result.standardOutput + result.standardError
        guard result.succeeded else {
            throw ServerError("\(program) \(arguments.joined(separator: " ")) failed (\(result.status)): \(output)")
        }
        return output
    }

    public struct ServerError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}

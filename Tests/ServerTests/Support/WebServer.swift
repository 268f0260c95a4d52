import Akte
import Foundation
import PosteingangTestKit

#if canImport(Glibc)
    import Glibc
#endif

/// A real `posteingang serve` on loopback with its own data directory, case register and two
/// accounts: `anna` (sachbearbeitung) and `gerd` (sachbearbeitung + gesundheit).
final class WebServer {
    static let password = "richtig-geheim-2025"

    let dataDir: URL
    let port: Int
    let child: RunningChild
    let log: URL

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// `environment`: added to the server's own (the S3 keys of a `--blobs s3://…`).
    init(extraArguments: [String] = [], environment: [String: String] = [:]) throws {
        dataDir = try TestKit.temporaryDirectory("web")
        port = try TestKit.freePort()
        let data = dataDir.path
        try WebTestSupport.posteingang([
            "cases", "import", "--data-dir", data, TestKit.fixtures.appendingPathComponent("cases.csv").path,
        ])
        try WebTestSupport.posteingang(
            ["users", "add", "anna", "--role", "sachbearbeitung", "--password-stdin", "--data-dir", data], input: Self.password + "\n")
        try WebTestSupport.posteingang(
            ["users", "add", "gerd", "--role", "sachbearbeitung", "gesundheit", "--password-stdin", "--data-dir", data],
            input: Self.password + "\n")
        log = dataDir.appendingPathComponent("serve.log")
        child = try TestKit.start(
            [
                "serve", "--data-dir", data, "--config", TestKit.pipelineYML.path,
                "--port", "\(port)", "--workers", "2", "--settle-delay", "0.3", "--rescan-interval", "1",
            ] + extraArguments,
            log: log, environment: environment.isEmpty ? nil : ProcessInfo.processInfo.environment.merging(environment) { $1 })
        let client = WebClient(server: self)
        let deadline = Date().addingTimeInterval(30)
        while (try? client.get("/static/posteingang.css").status) != 200 {
            guard Date() < deadline, child.isRunning else {
                throw TestKitError("serve did not answer on port \(port): \(output)")
            }
            usleep(100_000)
        }
    }

    var output: String { child.output }

    /// Adds an account with `roles` and the shared test password (`dora`, role `datenschutz`).
    func addUser(_ name: String, roles: [String]) throws {
        try WebTestSupport.posteingang(
            ["users", "add", name, "--role"] + roles + ["--password-stdin", "--data-dir", dataDir.path], input: Self.password + "\n")
    }

    /// The E-Akte of this server, opened beside it (WAL: readers do not block it).
    func akte() throws -> SQLiteAkte {
        try SQLiteAkte(path: dataDir.appendingPathComponent("akte.sqlite").path)
    }

    /// Drops documents into the spool and waits until all are in the E-Akte; returns their ids by name.
    func file(_ documents: [String: Data], timeout: Double = 120) throws -> [String: String] {
        for (name, data) in documents { try TestKit.deliver(data, as: name, to: dataDir.appendingPathComponent("spool/inbox")) }
        let akte = try akte()
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let filed = try akte.inbox(since: nil, caseID: nil, limit: 1000)
            var ids: [String: String] = [:]
            for summary in filed where documents[summary.originalFilename] != nil { ids[summary.originalFilename] = summary.id }
            if ids.count == documents.count { return ids }
            guard Date() < deadline else {
                throw TestKitError("only \(ids.count) of \(documents.count) documents filed after \(timeout) s: \(output)")
            }
            usleep(200_000)
        }
    }

    /// Waits until the daemon has taken every upload out of the spool (filed, sent to review or
    /// quarantined); sidecars left behind without their document do not count.
    func waitUntilSpoolIsEmpty(timeout: Double) throws {
        let spool = dataDir.appendingPathComponent("spool", isDirectory: true)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let waiting = ["inbox", "processing"].flatMap { folder in
                ((try? FileManager.default.contentsOfDirectory(atPath: spool.appendingPathComponent(folder).path)) ?? [])
                    .filter { !$0.hasSuffix(".json") }
            }
            if waiting.isEmpty { return }
            guard Date() < deadline else {
                throw TestKitError("\(waiting.count) uploads still in the spool after \(timeout) s: \(waiting.prefix(5)) \(output)")
            }
            usleep(500_000)
        }
    }

    deinit {
        child.stop(grace: 10)
        try? FileManager.default.removeItem(at: dataDir)
    }
}

/// A browser's session: `HTTP` with a cookie jar.
final class WebClient {
    typealias Answer = HTTP.Answer

    let server: WebServer
    let jar: URL

    init(server: WebServer) {
        self.server = server
        let scratch = server.dataDir.appendingPathComponent("client-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        jar = scratch.appendingPathComponent("cookies.txt")
    }

    func get(_ path: String) throws -> Answer {
        try request(path, arguments: [])
    }

    /// Posts a form (`application/x-www-form-urlencoded`), with extra header lines (`Name: value`).
    func post(_ path: String, _ form: [(String, String)], headers: [String] = []) throws -> Answer {
        var arguments = ["-X", "POST", "-H", "Content-Type: application/x-www-form-urlencoded"]
        for header in headers { arguments += ["-H", header] }
        if form.isEmpty { arguments += ["--data", ""] }
        for (key, value) in form { arguments += ["--data-urlencode", "\(key)=\(value)"] }
        return try request(path, arguments: arguments)
    }

    /// A request with any method and no body.
    func request(method: String, _ path: String) throws -> Answer {
        try request(path, arguments: ["-X", method])
    }

    /// Logs in through the login form (its CSRF token and cookie included).
    @discardableResult
    func login(_ username: String, password: String = WebServer.password) throws -> Answer {
        let page = try get("/anmelden")
        guard let token = page.csrfToken else { throw TestKitError("login page without CSRF field: \(page.text)") }
        return try post("/anmelden", [("csrf", token), ("benutzer", username), ("passwort", password)])
    }

    /// The CSRF token of the logged-in session (from any page's forms).
    func sessionToken() throws -> String {
        let page = try get("/posteingang")
        guard let token = page.csrfToken else { throw TestKitError("no CSRF token on the inbox page: \(page.status)") }
        return token
    }

    private func request(_ path: String, arguments: [String]) throws -> Answer {
        try HTTP.curl(arguments + [server.baseURL + path], cookies: jar)
    }
}

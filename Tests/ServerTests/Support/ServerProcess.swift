import Foundation
import PosteingangTestKit

/// Tokens for the upload API tests (paths, running the command and ports are `TestKit`'s).
enum ServerTestSupport {
    /// Issues a token with the real command and returns the secret.
    static func token(dataDir: URL, client: String, caseID: String? = nil, rate: Int = 600) throws -> String {
        var arguments = ["tokens", "create", "--data-dir", dataDir.path, "--client", client, "--rate", "\(rate)/min"]
        if let caseID { arguments += ["--case", caseID] }
        let result = try TestKit.run(arguments)
        guard result.status == 0 else { throw TestKitError("tokens create failed: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// `posteingang serve` started as a child process on a free loopback port, its log collected.
final class ServerProcess {
    let child: RunningChild
    let log: URL
    let port: Int
    let dataDir: URL
    var base: String { "http://127.0.0.1:\(port)" }

    init(dataDir: URL, arguments extra: [String] = [], port: Int? = nil) throws {
        self.dataDir = dataDir
        self.port = try port ?? TestKit.freePort()
        log = dataDir.appendingPathComponent("serve-\(UUID().uuidString.prefix(6)).log")
        child = try TestKit.start(
            [
                "serve", "--data-dir", dataDir.path, "--config", TestKit.pipelineYML.path,
                "--cases", TestKit.fixture("cases.csv").path, "--port", "\(self.port)",
                "--workers", "2", "--settle-delay", "0.3", "--rescan-interval", "1",
            ] + extra, log: log)
        let up = eventually(timeout: 60) { [base] in (try? HTTP.get(base + "/api/v1/health"))?.status == 200 }
        guard up else { throw TestKitError("server did not answer on port \(self.port): \(output)") }
    }

    func terminate() { child.signal(SIGTERM) }
    func kill9() { child.stop(grace: 0) }

    var output: String { child.output }
}

/// A real HTTP client: curl, as a citizen's app or a scanning centre's script would call the API.
enum HTTP {
    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    static func get(_ url: String, token: String? = nil) throws -> Answer {
        try curl([url] + auth(token))
    }

    /// Multipart upload of `files` with optional fields (curl picks its own boundary each time).
    static func postMultipart(
        _ url: String, token: String?, files: [URL], fields: [String: String] = [:], headers: [String: String] = [:]
    ) throws -> Answer {
        var arguments = [url, "-X", "POST"] + auth(token)
        for file in files { arguments += ["-F", "file=@\(file.path)"] }
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) { arguments += ["-F", "\(name)=\(value)"] }
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        return try curl(arguments)
    }

    /// Raw upload: the file is the body.
    static func postRaw(
        _ url: String, token: String?, file: URL, contentType: String, headers: [String: String] = [:]
    ) throws -> Answer {
        var arguments = [url, "-X", "POST", "--data-binary", "@\(file.path)", "-H", "Content-Type: \(contentType)"] + auth(token)
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        return try curl(arguments)
    }

    static func auth(_ token: String?) -> [String] {
        token.map { ["-H", "Authorization: Bearer \($0)"] } ?? []
    }

    static func curl(_ arguments: [String]) throws -> Answer {
        let folder = FileManager.default.temporaryDirectory
        let bodyFile = folder.appendingPathComponent("curl-body-\(UUID().uuidString)")
        let headerFile = folder.appendingPathComponent("curl-head-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: bodyFile)
            try? FileManager.default.removeItem(at: headerFile)
        }
        let result = try TestKit.run(
            "curl", ["-s", "--max-time", "120", "-o", bodyFile.path, "-D", headerFile.path, "-w", "%{http_code}"] + arguments)
        guard let status = Int(result.stdout), status > 0 else {
            throw TestKitError("curl \(arguments.first ?? "") got no answer (exit \(result.status))")
        }
        var headers: [String: String] = [:]
        let headText = (try? String(contentsOf: headerFile, encoding: .utf8)) ?? ""
        for line in headText.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Answer(status: status, headers: headers, body: (try? Data(contentsOf: bodyFile)) ?? Data())
    }
}

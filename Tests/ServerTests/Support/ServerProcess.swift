import Foundation
import PosteingangTestKit

/// Paths and the command for the upload API tests (shared parts in PosteingangTestKit).
enum ServerTestSupport {
    static var repositoryRoot: URL { TestKit.repositoryRoot }
    static var fixtures: URL { TestKit.fixtures }
    static func fixture(_ path: String) -> URL { TestKit.fixture(path) }
    static var pipelineYML: URL { TestKit.pipelineYML }
    static var executable: URL { TestKit.executable }
    static func temporaryDirectory(_ name: String) throws -> URL { try TestKit.temporaryDirectory(name) }

    /// Runs the command line to the end.
    @discardableResult
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try TestKit.run(arguments)
    }

    /// Issues a token with the real command and returns the secret.
    static func token(dataDir: URL, client: String, caseID: String? = nil, rate: Int = 600) throws -> String {
        var arguments = ["tokens", "create", "--data-dir", dataDir.path, "--client", client, "--rate", "\(rate)/min"]
        if let caseID { arguments += ["--case", caseID] }
        let result = try run(arguments)
        guard result.status == 0 else { throw TestFailure("tokens create failed: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A free loopback port (bound once by the kernel's choice, then released).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `posteingang serve` started as a child process on a free loopback port, its log collected.
final class ServerProcess {
    let process = Process()
    let log: URL
    let port: Int
    let dataDir: URL
    var base: String { "http://127.0.0.1:\(port)" }

    init(dataDir: URL, arguments extra: [String] = [], port: Int? = nil) throws {
        self.dataDir = dataDir
        self.port = port ?? ServerTestSupport.freePort()
        log = dataDir.appendingPathComponent("serve-\(UUID().uuidString.prefix(6)).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = ServerTestSupport.executable
        process.arguments = [
            "serve", "--data-dir", dataDir.path, "--config", ServerTestSupport.pipelineYML.path,
            "--cases", ServerTestSupport.fixture("cases.csv").path, "--port", "\(self.port)",
            "--workers", "2", "--settle-delay", "0.3", "--rescan-interval", "1",
        ] + extra
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let up = eventually(timeout: 60) { (try? HTTP.get(base + "/api/v1/health"))?.status == 200 }
        guard up else { throw TestFailure("server did not answer on port \(self.port): \(output)") }
    }

    func terminate() { kill(process.processIdentifier, SIGTERM) }
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "--max-time", "120", "-o", bodyFile.path, "-D", headerFile.path, "-w", "%{http_code}"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let code = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let status = Int(code), status > 0 else { throw TestFailure("curl \(arguments.first ?? "") got no answer (exit \(process.terminationStatus))") }
        var headers: [String: String] = [:]
        let headText = (try? String(contentsOf: headerFile, encoding: .utf8)) ?? ""
        for line in headText.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Answer(status: status, headers: headers, body: (try? Data(contentsOf: bodyFile)) ?? Data())
    }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(timeout: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        usleep(200_000)
    }
    return try condition()
}

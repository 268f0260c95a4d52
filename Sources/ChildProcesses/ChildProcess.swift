import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A program run as a child process: the one way this project starts helper tools (poppler,
/// tesseract), and the way its tests start `posteingang`, curl and servers.
///
/// Started with `posix_spawn`: standard input from `input` (or `/dev/null`), every other inherited
/// descriptor closed (a child that leaves a server behind, like `pg_ctl`, holds none of ours),
/// signals at their defaults (the daemon ignores SIGTERM and SIGHUP for its own handlers; a child
/// must not inherit that). Output goes to unlinked temporary files, never a pipe, so a chatty child
/// cannot block on a full pipe and no reader threads are needed.
public struct ChildProcess: Sendable {
    /// The program: an absolute path, or a name looked up in `PATH` and the usual folders.
    public var program: String
    public var arguments: [String]
    /// The whole environment of the child; nil: this process's.
    public var environment: [String: String]?
    /// The child's working folder; nil: this process's.
    public var directory: URL?
    /// Written to the child's standard input; nil: `/dev/null`.
    public var input: Data?
    /// Seconds after which the child is killed (SIGKILL) and `run` throws `.timedOut`; nil: no limit.
    public var timeout: Double?
    /// The Debian package that provides `program`, named in the error when it is not installed.
    public var package: String?
    /// Started as the leader of a process group of its own: the timeout kills everything it
    /// started (a decoder's poppler tools), and what it leaves running is killed when it ends.
    public var processGroup: Bool

    public init(
        _ program: String, _ arguments: [String] = [], environment: [String: String]? = nil, directory: URL? = nil,
        input: Data? = nil, timeout: Double? = 60, package: String? = nil, processGroup: Bool = false
    ) {
        self.program = program
        self.arguments = arguments
        self.environment = environment
        self.directory = directory
        self.input = input
        self.timeout = timeout
        self.package = package
        self.processGroup = processGroup
    }

    /// Runs the program to its end, blocking the calling thread; output is collected. Returns the
    /// moment the child ends (`RunningChild.wait`), however short its run.
    public func run() throws -> ChildOutput {
        let started = try spawnCollecting()
        guard started.child.wait(timeout: timeout) != nil, let ending = started.child.reapEnding() else {
            throw started.kill(after: timeout ?? 0)
        }
        return started.collect(ending)
    }

    /// Runs the program to its end without blocking a thread (it polls); a cancelled task kills
    /// the child.
    public func run() async throws -> ChildOutput {
        let started = try spawnCollecting()
        var delay = 1
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        while true {
            if let ending = started.child.reapEnding() { return started.collect(ending) }
            if let deadline, Date() >= deadline { throw started.kill(after: timeout ?? 0) }
            do {
                try await Task.sleep(for: .milliseconds(delay))
            } catch {
                started.child.stop(grace: 0)
                throw error
            }
            delay = min(delay * 2, 50)
        }
    }

    /// Starts the program and leaves it running (a server, a daemon); its standard output and
    /// error are appended to `log`. `timeout` does not apply: the caller stops it.
    public func start(log: URL) throws -> RunningChild {
        let fd = open(log.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ChildProcessError(program: program, reason: .cannotStart("cannot open \(log.path): \(Self.errnoText())")) }
        defer { close(fd) }
        let inputFD = try inputDescriptor()
        defer { close(inputFD) }
        return RunningChild(pid: try spawn(stdin: inputFD, stdout: fd, stderr: fd), program: program, log: log, leadsGroup: processGroup)
    }

    /// Where `tool` is installed, or `.notInstalled` naming its Debian package.
    public static func locate(_ tool: String, package: String? = nil) throws -> String {
        if tool.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: tool) else { throw ChildProcessError(program: tool, reason: .notInstalled(package: package)) }
            return tool
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":").map(String.init) + ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"] {
            let candidate = folder + "/" + tool
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ChildProcessError(program: tool, reason: .notInstalled(package: package))
    }

    // MARK: - Spawning

    private struct Started {
        var child: RunningChild
        var stdout: Int32
        var stderr: Int32

        func collect(_ ending: RunningChild.Ending) -> ChildOutput {
            defer { close(stdout); close(stderr) }
            return ChildOutput(
                status: ending.status, stdout: ChildProcess.readAll(stdout), stderr: ChildProcess.readAll(stderr), signal: ending.signal,
                peakMemoryBytes: ending.peakMemoryBytes)
        }

        func kill(after seconds: Double) -> ChildProcessError {
            child.stop(grace: 0)
            close(stdout)
            close(stderr)
            return ChildProcessError(program: child.program, reason: .timedOut(seconds: seconds))
        }
    }

    private func spawnCollecting() throws -> Started {
        let out = try Self.scratchFile()
        let err: Int32
        do { err = try Self.scratchFile() } catch { close(out); throw error }
        do {
            let inputFD = try inputDescriptor()
            defer { close(inputFD) }
            let pid = try spawn(stdin: inputFD, stdout: out, stderr: err)
            return Started(child: RunningChild(pid: pid, program: program, log: nil, leadsGroup: processGroup), stdout: out, stderr: err)
        } catch {
            close(out)
            close(err)
            throw error
        }
    }

    private func inputDescriptor() throws -> Int32 {
        guard let input else {
            let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw ChildProcessError(program: program, reason: .cannotStart("cannot open /dev/null: \(Self.errnoText())")) }
            return fd
        }
        let fd = try Self.scratchFile()
        let written = input.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        guard written, lseek(fd, 0, SEEK_SET) == 0 else {
            close(fd)
            throw ChildProcessError(program: program, reason: .cannotStart("cannot stage its input: \(Self.errnoText())"))
        }
        return fd
    }

    private func spawn(stdin: Int32, stdout: Int32, stderr: Int32) throws -> pid_t {
        let path = try Self.locate(program, package: package)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        if let directory {
            guard let chdir = SpawnExtensions.addChdir else {
                throw ChildProcessError(program: program, reason: .cannotStart("this C library cannot set a child's working folder"))
            }
            _ = directory.path.withCString { chdir(&actions, $0) }
        }
        _ = SpawnExtensions.addClosefrom?(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGCHLD, SIGUSR1, SIGUSR2, SIGXCPU, SIGXFSZ] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if processGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let environmentLines = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let envp = environmentLines.map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        var result: Int32 = 0
        for attempt in 0..<5 {
            result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
            // ETXTBSY: another thread's fork still holds the program open for writing (it was
            // just installed or replaced); it goes away at that child's exec.
            guard result == ETXTBSY else { break }
            usleep(UInt32(20_000 * (attempt + 1)))
        }
        guard result == 0 else {
            throw ChildProcessError(program: program, reason: .cannotStart(String(cString: strerror(result))))
        }
        return pid
    }

    /// An unlinked, owner-only temporary file: it disappears with its last descriptor.
    private static func scratchFile() throws -> Int32 {
        var template = Array((NSTemporaryDirectory() + "/posteingang-child-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ChildProcessError(program: "", reason: .cannotStart("cannot create a temporary file: \(errnoText())")) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return fd
    }

    static func readAll(_ fd: Int32) -> Data {
        guard lseek(fd, 0, SEEK_SET) == 0 else { return Data() }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        return data
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// glibc's spawn actions that Swift's Glibc module does not declare (they need `_GNU_SOURCE`),
/// looked up once: close every descriptor from 3 up (glibc 2.34), change folder (glibc 2.29).
private enum SpawnExtensions {
    typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    static let addClosefrom: AddClosefrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddClosefrom.self) }
    static let addChdir: AddChdir? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np")
        .map { unsafeBitCast($0, to: AddChdir.self) }
}

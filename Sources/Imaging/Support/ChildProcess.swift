import Foundation

/// A child started with `posix_spawn` in its own process group, waited for with a deadline.
/// Unlike `Foundation.Process` it reports how the child ended (exit status or signal) and its
/// peak memory, and on timeout it kills the whole group, grandchildren included.
enum ChildProcess {
    enum Ending: Equatable {
        case exited(Int32)
        case signalled(Int32)
        case timedOut
    }

    struct Outcome {
        var ending: Ending
        /// Peak resident memory of the child (its largest descendant included), from `wait4`.
        var peakMemoryBytes: Int
    }

    static func run(executable: String, arguments: [String], stderr: URL, deadline: Double) throws -> Outcome {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // The child's standard output is a pipe it never writes to: when the child ends, the
        // pipe's last writer is gone and poll() wakes us at once (polling with sleeps overslept
        // by up to 20 ms, a worker's core idle for it on every upload).
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw ImagingError.internalFailure(operation: "make a pipe for the decoder: \(String(cString: strerror(errno)))")
        }
        let (watch, childEnd) = (ends[0], ends[1])
        // Not inherited by other programs the daemon starts (a stray copy would only delay the
        // wake-up to the next 50 ms slice below).
        _ = fcntl(watch, F_SETFD, FD_CLOEXEC)
        _ = fcntl(childEnd, F_SETFD, FD_CLOEXEC)
        defer { close(watch) }
        var childEndOpen = true
        defer { if childEndOpen { close(childEnd) } }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, childEnd, 1)
        posix_spawn_file_actions_addopen(&actions, 2, stderr.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Own process group (so that a timeout kills the poppler tools it started, too) and
        // default signal handling (the daemon ignores SIGTERM/SIGHUP to handle them itself).
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGXCPU, SIGXFSZ] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigmask(&attributes, &noMask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var environment = ProcessInfo.processInfo.environment
        environment["OMP_THREAD_LIMIT"] = "1"
        // glibc reserves 64 MiB of address space per malloc arena and thread; keep the count
        // low so that the address-space limit measures pixels, not reservations.
        environment["MALLOC_ARENA_MAX"] = "2"
        let argv = [executable] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        var status: Int32 = 0
        for attempt in 0..<5 {
            status = withCStrings(argv) { cArgv in
                withCStrings(envp) { cEnv in
                    posix_spawn(&pid, executable, &actions, &attributes, cArgv, cEnv)
                }
            }
            // ETXTBSY: another thread's fork still holds the program open for writing (it was
            // just installed or replaced); it goes away at that child's exec.
            guard status == ETXTBSY else { break }
            usleep(UInt32(20_000 * (attempt + 1)))
        }
        guard status == 0 else {
            throw ImagingError.internalFailure(operation: "start the decoder \(executable): \(String(cString: strerror(status)))")
        }

        close(childEnd)
        childEndOpen = false
        let end = Date().addingTimeInterval(deadline)
        var timedOut = false
        var hungUp = false
        var pause: UInt32 = 200
        while !hasEnded(pid) {
            let left = end.timeIntervalSinceNow
            if left <= 0 {
                timedOut = true
                break
            }
            // At most 50 ms per wait. Once the pipe has hung up the child is ending (the kernel
            // closes its files a moment before it can be waited for): short sleeps from then on,
            // growing in case the child closed its output early.
            let slice = Int32(min(left * 1000 + 1, 50))
            if hungUp {
                usleep(min(pause, UInt32(slice) * 1000))
                pause = min(pause * 2, 20_000)
                continue
            }
            var entry = pollfd(fd: watch, events: Int16(POLLIN), revents: 0)
            if poll(&entry, 1, slice) > 0 {
                var scratch = [UInt8](repeating: 0, count: 256)
                if read(watch, &scratch, scratch.count) <= 0 { hungUp = true }
            }
        }
        // The child is a zombie (or overdue) but not reaped yet, so its process group id cannot
        // have been reused: kill what it left running (or everything, on timeout), then reap.
        kill(-pid, SIGKILL)
        var waitStatus: Int32 = 0
        var usage = rusage()
        while wait4(pid, &waitStatus, 0, &usage) < 0 && errno == EINTR {}
        let peak = Int(usage.ru_maxrss) * 1024
        if timedOut { return Outcome(ending: .timedOut, peakMemoryBytes: peak) }
        let signal = waitStatus & 0x7F
        if signal == 0 { return Outcome(ending: .exited((waitStatus >> 8) & 0xFF), peakMemoryBytes: peak) }
        return Outcome(ending: .signalled(signal), peakMemoryBytes: peak)
    }

    /// Whether the child has ended, without reaping it (`WNOWAIT`).
    private static func hasEnded(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
        if result < 0 { return errno != EINTR }
        return info._sifields._kill.si_pid == pid
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGSEGV: return "segmentation fault"
        case SIGABRT: return "abort"
        case SIGBUS: return "bus error"
        case SIGILL: return "illegal instruction"
        case SIGTRAP: return "trap"
        case SIGFPE: return "arithmetic error"
        case SIGKILL: return "killed"
        case SIGXCPU: return "CPU time limit"
        case SIGXFSZ: return "file size limit"
        default: return "signal"
        }
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { pointers.forEach { free($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process that has been started and not yet reaped. Signals go to its pid only while it
/// has not been reaped, so a pid the system has given to another process is never signalled.
/// Dropping the last reference kills a child still running (SIGKILL) and reaps it.
public final class RunningChild: Sendable {
    /// How a reaped child ended.
    public struct Ending: Sendable, Equatable {
        /// The exit status; 128 + the signal's number when a signal ended it (as a shell reports it).
        public var status: Int32
        /// The signal that ended it, else nil.
        public var signal: Int32?
        /// Its peak resident memory (its largest waited-for descendant included), from `wait4`.
        public var peakMemoryBytes: Int
    }

    public let pid: pid_t
    public let program: String
    /// Where its output is appended (`ChildProcess.start(log:)`), else nil.
    public let log: URL?
    /// It leads a process group of its own (`ChildProcess.processGroup`): signals go to the whole
    /// group, and what it leaves running is killed when it ends.
    public let leadsGroup: Bool
    /// Set once reaped.
    private let ended = Mutex<Ending?>(nil)
    /// Signalled when the child has ended; made with its watching thread on the first `wait`.
    private let watch = Mutex<DispatchSemaphore?>(nil)

    init(pid: pid_t, program: String, log: URL?, leadsGroup: Bool = false) {
        self.pid = pid
        self.program = program
        self.log = log
        self.leadsGroup = leadsGroup
    }

    /// The exit status if it has ended (and reaps it), else nil.
    public func reap() -> Int32? { reapEnding()?.status }

    /// How it ended, once it has (reaping it), else nil.
    public func reapEnding() -> Ending? {
        ended.withLock { ending in
            if let ending { return ending }
            ending = take(blocking: false)
            return ending
        }
    }

    /// Reaps it with `wait4` (under the lock). A group leader's group is killed first, while
    /// the unreaped pid still names it, so that no helper it started outlives it.
    private func take(blocking: Bool) -> Ending? {
        if leadsGroup {
            if !blocking {
                var info = siginfo_t()
                var result: Int32
                repeat { result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) } while result == -1 && errno == EINTR
                guard result == 0, info._sifields._kill.si_pid == pid else { return nil }
            }
            _ = kill(-pid, SIGKILL)
        }
        var raw: Int32 = 0
        var usage = rusage()
        var result: pid_t
        repeat { result = wait4(pid, &raw, blocking ? 0 : WNOHANG, &usage) } while result == -1 && errno == EINTR
        guard result == pid else {
            // Reaped elsewhere (ECHILD): nothing more can be learnt, and it has ended.
            return blocking || result == -1 ? Ending(status: -1, signal: nil, peakMemoryBytes: 0) : nil
        }
        let signal = raw & 0x7f
        return Ending(
            status: signal == 0 ? (raw >> 8) & 0xff : 128 + signal, signal: signal == 0 ? nil : signal,
            peakMemoryBytes: Int(usage.ru_maxrss) * 1024)
    }

    public var isRunning: Bool { reap() == nil }

    /// Sends `signal` unless it has ended.
    public func signal(_ signal: Int32) {
        ended.withLock { ending in
            if ending == nil { _ = kill(leadsGroup ? -pid : pid, signal) }
        }
    }

    /// Waits at most `timeout` seconds (nil: as long as it takes) for it to end; its exit status,
    /// or nil if it still runs. Wakes the moment the child ends: a thread of its own blocks in
    /// `waitid` for it (see `endWatch`), so no page of a PDF waits out a polling interval.
    @discardableResult
    public func wait(timeout: Double?) -> Int32? {
        if let status = reap() { return status }
        let gone = endWatch()
        if let timeout {
            guard gone.wait(timeout: .now() + max(0, timeout)) == .success else { return nil }
        } else {
            gone.wait()
        }
        gone.signal()  // passed on: every later wait returns at once
        return reap()
    }

    /// Signalled once the child has ended. One thread per child, started on the first wait,
    /// blocks in `waitid(WEXITED | WNOWAIT)`: it notices the end without reaping, so the pid stays
    /// the child's (and `signal` safe) until `reap` takes the status under the lock. The thread
    /// holds only the pid and the semaphore and ends with the child.
    private func endWatch() -> DispatchSemaphore {
        watch.withLock { existing in
            if let existing { return existing }
            let gone = DispatchSemaphore(value: 0)
            let pid = self.pid
            let thread = Thread {
                var info = siginfo_t()
                while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
                gone.signal()
            }
            thread.stackSize = 64 * 1024
            thread.start()
            existing = gone
            return gone
        }
    }

    /// SIGTERM, up to `grace` seconds to end, then SIGKILL; returns the exit status.
    @discardableResult
    public func stop(grace: Double = 10) -> Int32 {
        if grace > 0 {
            signal(SIGTERM)
            if let status = wait(timeout: grace) { return status }
        }
        signal(SIGKILL)
        return ended.withLock { ending in
            if let ending { return ending.status }
            ending = take(blocking: true)
            return ending!.status
        }
    }

    /// What it has written to its log so far.
    public var output: String {
        guard let log else { return "" }
        return (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    }

    deinit {
        if ended.withLock({ $0 }) == nil { stop(grace: 0) }
    }
}

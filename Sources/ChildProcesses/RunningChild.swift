import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process that has been started and not yet reaped. Signals go to its pid only while it
/// has not been reaped, so a pid the system has given to another process is never signalled.
/// Dropping the last reference kills a child still running (SIGKILL) and reaps it.
public final class RunningChild: Sendable {
    public let pid: pid_t
    public let program: String
    /// Where its output is appended (`ChildProcess.start(log:)`), else nil.
    public let log: URL?
    /// The exit status once reaped (128 + signal for a signal).
    private let ended = Mutex<Int32?>(nil)
    /// Signalled when the child has ended; made with its watching thread on the first `wait`.
    private let watch = Mutex<DispatchSemaphore?>(nil)

    init(pid: pid_t, program: String, log: URL?) {
        self.pid = pid
        self.program = program
        self.log = log
    }

    /// The exit status if it has ended (and reaps it), else nil.
    public func reap() -> Int32? {
        ended.withLock { status in
            if let status { return status }
            var raw: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(pid, &raw, WNOHANG) } while result == -1 && errno == EINTR
            guard result == pid else { return nil }
            status = Self.exitStatus(raw)
            return status
        }
    }

    public var isRunning: Bool { reap() == nil }

    /// Sends `signal` unless it has ended.
    public func signal(_ signal: Int32) {
        ended.withLock { status in
            if status == nil { _ = kill(pid, signal) }
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
        return ended.withLock { status in
            if let status { return status }
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
            status = Self.exitStatus(raw)
            return status!
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

    static func exitStatus(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }
}

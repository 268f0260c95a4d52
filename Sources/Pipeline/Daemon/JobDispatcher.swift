import Akte
import Dispatch
import Foundation
import Synchronization

/// Hands jobs of the shared PostgreSQL work queue to this process's workers, and keeps their
/// leases alive. Two threads of its own, since every call blocks on the database:
///
/// - the **claimer** takes as many jobs as workers wait for (one alone-retried job only when
///   nothing is in hand, and nothing else beside it), then waits for `LISTEN` (a notification
///   on enqueue or rescue) or `pollInterval` seconds, whichever comes first;
/// - the **keeper** renews the leases of what is in hand every third of the lease, and gives
///   back jobs whose workers died elsewhere (`rescueExpiredLeases`), recording in the E-Akte
///   those it sets aside as `crashed_repeatedly`.
///
/// One queue (one `host:pid` name) per process: jobs in hand together die together, which is
/// what the queue's blame rule needs.
final class JobDispatcher: Sendable {
    let queue: PostgresWorkQueue
    let pollInterval: Double
    let log: EventLog
    /// Called for each job the rescuer set aside (the worker died with it alone in hand, for the last time).
    let onSetAside: @Sendable (String) -> Void

    private struct State {
        var waiters: [CheckedContinuation<UploadJob?, Never>] = []
        var inHand: Set<String> = []
        var solo: String?
        var stopping = false
        var ended = false
    }
    private let state = Mutex(State())
    private let nudge = DispatchSemaphore(value: 0)
    private let keeperDone = DispatchSemaphore(value: 0)

    init(queue: PostgresWorkQueue, pollInterval: Double, log: EventLog, onSetAside: @escaping @Sendable (String) -> Void) {
        self.queue = queue
        self.pollInterval = pollInterval
        self.log = log
        self.onSetAside = onSetAside
    }

    /// Starts the claimer and the keeper.
    func start() {
        DispatchQueue(label: "posteingang.queue.claimer").async { self.claimLoop() }
        DispatchQueue(label: "posteingang.queue.keeper").async { self.keepLoop() }
    }

    /// The next job for a worker, or nil once the daemon stops.
    func next() async -> UploadJob? {
        await withCheckedContinuation { continuation in
            let stopping = state.withLock { state -> Bool in
                if state.stopping { return true }
                state.waiters.append(continuation)
                return false
            }
            if stopping { continuation.resume(returning: nil) } else { nudge.signal() }
        }
    }

    /// A worker is done with a job (filed, set aside or given back).
    func finished(_ uploadID: String) {
        state.withLock { state in
            state.inHand.remove(uploadID)
            if state.solo == uploadID { state.solo = nil }
        }
        nudge.signal()
    }

    /// What is in hand now (for the metrics).
    var inHandCount: Int { state.withLock { $0.inHand.count } }

    /// No new jobs from now on; waiting workers get nil. Leases of jobs in hand are still renewed.
    func stop() {
        let waiting = state.withLock { state -> [CheckedContinuation<UploadJob?, Never>] in
            state.stopping = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiting { waiter.resume(returning: nil) }
        nudge.signal()
    }

    /// Called when every worker has ended: the keeper stops renewing.
    func end() {
        state.withLock { $0.ended = true }
        nudge.signal()
        _ = keeperDone.wait(timeout: .now() + 5)
    }

    private func claimLoop() {
        while true {
            let (want, holding, stopping) = state.withLock { state in
                (state.solo == nil ? state.waiters.count : 0, state.inHand.count, state.stopping)
            }
            if stopping { return }
            if want == 0 {
                _ = nudge.wait(timeout: .now() + 1)
                continue
            }
            do {
                let jobs = try queue.claim(limit: want, holding: holding)
                if jobs.isEmpty {
                    // Nothing free (or only a job to be retried alone while others are in hand):
                    // sleep until a notification, or poll.
                    _ = try queue.waitForWork(timeout: holding > 0 ? min(pollInterval, 0.5) : pollInterval)
                    continue
                }
                handOut(jobs)
            } catch {
                log.log("queue_unavailable", level: "warning", ["reason": .string("\(error)"), "retry_in_s": .number(1)])
                Thread.sleep(forTimeInterval: 1)
            }
        }
    }

    private func handOut(_ jobs: [UploadJob]) {
        var given: [(CheckedContinuation<UploadJob?, Never>, UploadJob)] = []
        var surplus: [UploadJob] = []
        state.withLock { state in
            for job in jobs {
                if state.waiters.isEmpty {
                    surplus.append(job)
                    continue
                }
                state.inHand.insert(job.uploadID)
                if job.claimAlone { state.solo = job.uploadID }
                given.append((state.waiters.removeFirst(), job))
            }
        }
        for (waiter, job) in given { waiter.resume(returning: job) }
        // The daemon began to stop while claiming: give back, uncounted, what nobody will work on.
        for job in surplus {
            _ = try? queue.fail(uploadID: job.uploadID, error: "its worker stopped before starting it", code: "", causedByFile: false)
        }
    }

    private func keepLoop() {
        defer { keeperDone.signal() }
        let interval = max(0.2, queue.lease / 3)
        var last = Date.distantPast
        while true {
            let (held, ended) = state.withLock { (Array($0.inHand), $0.ended) }
            if ended { return }
            if Date().timeIntervalSince(last) >= interval {
                last = Date()
                do {
                    let lost = try queue.heartbeat(held)
                    if !lost.isEmpty {
                        log.log("lease_lost", level: "warning", [
                            "upload_ids": .array(lost.sorted().map { .string($0) }),
                            "meaning": "another worker took them over; whoever files first wins, the other finds them filed",
                        ])
                    }
                    let rescue = try queue.rescueExpiredLeases()
                    if !rescue.requeued.isEmpty || !rescue.quarantined.isEmpty {
                        log.log("leases_rescued", [
                            "requeued": .array(rescue.requeued.map { .string($0) }),
                            "set_aside": .array(rescue.quarantined.map { .string($0) }),
                        ])
                    }
                    for uploadID in rescue.quarantined { onSetAside(uploadID) }
                } catch {
                    log.log("queue_unavailable", level: "warning", ["reason": .string("\(error)"), "while": "renewing leases"])
                }
            }
            Thread.sleep(forTimeInterval: min(interval, 0.2))
        }
    }
}

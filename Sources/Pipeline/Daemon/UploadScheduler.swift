import Foundation
import SpoolFiles

/// Hands uploads from the inbox to free workers. A file is claimed (renamed into processing/)
/// only when a worker asks for one, so that several daemons on one folder share the work and a
/// stopping daemon has taken nothing it will not finish.
public actor UploadScheduler {
    private let spool: Spool
    private let settleDelay: Double
    private var pending: [String] = []
    private var pendingSet: Set<String> = []
    /// Names known to be complete (renamed into place), taken without waiting to settle.
    private var completed: Set<String> = []
    private var retries: [ClaimedUpload] = []
    /// Uploads a process died with in hand (recovered from processing/): each is redone alone,
    /// so that a death while it is in hand can only be its own doing.
    private var suspects: [ClaimedUpload] = []
    /// The suspect being redone; nothing else is handed out meanwhile.
    private var soloInHand: String?
    private var waiters: [CheckedContinuation<ClaimedUpload?, Never>] = []
    private var stopping = false

    public init(spool: Spool, settleDelay: Double) {
        self.spool = spool
        self.settleDelay = settleDelay
    }

    /// Re-reads the whole inbox (at start, periodically, after an inotify overflow).
    public func rescan() {
        for url in spool.inboxCandidates() { note(url.lastPathComponent, completed: false) }
        serveWaiters()
    }

    /// A file changed in the inbox.
    public func noticed(_ name: String, completed isComplete: Bool) {
        guard Spool.isUploadName(name) else { return }
        note(name, completed: isComplete)
        serveWaiters()
    }

    /// Gives an upload back for another try after `delay` seconds (a transient failure).
    public func retryLater(_ upload: ClaimedUpload, after delay: Double) {
        Task {
            try? await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
            self.addRetry(upload)
        }
    }

    /// Queues uploads an earlier run left in processing/, to be redone first, one at a time with
    /// nothing else in hand (the run may have died of any of them, or of none). Uploads this
    /// daemon has in hand are not leftovers: a refused entry (link, FIFO, unsafe name) waits in
    /// processing/ without a lock until it is quarantined, and the periodic scan must not take
    /// it a second time; one whose handling ended since the scan listed it is gone from
    /// processing/ by then (its files move before `finished` is called).
    public func recover(_ uploads: [ClaimedUpload]) {
        let orphans = uploads.filter { upload in
            !inHand.contains(upload.uploadID) && FileIdentity.of(upload.file.path) != nil
        }
        suspects.append(contentsOf: orphans.filter { orphan in !suspects.contains { $0.uploadID == orphan.uploadID } })
        serveWaiters()
    }

    /// A worker is done with `uploadID` (filed, quarantined, or handed back for a retry).
    public func finished(_ uploadID: String) {
        inHand.remove(uploadID)
        if soloInHand == uploadID { soloInHand = nil }
        serveWaiters()
    }

    /// Uploads handed to a worker and not finished yet.
    private var inHand: Set<String> = []

    /// The next upload for a worker, or nil when the daemon stops.
    public func next() async -> ClaimedUpload? {
        if let upload = takeOne() { return upload }
        if stopping { return nil }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// What is handed out is in hand until `finished`.
    private func handOut(_ upload: ClaimedUpload, alone: Bool = false) -> ClaimedUpload {
        var upload = upload
        upload.alone = alone
        inHand.insert(upload.uploadID)
        if alone { soloInHand = upload.uploadID }
        return upload
    }

    /// No new uploads from now on; waiting workers get nil.
    public func stop() {
        stopping = true
        let waiting = waiters
        waiters = []
        for waiter in waiting { waiter.resume(returning: nil) }
    }

    /// How many files wait in the inbox (for the queue-depth metric).
    public var queueDepth: Int { pending.count + retries.count + suspects.count }

    private func addRetry(_ upload: ClaimedUpload) {
        retries.append(upload)
        serveWaiters()
    }

    private func note(_ name: String, completed isComplete: Bool) {
        if isComplete { completed.insert(name) }
        if pendingSet.insert(name).inserted { pending.append(name) }
    }

    private func serveWaiters() {
        while !waiters.isEmpty, let upload = takeOne() {
            waiters.removeFirst().resume(returning: upload)
        }
    }

    /// Claims the first pending file that is ready. Files not yet settled are looked at again
    /// after the settle delay.
    private func takeOne() -> ClaimedUpload? {
        if stopping || soloInHand != nil { return nil }
        if !suspects.isEmpty {
            // Wait until the hands are empty, then redo the next suspect on its own.
            return inHand.isEmpty ? handOut(suspects.removeFirst(), alone: true) : nil
        }
        if !retries.isEmpty { return handOut(retries.removeFirst()) }
        var index = 0
        var recheck = false
        while index < pending.count {
            let name = pending[index]
            let url = spool.directory.inbox.appendingPathComponent(name)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else {
                drop(at: index)  // gone: claimed by someone else or withdrawn
                continue
            }
            // A write changes the modification time, so a file whose mtime is older than the
            // settle delay has kept its size and mtime for that long.
            let mtime = (attributes[.modificationDate] as? Date) ?? Date()
            let settled = completed.contains(name) || Date().timeIntervalSince(mtime) >= settleDelay
            if !settled {
                recheck = true
                index += 1
                continue
            }
            drop(at: index)
            if let upload = spool.claim(url) { return handOut(upload) }
        }
        if recheck { scheduleRecheck() }
        return nil
    }

    private func drop(at index: Int) {
        let name = pending.remove(at: index)
        pendingSet.remove(name)
        completed.remove(name)
    }

    private var recheckScheduled = false
    private func scheduleRecheck() {
        guard !recheckScheduled else { return }
        recheckScheduled = true
        let delay = settleDelay
        Task {
            try? await Task.sleep(nanoseconds: UInt64(max(delay, 0.1) * 1_000_000_000))
            self.recheckDone()
        }
    }

    private func recheckDone() {
        recheckScheduled = false
        serveWaiters()
    }
}

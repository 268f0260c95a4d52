import Foundation

/// The work queue on PostgreSQL, for workers on many hosts (issue 17). An accepted upload is a
/// row of `jobs`, unique by upload id. Modelled on River, Oban and Procrastinate:
///
/// - **Claim**: one statement takes the oldest available rows `FOR UPDATE SKIP LOCKED` (workers
///   never wait for each other's rows), marks them `running`, counts the try and sets a lease
///   (`leaseUntil`, from the database's clock, so hosts' clocks do not matter).
/// - **Heartbeat**: the holder renews its leases; a lease it no longer holds is reported lost.
/// - **Rescue**: a lease that ran out means the worker died. Its jobs go back into the queue. A
///   try counts against a file only when the file was alone in hand: jobs that died together are
///   requeued uncounted and retried one at a time (`claimAlone`), so the file that kills its
///   process is found and set aside (`crashed_repeatedly`) without its neighbours.
/// - **Retries** with a backoff that grows per try (attempt⁴ seconds, as River), quarantine after
///   the last with the caller's refusal code.
/// - **Done** in the filing transaction: `PostgresAkte.file` ends the job as it commits the
///   document, so a worker that dies before the commit leaves both undone, never one.
/// - **Wake**: enqueueing notifies `posteingang_jobs`; idle workers `LISTEN` and also poll.
public final class PostgresWorkQueue: @unchecked Sendable {
    public static let channel = "posteingang_jobs"

    let akte: PostgresAkte
    /// This worker's name in `lockedBy` (`host:pid` by default).
    public let worker: String
    /// Seconds a claim holds before a heartbeat must renew it.
    public let lease: TimeInterval
    /// Seconds to wait before try `attempt + 1` after try `attempt` failed.
    let backoff: @Sendable (Int) -> TimeInterval
    private var listener: PostgresConnection?

    public init(
        akte: PostgresAkte, worker: String = PostgresWorkQueue.defaultWorkerName, lease: TimeInterval = 30,
        backoff: @escaping @Sendable (Int) -> TimeInterval = PostgresWorkQueue.riverBackoff
    ) {
        self.akte = akte
        self.worker = worker
        self.lease = lease
        self.backoff = backoff
    }

    public static var defaultWorkerName: String { "\(ProcessInfo.processInfo.hostName):\(getpid())" }

    /// attempt⁴ seconds with ±10 % jitter, as River: 1 s, 16 s, 81 s, 256 s …
    public static let riverBackoff: @Sendable (Int) -> TimeInterval = { attempt in
        let base = pow(Double(max(1, attempt)), 4)
        return base * Double.random(in: 0.9...1.1)
    }

    // MARK: - Producer

    /// Puts an accepted upload into the queue; false when it is there already (same upload id).
    @discardableResult
    public func enqueue(
        uploadID: String, sha256: String, filename: String, channel: String, sidecarJSON: String?, receivedAt: Date,
        maxAttempts: Int = 3
    ) throws -> Bool {
        guard !uploadID.isEmpty else { throw AkteError.invalidInput("a job needs an upload id") }
        guard (1...100).contains(maxAttempts) else { throw AkteError.invalidInput("maxAttempts must be 1 to 100") }
        return try akte.write { db in
            let inserted = try db.query(
                """
                INSERT INTO jobs (uploadID, sha256, filename, channel, sidecarJSON, receivedAt, state, maxAttempts, runAfter, createdAt)
                VALUES ($1, $2, $3, $4, $5, $6, 'available', $7, now(), now())
                ON CONFLICT (uploadID) DO NOTHING RETURNING uploadID
                """, [uploadID, sha256, filename, channel, sidecarJSON, receivedAt, maxAttempts])
            guard !inserted.isEmpty else { return false }
            try db.query("SELECT pg_notify($1, $2)", [Self.channel, uploadID])
            return true
        }
    }

    // MARK: - Worker

    /// Takes up to `limit` available jobs. A job to be retried alone is given only to a worker
    /// that holds nothing (`holding == 0`), and then on its own.
    public func claim(limit: Int, holding: Int) throws -> [UploadJob] {
        guard limit > 0 else { return [] }
        return try akte.write { db in
            let take = """
                UPDATE jobs SET state = 'running', attempt = attempt + 1, lockedBy = $1,
                    leaseUntil = now() + make_interval(secs => $2::double precision)
                WHERE uploadID IN (
                    SELECT uploadID FROM jobs WHERE state = 'available' AND runAfter <= now() AND claimAlone = %@
                    ORDER BY runAfter, createdAt LIMIT $3 FOR UPDATE SKIP LOCKED)
                RETURNING *
                """
            if holding == 0 {
                let alone = try db.fetchAll(UploadJob.self, take.replacingOccurrences(of: "%@", with: "TRUE"), [worker, lease, 1])
                if !alone.isEmpty { return alone }
            }
            return try db.fetchAll(UploadJob.self, take.replacingOccurrences(of: "%@", with: "FALSE"), [worker, lease, limit])
                .sorted { ($0.runAfter, $0.uploadID) < ($1.runAfter, $1.uploadID) }
        }
    }

    /// Renews the leases of the jobs this worker holds; returns those it no longer holds (a
    /// rescuer gave them to another worker: stop working on them, their result would be a duplicate).
    public func heartbeat(_ uploadIDs: [String]) throws -> Set<String> {
        guard !uploadIDs.isEmpty else { return [] }
        let renewed = try akte.write { db in
            try db.query(
                """
                UPDATE jobs SET leaseUntil = now() + make_interval(secs => $1::double precision)
                WHERE uploadID = ANY($2::text[]) AND lockedBy = $3 AND state = 'running' RETURNING uploadID
                """, [lease, PostgresAkte.textArray(uploadIDs), worker]
            ).map { try $0.string("uploadID") }
        }
        return Set(uploadIDs).subtracting(renewed)
    }

    /// A try failed. `causedByFile` false (the database, a full disk, a stop) does not count it.
    /// After the last counted try the job is quarantined with `code`.
    public func fail(uploadID: String, error: String, code: String, causedByFile: Bool) throws -> JobRetry {
        try akte.write { db in
            guard
                let job = try db.fetchOne(
                    UploadJob.self, "SELECT * FROM jobs WHERE uploadID = $1 AND lockedBy = $2 AND state = 'running' FOR UPDATE",
                    [uploadID, worker])
            else { throw AkteError.invalidInput("job \(uploadID) is not held by \(worker) (its lease ran out and another worker took it)") }
            let attempt = causedByFile ? job.attempt : job.attempt - 1
            if attempt >= job.maxAttempts {
                try db.query(
                    """
                    UPDATE jobs SET state = 'quarantined', attempt = $1, lastError = $2, refusalCode = $3, lockedBy = NULL,
                        leaseUntil = NULL, finishedAt = now() WHERE uploadID = $4
                    """, [attempt, error, code, uploadID])
                return .quarantined(code: code)
            }
            let delay = causedByFile ? backoff(attempt) : 1
            let at = try db.query(
                """
                UPDATE jobs SET state = 'available', attempt = $1, lastError = $2, lockedBy = NULL, leaseUntil = NULL,
                    claimAlone = FALSE, runAfter = now() + make_interval(secs => $3::double precision)
                WHERE uploadID = $4 RETURNING runAfter
                """, [attempt, error, delay, uploadID]
            ).first?.date("runAfter")
            return .retry(at: at ?? Date())
        }
    }

    /// Sets a job aside for good with a refusal code, whatever its tries (the file was read and
    /// refused: not a PDF or image, too many pages …). Returns false when this worker no longer holds it.
    @discardableResult
    public func setAside(uploadID: String, code: String, reason: String) throws -> Bool {
        try akte.write { db in
            !(try db.query(
                """
                UPDATE jobs SET state = 'quarantined', refusalCode = $1, lastError = $2, lockedBy = NULL, leaseUntil = NULL,
                    finishedAt = now() WHERE uploadID = $3 AND state IN ('available', 'running') RETURNING uploadID
                """, [code, reason, uploadID])).isEmpty
        }
    }

    /// Gives back the jobs whose lease ran out (their worker died or hangs). Any worker runs it,
    /// e.g. before claiming; rows another rescuer has locked are skipped. A job keeps its place
    /// (`runAfter` as it was): it comes back before the backlog that arrived after it, so that a
    /// killed worker's upload is filed about a lease later, not after everything queued since.
    @discardableResult
    public func rescueExpiredLeases() throws -> LeaseRescue {
        try akte.write { db in
            let expired = try db.fetchAll(
                UploadJob.self, "SELECT * FROM jobs WHERE state = 'running' AND leaseUntil < now() FOR UPDATE SKIP LOCKED")
            var rescue = LeaseRescue()
            for (_, jobs) in Dictionary(grouping: expired, by: { $0.lockedBy ?? "" }) {
                let alone = jobs.count == 1
                for job in jobs {
                    // Alone in hand: the file may have killed its worker, the try counts.
                    let attempt = alone ? job.attempt : job.attempt - 1
                    if alone && attempt >= job.maxAttempts {
                        try db.query(
                            """
                            UPDATE jobs SET state = 'quarantined', refusalCode = 'crashed_repeatedly',
                                lastError = 'the worker died while this file was alone in hand, ' || attempt || ' times',
                                lockedBy = NULL, leaseUntil = NULL, finishedAt = now() WHERE uploadID = $1
                            """, [job.uploadID])
                        rescue.quarantined.append(job.uploadID)
                    } else {
                        try db.query(
                            """
                            UPDATE jobs SET state = 'available', attempt = $1, claimAlone = TRUE, lockedBy = NULL, leaseUntil = NULL,
                                lastError = 'its worker stopped renewing the lease' WHERE uploadID = $2
                            """, [attempt, job.uploadID])
                        rescue.requeued.append(job.uploadID)
                    }
                }
            }
            if !rescue.requeued.isEmpty { try db.query("SELECT pg_notify($1, 'rescued')", [Self.channel]) }
            rescue.requeued.sort()
            rescue.quarantined.sort()
            return rescue
        }
    }

    /// Waits until a job may be available: a notification, or `timeout` seconds (the poll
    /// fallback: a notification lost with a dropped connection costs at most one interval).
    /// True when notified.
    public func waitForWork(timeout: TimeInterval) throws -> Bool {
        do {
            if listener == nil || listener?.isBroken == true {
                let connection = try PostgresConnection(url: akte.url, password: akte.password)
                try connection.listen(Self.channel)
                listener = connection
            }
            return try !(listener!.waitForNotifications(timeout: timeout)).isEmpty
        } catch {
            listener = nil
            throw error
        }
    }

    /// One job by upload id.
    public func job(_ uploadID: String) throws -> UploadJob? {
        try akte.read { db in try db.fetchOne(UploadJob.self, "SELECT * FROM jobs WHERE uploadID = $1", [uploadID]) }
    }

    /// How many jobs are in each state.
    public func counts() throws -> [String: Int] {
        try akte.read { db in
            Dictionary(
                try db.query("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state").map { (try $0.string("state"), try $0.int("n")) },
                uniquingKeysWith: +)
        }
    }

    /// Ends a job inside a store transaction (filing: `done`; a refusal: `refused` with its code).
    static func finish(_ uploadID: String, state: String, code: String?, reason: String?, _ db: PostgresConnection) throws {
        try db.query(
            """
            UPDATE jobs SET state = $1, refusalCode = $2, lastError = $3, lockedBy = NULL, leaseUntil = NULL, finishedAt = now()
            WHERE uploadID = $4 AND state IN ('available', 'running')
            """, [state, code, reason, uploadID])
    }
}

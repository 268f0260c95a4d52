import Akte
import Foundation
import SpoolFiles
import Imaging
import OCR

/// The daemon on the shared work queue (the E-Akte on PostgreSQL, issue 17): workers on any host
/// claim uploads from `jobs`, read each from the blob store, and file it in the transaction that
/// ends the job. The local spool folder still takes files (a scanning centre's drop folder):
/// what arrives there is put into the blob store and the queue, and then worked on by whichever
/// worker claims it.
extension Daemon {
    /// The workers on the shared queue (see `run`), with the local inbox feeding it.
    func runOnQueue(_ dispatcher: JobDispatcher, pool: EnginePool) async {
        dispatcher.start()
        let keeper = Task { await self.housekeeping() }
        defer { keeper.cancel() }
        let intake = Task { await self.feedQueue(dispatcher.queue) }
        if isStopping { dispatcher.stop() }
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<options.workers {
                group.addTask { await self.workJobs(worker: index + 1, pool: pool, dispatcher: dispatcher) }
            }
        }
        await intake.value
        dispatcher.end()
    }

    private func workJobs(worker: Int, pool: EnginePool, dispatcher: JobDispatcher) async {
        while let job = await dispatcher.next() {
            metrics.adjustInProgress(by: 1)
            await handle(job, worker: worker, pool: pool, queue: dispatcher.queue)
            dispatcher.finished(job.uploadID)
            metrics.adjustInProgress(by: -1)
        }
    }

    // MARK: - The spool feeds the queue

    /// Moves what arrives in the local inbox into the blob store and the shared queue.
    private func feedQueue(_ queue: PostgresWorkQueue) async {
        while let upload = await scheduler.next() {
            await enqueue(upload, queue: queue)
            await scheduler.finished(upload.uploadID)
        }
    }

    /// The original first, then its queue row (unique by upload id): a crash in between leaves
    /// the file in processing/, and the redo puts the same blob and finds or makes the same row.
    private func enqueue(_ upload: ClaimedUpload, queue: PostgresWorkQueue) async {
        if let refusal = upload.refusal {
            quarantine(upload, sha256: "", tries: 0, stage: "spool", code: refusal.code, reason: refusal.reason)
            return
        }
        do {
            let sha256 = try await blobs.put(fileAt: upload.file)
            try queue.enqueue(
                uploadID: upload.uploadID, sha256: sha256, filename: upload.originalName,
                channel: upload.sidecar?.channel ?? "spool",
                sidecarJSON: Sidecar.queued(upload.sidecar, problem: upload.sidecarProblem), receivedAt: upload.receivedAt,
                maxAttempts: options.maxTries)
            spool.finish(upload)
            log.log("queued", ["file": .string(upload.originalName), "upload_id": .string(upload.uploadID), "sha256": .string(sha256)])
        } catch let failure as any BlobStoreFailure {
            logBlobStoreAway(upload, failure)
            await scheduler.retryLater(upload, after: 5)
        } catch {
            log.log("queue_unavailable", level: "error", [
                "file": .string(upload.originalName), "reason": .string("\(error)"), "retry_in_s": .number(5),
            ])
            await scheduler.retryLater(upload, after: 5)
        }
    }

    // MARK: - One job

    /// Works one claimed job to its end: filed (the filing ends the job), given back for another
    /// try, or set aside with its refusal code.
    private func handle(_ job: UploadJob, worker: Int, pool: EnginePool, queue: PostgresWorkQueue) async {
        let carried = Sidecar.fromQueue(job.sidecarJSON)
        let file = directory.processScratch.appendingPathComponent(
            "job-" + job.uploadID + Spool.separator + UploadName.sanitized(job.filename))
        defer { try? FileManager.default.removeItem(at: file) }
        var upload = ClaimedUpload(
            uploadID: job.uploadID, originalName: job.filename, file: file, receivedAt: job.receivedAt, sidecar: carried.sidecar,
            sidecarProblem: carried.problem, lock: nil, refusal: nil, identity: nil)
        upload.alone = job.claimAlone
        do {
            let data = try await blobs.read(sha256: job.sha256)
            try data.write(to: file, options: .atomic)
            chmod(file.path, 0o600)
        } catch let failure as any BlobStoreFailure {
            logBlobStoreAway(upload, failure)
            await giveBack(job, upload: upload, stage: "blobs", error: failure.description, counted: false, queue: queue)
            return
        } catch {
            // The original is missing or damaged in the blob store: tried again, then set aside.
            await giveBack(job, upload: upload, stage: "blobs", error: "\(error)", counted: true, queue: queue)
            return
        }
        do {
            try akte.recordReceived(
                uploadID: job.uploadID, sha256: job.sha256, filename: job.filename, channel: job.channel,
                receivedAt: job.receivedAt, submitter: carried.sidecar?.submitter, note: carried.sidecar?.note)
            try akte.markProcessing(uploadID: job.uploadID)
        } catch {
            log.log("store_error", level: "error", ["file": .string(job.filename), "reason": .string("\(error)")])
            await giveBack(job, upload: upload, stage: "store", error: "\(error)", counted: false, queue: queue)
            return
        }
        switch await readAndFile(upload, sha256: job.sha256, worker: worker, pool: pool) {
        case .filed:
            break  // the filing transaction ended the job
        case .retry(let stage, let error):
            await giveBack(job, upload: upload, stage: stage, error: error, counted: true, queue: queue)
        case .refused(let stage, let code, let reason):
            quarantine(upload, sha256: job.sha256, tries: job.attempt, stage: stage, code: code, reason: reason)
            do {
                try queue.setAside(uploadID: job.uploadID, code: code, reason: reason)
            } catch {
                log.log("queue_unavailable", level: "error", ["upload_id": .string(job.uploadID), "reason": .string("\(error)")])
            }
        case .blobStoreAway(let failure):
            logBlobStoreAway(upload, failure)
            await giveBack(job, upload: upload, stage: "filing", error: failure.description, counted: false, queue: queue)
        case .databaseAway(let stage, let error):
            await giveBack(job, upload: upload, stage: stage, error: error, counted: false, queue: queue)
        }
    }

    /// Hands a job back for another try (`counted`: the file's fault, with backoff; otherwise
    /// soon and free); after its last counted try it is set aside as `failed_repeatedly`.
    /// While the database is away this is tried again for up to half a lease: a job left running
    /// would be taken over only when its lease runs out, and then counted as a crash in hand.
    private func giveBack(
        _ job: UploadJob, upload: ClaimedUpload, stage: String, error: String, counted: Bool, queue: PostgresWorkQueue
    ) async {
        var outcome: JobRetry?
        let deadline = Date().addingTimeInterval(queue.lease / 2)
        do {
            while outcome == nil {
                do {
                    outcome = try queue.fail(uploadID: job.uploadID, error: error, code: "failed_repeatedly", causedByFile: counted)
                } catch where AkteError.isDatabaseOutage(error) && Date() < deadline {
                    try? await Task.sleep(nanoseconds: 250_000_000)
                }
            }
            switch outcome! {
            case .retry(let at):
                log.log("retry", level: "warning", [
                    "file": .string(job.filename), "upload_id": .string(job.uploadID), "stage": .string(stage),
                    "reason": .string(error), "try": .number(Double(job.attempt)), "counted": .bool(counted),
                    "again_in_s": .number(max(0, at.timeIntervalSinceNow).rounded()),
                ])
            case .quarantined(let code):
                quarantine(upload, sha256: job.sha256, tries: job.attempt, stage: stage, code: code, reason: error)
            }
        } catch {
            log.log("queue_unavailable", level: "error", [
                "upload_id": .string(job.uploadID), "reason": .string("\(error)"),
                "meaning": "the lease runs out and another worker takes the job over",
            ])
        }
    }

    /// Records in the E-Akte a job the rescuer set aside (its worker died with it alone in hand,
    /// for the last time), so that the sender's status lookup says so.
    static func recordSetAside(_ uploadID: String, queue: PostgresWorkQueue, akte: any AkteStore, metrics: DaemonMetrics, log: EventLog) {
        guard let job = try? queue.job(uploadID) else { return }
        let reason = "processing stopped \(job.attempt) times without finishing; set aside so that it cannot stop the service again"
        try? akte.recordRefused(
            uploadID: uploadID, sha256: job.sha256, filename: job.filename, channel: job.channel, receivedAt: job.receivedAt,
            reason: reason, stage: "unknown")
        metrics.documentFinished(outcome: "quarantined", timingsMs: [:])
        log.log("quarantined", level: "warning", [
            "file": .string(job.filename), "upload_id": .string(uploadID), "sha256": .string(job.sha256), "stage": "unknown",
            "code": "crashed_repeatedly", "reason": .string(reason),
        ])
    }
}

extension Sidecar {
    /// The sidecar as a queue row carries it: its JSON, or `{"problem": …}` when the file had one
    /// that could not be used; nil when there was none.
    static func queued(_ sidecar: Sidecar?, problem: String?) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let problem { return (try? encoder.encode(["problem": problem])).map { String(decoding: $0, as: UTF8.self) } }
        return sidecar.flatMap { try? encoder.encode($0) }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The sidecar (or its problem) back from a queue row.
    static func fromQueue(_ json: String?) -> (sidecar: Sidecar?, problem: String?) {
        guard let data = json?.data(using: .utf8) else { return (nil, nil) }
        if let problem = (try? JSONDecoder().decode([String: String].self, from: data))?["problem"] { return (nil, problem) }
        guard let sidecar = try? JSONDecoder().decode(Sidecar.self, from: data) else {
            return (nil, "Begleitdaten in der Warteschlange unlesbar")
        }
        return (sidecar, nil)
    }
}

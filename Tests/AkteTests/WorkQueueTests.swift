import Foundation
import Testing

@testable import Akte

/// The work queue on PostgreSQL, against a real server: claims never overlap, a dead worker's
/// jobs are taken over when its lease runs out, a crash counts only against a file that was
/// alone in hand, filing ends the job in its own transaction, a notification wakes a waiting worker.
@Suite("Work queue (PostgreSQL)")
struct WorkQueueTests {
    private func queue(_ fixture: AkteFixture, _ worker: String, lease: TimeInterval = 30) throws -> PostgresWorkQueue {
        let akte = try #require(try fixture.openStore() as? PostgresAkte)
        return PostgresWorkQueue(akte: akte, worker: worker, lease: lease, backoff: { attempt in Double(attempt) * 0 })
    }

    private func enqueue(_ queue: PostgresWorkQueue, _ ids: [String], maxAttempts: Int = 3) throws {
        for id in ids {
            try queue.enqueue(
                uploadID: id, sha256: AkteFixture.sha(id), filename: "\(id).pdf", channel: "app", sidecarJSON: nil,
                receivedAt: AkteFixture.now, maxAttempts: maxAttempts)
        }
    }

    @Test("an upload is queued once; workers on several hosts claim every job exactly once, none twice")
    func claimsDoNotOverlap() throws {
        let fixture = try AkteFixture(.postgres)
        let producer = try queue(fixture, "front-1")
        let ids = (0..<60).map { "up-\($0)" }
        try enqueue(producer, ids)
        #expect(try producer.enqueue(uploadID: "up-0", sha256: AkteFixture.sha("up-0"), filename: "x", channel: "app", sidecarJSON: nil, receivedAt: AkteFixture.now) == false)
        let workers = try (0..<4).map { try queue(fixture, "host-\($0):1") }
        let claimed = Claimed()
        DispatchQueue.concurrentPerform(iterations: 4) { index in
            while let jobs = try? workers[index].claim(limit: 3, holding: 0), !jobs.isEmpty {
                claimed.add(jobs.map(\.uploadID))
            }
        }
        #expect(claimed.all.sorted() == ids.sorted())
        #expect(try producer.counts() == ["running": 60])
        #expect(try producer.job("up-7")?.attempt == 1)
    }

    @Test("a killed worker's jobs are taken over after its lease; held together they retry alone and uncounted")
    func deadWorkerIsRescued() throws {
        let fixture = try AkteFixture(.postgres)
        let dead = try queue(fixture, "host-a:1", lease: 0.5)
        let alive = try queue(fixture, "host-b:1", lease: 30)
        try enqueue(dead, ["u1", "u2", "u3"])
        let held = try dead.claim(limit: 2, holding: 0)
        #expect(held.count == 2)
        // The other host takes what is free, and cannot take what the dead one holds.
        #expect(try alive.claim(limit: 5, holding: 0).map(\.uploadID) == ["u3"])
        #expect(try alive.rescueExpiredLeases() == LeaseRescue())
        usleep(800_000)  // host-a was killed: no heartbeat
        let rescue = try alive.rescueExpiredLeases()
        #expect(rescue.requeued == held.map(\.uploadID).sorted())
        // A worker holding something gets none of them; one holding nothing gets one, alone.
        #expect(try alive.claim(limit: 5, holding: 1).isEmpty)
        let retried = try alive.claim(limit: 5, holding: 0)
        #expect(retried.count == 1)
        #expect(retried.first?.attempt == 1)  // the crash was not counted against it
        #expect(retried.first?.claimAlone == true)
        // The dead worker's late heartbeat learns it lost the jobs.
        #expect(try dead.heartbeat(held.map(\.uploadID)) == Set(held.map(\.uploadID)))
    }

    @Test("a file that kills its worker while alone in hand is set aside as crashed_repeatedly after the last try")
    func crashingFileQuarantined() throws {
        let fixture = try AkteFixture(.postgres)
        let rescuer = try queue(fixture, "rescuer:1")
        try enqueue(rescuer, ["poison"], maxAttempts: 2)
        for round in 1...2 {
            let victim = try queue(fixture, "victim-\(round):1", lease: 0.3)
            #expect(try victim.claim(limit: 1, holding: 0).map(\.uploadID) == ["poison"])
            usleep(500_000)
            let rescue = try rescuer.rescueExpiredLeases()
            #expect(round == 1 ? rescue.requeued == ["poison"] : rescue.quarantined == ["poison"])
        }
        let job = try #require(try rescuer.job("poison"))
        #expect(job.state == "quarantined")
        #expect(job.refusalCode == "crashed_repeatedly")
        #expect(job.attempt == 2)
    }

    @Test("a heartbeat keeps the lease: a slow worker's job is not taken over")
    func heartbeatKeepsLease() throws {
        let fixture = try AkteFixture(.postgres)
        let slow = try queue(fixture, "slow:1", lease: 0.6)
        let other = try queue(fixture, "other:1")
        try enqueue(slow, ["big"])
        _ = try slow.claim(limit: 1, holding: 0)
        for _ in 0..<4 {
            usleep(300_000)
            #expect(try slow.heartbeat(["big"]).isEmpty)
            #expect(try other.rescueExpiredLeases() == LeaseRescue())
        }
        #expect(try slow.job("big")?.lockedBy == "slow:1")
    }

    @Test("failed tries come back after a backoff; a failure not caused by the file is not counted; the last try quarantines")
    func retriesAndQuarantine() throws {
        let fixture = try AkteFixture(.postgres)
        let akte = try #require(try fixture.openStore() as? PostgresAkte)
        let worker = PostgresWorkQueue(akte: akte, worker: "w:1", backoff: { attempt in 3600 * Double(attempt) })
        try enqueue(worker, ["flaky"], maxAttempts: 2)
        _ = try worker.claim(limit: 1, holding: 0)
        guard case .retry(let at) = try worker.fail(uploadID: "flaky", error: "OCR failed", code: "ocr_failed", causedByFile: true) else {
            Issue.record("expected a retry")
            return
        }
        #expect(at > Date().addingTimeInterval(3000))
        #expect(try worker.claim(limit: 1, holding: 0).isEmpty)  // not before its time
        try fixture.rawSQL("UPDATE jobs SET runAfter = now() WHERE uploadID = 'flaky'")
        _ = try worker.claim(limit: 1, holding: 0)
        #expect(try worker.fail(uploadID: "flaky", error: "database gone", code: "store_error", causedByFile: false) != .quarantined(code: "store_error"))
        #expect(try worker.job("flaky")?.attempt == 1)
        try fixture.rawSQL("UPDATE jobs SET runAfter = now() WHERE uploadID = 'flaky'")
        _ = try worker.claim(limit: 1, holding: 0)
        #expect(try worker.fail(uploadID: "flaky", error: "OCR failed", code: "ocr_failed", causedByFile: true) == .quarantined(code: "ocr_failed"))
        #expect(try worker.job("flaky")?.state == "quarantined")
    }

    @Test("filing ends the job in the same transaction; refusing ends it as refused with the stage")
    func filingEndsJob() throws {
        let fixture = try AkteFixture(.postgres)
        let worker = try queue(fixture, "w:1")
        _ = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        try enqueue(worker, ["upload-1", "bad"])
        _ = try worker.claim(limit: 2, holding: 0)
        _ = try fixture.store.file(AkteFixture.mietvertrag(uploadID: "upload-1"))
        #expect(try worker.job("upload-1")?.state == "done")
        try fixture.store.recordReceived(
            uploadID: "bad", sha256: AkteFixture.sha("bad"), filename: "bad.pdf", channel: "app", receivedAt: AkteFixture.now,
            submitter: nil)
        try fixture.store.markRefused(uploadID: "bad", reason: "damaged PDF", stage: "decode")
        let refused = try #require(try worker.job("bad"))
        #expect(refused.state == "refused" && refused.refusalCode == "decode")
        #expect(try worker.counts() == ["done": 1, "refused": 1])
    }

    @Test("an enqueued upload wakes a waiting worker at once; with nothing queued it waits out the poll interval")
    func notifyWakes() throws {
        let fixture = try AkteFixture(.postgres)
        let waiting = try queue(fixture, "idle:1")
        let producer = try queue(fixture, "front:1")
        #expect(try waiting.waitForWork(timeout: 0.2) == false)  // subscribes, nothing comes
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { try? self.enqueue(producer, ["wake-up"]) }
        let started = Date()
        #expect(try waiting.waitForWork(timeout: 10) == true)
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(try waiting.claim(limit: 1, holding: 0).map(\.uploadID) == ["wake-up"])
    }
}

private final class Claimed: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ ids: [String]) { lock.withLock { items += ids } }
    var all: [String] { lock.withLock { items } }
}

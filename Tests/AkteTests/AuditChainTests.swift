import Foundation
import Testing

@testable import Akte

@Suite("Audit trail")
struct AuditChainTests {
    /// A store with a few entries: received, classified, filed, viewed, exported (seq 1…5).
    private func fixtureWithTrail(_ backend: AkteBackend) throws -> (AkteFixture, String) {
        let fixture = try AkteFixture(backend)
        _ = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        let id = try fixture.store.file(AkteFixture.mietvertrag()).documentID
        _ = try fixture.store.document(id: id, viewer: "sb-42")
        try fixture.store.recordExport(documentID: id, by: "sb-42")
        return (fixture, id)
    }

    @Test("an untouched trail verifies, each entry chained to the one before", arguments: AkteBackend.allCases)
    func intact(_ backend: AkteBackend) throws {
        let (fixture, id) = try fixtureWithTrail(backend)
        let report = try fixture.store.verifyAuditChain()
        #expect(report.isIntact)
        #expect(report.checkedEntries == 5)
        let trail = try fixture.store.auditTrail(documentID: id)
        #expect(trail.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(trail.first?.previousHash == String(repeating: "0", count: 64))
        for (previous, entry) in zip(trail, trail.dropFirst()) {
            #expect(entry.previousHash == previous.hash)
        }
        #expect(report.headHash == trail.last?.hash)
        #expect(trail.last?.action == .exported)
        #expect(trail.last?.at == AkteFixture.now)
    }

    @Test("the triggers refuse UPDATE and DELETE on the trail", arguments: AkteBackend.allCases)
    func appendOnly(_ backend: AkteBackend) throws {
        let (fixture, _) = try fixtureWithTrail(backend)
        #expect(throws: (any Error).self) { try fixture.rawSQL("UPDATE audit SET actor = 'mallory' WHERE seq = 2") }
        #expect(throws: (any Error).self) { try fixture.rawSQL("DELETE FROM audit WHERE seq = 2") }
        #expect(try fixture.store.verifyAuditChain().isIntact)
    }

    @Test("an entry edited behind the triggers' back is found", arguments: AkteBackend.allCases)
    func detectsEdit(_ backend: AkteBackend) throws {
        let (fixture, _) = try fixtureWithTrail(backend)
        try fixture.rawSQLWithoutAuditGuards("UPDATE audit SET actor = 'mallory' WHERE seq = 4;")
        let report = try fixture.store.verifyAuditChain()
        #expect(report.firstBreak == AuditChainReport.Break(seq: 4, problem: .altered))
        #expect(report.checkedEntries == 3)
    }

    @Test("an entry edited with its hash recomputed breaks the link to the next one", arguments: AkteBackend.allCases)
    func detectsRehashedEdit(_ backend: AkteBackend) throws {
        let (fixture, id) = try fixtureWithTrail(backend)
        var forged = try #require(try fixture.store.auditTrail(documentID: id).first { $0.seq == 2 })
        let record = AuditRecord(
            seq: forged.seq, at: forged.at.formatted(AuditChain.timestampStyle), actor: "mallory",
            action: forged.action.rawValue, documentID: forged.documentID, uploadID: forged.uploadID,
            details: forged.details, previousHash: forged.previousHash, hash: "")
        forged.hash = AuditChain.hash(of: record)
        try fixture.rawSQLWithoutAuditGuards("UPDATE audit SET actor = 'mallory', hash = '\(forged.hash)' WHERE seq = 2;")
        #expect(try fixture.store.verifyAuditChain().firstBreak == AuditChainReport.Break(seq: 3, problem: .brokenLink))
    }

    @Test("a deleted entry is reported as missing, in the middle and at the end", arguments: AkteBackend.allCases)
    func detectsDeletion(_ backend: AkteBackend) throws {
        let (fixture, _) = try fixtureWithTrail(backend)
        try fixture.rawSQLWithoutAuditGuards("DELETE FROM audit WHERE seq = 3;")
        #expect(try fixture.store.verifyAuditChain().firstBreak == AuditChainReport.Break(seq: 3, problem: .missing))

        let (tail, id) = try fixtureWithTrail(backend)
        try tail.rawSQLWithoutAuditGuards("DELETE FROM audit WHERE seq = 5;")
        #expect(try tail.store.verifyAuditChain().firstBreak == AuditChainReport.Break(seq: 5, problem: .missing))
        // Writing on after the cut does not hide it.
        try tail.store.recordExport(documentID: id, by: "sb-42")
        #expect(try tail.store.verifyAuditChain().firstBreak == AuditChainReport.Break(seq: 5, problem: .missing))
    }
}

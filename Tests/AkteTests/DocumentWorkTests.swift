import Foundation
import Testing

@testable import Akte

/// A document's work: state, assignment, notes, Wiedervorlage — stored, listed when
/// due, every change audited by who made it.
@Suite("Document work")
struct DocumentWorkTests {
    private func fixtureWithDocument(_ backend: AkteBackend) throws -> (AkteFixture, String) {
        let fixture = try AkteFixture(backend)
        _ = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        try fixture.store.addCaseworker(
            username: "anna", roles: [.sachbearbeitung], passwordHash: try PasswordHash.make("richtig-geheim-2025", iterations: 1_000),
            by: "admin")
        return (fixture, try fixture.store.file(AkteFixture.mietvertrag()).documentID)
    }

    @Test("a document is neu until taken; assigning takes it into work; notes, follow-up and erledigt are kept and audited", arguments: AkteBackend.allCases)
    func lifecycle(_ backend: AkteBackend) throws {
        let (fixture, id) = try fixtureWithDocument(backend)
        let store = fixture.store
        #expect(try store.documentWork(id: id) == DocumentWork.new(id))

        try store.assignWork(documentID: id, to: "anna", by: "sb-1")
        var work = try store.documentWork(id: id)
        #expect(work.state == .inProgress)
        #expect(work.assignee == "anna")
        #expect(work.updatedBy == "sb-1")
        try store.addNote(documentID: id, text: "  Vermieter anrufen wegen Nebenkosten  ", by: "anna")
        try store.setFollowUp(documentID: id, day: "2025-03-01", by: "anna")
        try store.assignWork(documentID: id, to: "team:leistung-2", by: "anna")
        try store.setWorkState(documentID: id, to: .done, by: "anna")
        try store.setWorkState(documentID: id, to: .done, by: "anna")  // no change, no entry
        work = try store.documentWork(id: id)
        #expect(work.state == .done)
        #expect(work.assignee == "team:leistung-2")
        #expect(work.followUp == "2025-03-01")
        #expect(work.notes.map(\.text) == ["Vermieter anrufen wegen Nebenkosten"])
        #expect(work.notes.first?.author == "anna")

        let trail = try store.auditTrail(documentID: id).filter { ![.received, .classified, .filed].contains($0.action) }
        #expect(trail.map(\.action) == [.workAssigned, .noteAdded, .followUpSet, .workAssigned, .workStateChanged])
        #expect(trail.map(\.actor) == ["sb-1", "anna", "anna", "anna", "anna"])
        #expect(!trail[1].details.contains("Vermieter"))  // the note's text stays with the document
        #expect(trail[4].detailValues["from"] == "in_bearbeitung")
        #expect(trail[4].detailValues["to"] == "erledigt")
        #expect(try store.verifyAuditChain().isIntact)
    }

    @Test("unknown people, bad team names, impossible days, empty notes and unknown documents are refused with the reason", arguments: AkteBackend.allCases)
    func refusals(_ backend: AkteBackend) throws {
        let (fixture, id) = try fixtureWithDocument(backend)
        let store = fixture.store
        #expect(throws: AkteError.self) { try store.assignWork(documentID: id, to: "niemand", by: "anna") }
        #expect(throws: AkteError.self) { try store.assignWork(documentID: id, to: "team:<b>", by: "anna") }
        #expect(throws: AkteError.self) { try store.setFollowUp(documentID: id, day: "2025-02-30", by: "anna") }
        #expect(throws: AkteError.self) { try store.addNote(documentID: id, text: "   ", by: "anna") }
        #expect(throws: AkteError.self) { try store.setWorkState(documentID: "kein-dokument", to: .done, by: "anna") }
        #expect(throws: AkteError.self) { try WorkState.parse("fertig") }
        #expect(try WorkState.parse("in Bearbeitung") == .inProgress)
        #expect(DocumentWork.isoDay("1.3.2025") == "2025-03-01")
        #expect(DocumentWork.isoDay("morgen") == nil)
        #expect(try store.documentWork(id: id) == DocumentWork.new(id))
    }

    @Test("the Wiedervorlage lists what is due and not erledigt, earliest first", arguments: AkteBackend.allCases)
    func due(_ backend: AkteBackend) throws {
        let (fixture, first) = try fixtureWithDocument(backend)
        let store = fixture.store
        let second = try store.file(AkteFixture.mietvertrag(uploadID: "upload-2", bytes: "other-bytes")).documentID
        try store.setFollowUp(documentID: first, day: "2025-03-05", by: "anna")
        try store.setFollowUp(documentID: second, day: "2025-03-01", by: "anna")
        #expect(try store.dueFollowUps(onOrBefore: "2025-02-28", includeHealthData: false).isEmpty)
        #expect(try store.dueFollowUps(onOrBefore: "2025-03-05", includeHealthData: false).map(\.entry.summary.id) == [second, first])
        try store.setWorkState(documentID: second, to: .done, by: "anna")
        #expect(try store.dueFollowUps(onOrBefore: "2025-03-31", includeHealthData: false).map(\.entry.summary.id) == [first])
    }
}

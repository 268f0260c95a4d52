import Akte
import Foundation
import Testing

@testable import Findings

@Suite("Findings: marked as checked")
struct FindingReviewTests {
    @Test("a caseworker marks a finding 'geprüft' with a note: audited, kept by key, values unchanged")
    func markReviewed() throws {
        let fixture = try FindingsFixture()
        let id = try fixture.file("kuendigung", ["gekuendigt_durch": "arbeitgeber"], received: "2025-03-03")
        let finding = try #require(try fixture.findings().first)
        #expect(finding.isOpen)
        #expect(finding.key == "notice_received:\(id)")

        try fixture.store.markFindingReviewed(
            bgNummer: FindingsFixture.bg, findingKey: finding.key, code: finding.code.rawValue, documentIDs: finding.documentIDs,
            note: "Neue Stelle ab 01.04. bekannt", by: "sb-42")

        let reviewed = try #require(try fixture.findings().first)
        #expect(reviewed.review?.note == "Neue Stelle ab 01.04. bekannt")
        #expect(reviewed.review?.reviewedBy == "sb-42")
        #expect(reviewed.message == finding.message)
        let trail = try fixture.store.auditTrail(documentID: id)
        #expect(trail.last?.action == .findingReviewed)
        #expect(trail.last?.details.contains("Neue Stelle") == true)
        #expect(try fixture.store.verifyAuditChain().isIntact)
        // The document's fields are as they were.
        let fields = try fixture.store.caseworkerInbox(InboxFilter(caseID: FindingsFixture.bg)).first?.fields.map(\.value)
        #expect(fields == ["arbeitgeber"])
    }

    @Test("no note, an unknown case or a document of another case is refused")
    func refused() throws {
        let fixture = try FindingsFixture()
        let id = try fixture.file("kuendigung", [:], received: "2025-03-03")
        #expect(throws: AkteError.self) {
            try fixture.store.markFindingReviewed(
                bgNummer: FindingsFixture.bg, findingKey: "notice_received:\(id)", code: "notice_received", documentIDs: [id],
                note: "  ", by: "sb-42")
        }
        #expect(throws: AkteError.self) {
            try fixture.store.markFindingReviewed(
                bgNummer: "96301BG0099999", findingKey: "notice_received:\(id)", code: "notice_received", documentIDs: [id],
                note: "ok", by: "sb-42")
        }
        #expect(throws: AkteError.self) {
            try fixture.store.markFindingReviewed(
                bgNummer: FindingsFixture.bg, findingKey: "notice_received:x", code: "notice_received", documentIDs: ["x"],
                note: "ok", by: "sb-42")
        }
    }
}

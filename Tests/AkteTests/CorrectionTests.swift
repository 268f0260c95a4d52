import Foundation
import Testing

@testable import Akte

@Suite("Corrections")
struct CorrectionTests {
    @Test("corrections change the effective values, leave the machine's, and are audited", arguments: AkteBackend.allCases)
    func keptApartAndAudited(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        _ = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        let id = try fixture.store.file(AkteFixture.mietvertrag(status: .needsReview)).documentID

        try fixture.store.assign(documentID: id, caseID: "96301BG0099999", by: "sb-7")
        try fixture.store.reclassify(documentID: id, to: "mietbescheinigung", by: "sb-7")
        try fixture.store.setField(documentID: id, key: "gesamtmiete", value: "630.00", by: "sb-7")
        try fixture.store.setField(documentID: id, key: "wohnflaeche", value: "54.5", by: "sb-7")
        try fixture.store.resolveReview(documentID: id, by: "sb-7", note: "Summe korrigiert")

        let document = try fixture.store.document(id: id, viewer: "sb-7")
        #expect(
            document.machine
                == DocumentDecision(documentClass: "mietvertrag", status: .needsReview, caseID: "96301BG0012345"))
        #expect(
            document.effective
                == DocumentDecision(documentClass: "mietbescheinigung", status: .filed, caseID: "96301BG0099999"))
        let gesamtmiete = try #require(document.fields.first { $0.key == "gesamtmiete" })
        #expect(
            gesamtmiete
                == DocumentField(
                    key: "gesamtmiete", machineValue: "640.00", value: "630.00", doubtful: false,
                    reason: "450.00 + 120.00 + 60.00 ≠ 640.00", corrected: true))
        #expect(
            document.fields.last
                == DocumentField(
                    key: "wohnflaeche", machineValue: nil, value: "54.5", doubtful: false, reason: nil, corrected: true)
        )
        #expect(document.fields.first { $0.key == "kaltmiete" }?.corrected == false)

        #expect(try fixture.store.documents(inCase: "96301BG0099999").map(\.id) == [id])
        #expect(try fixture.store.documents(inCase: "96301BG0012345").isEmpty)
        #expect(try fixture.store.reviewQueue().isEmpty)

        let trail = try fixture.store.auditTrail(documentID: id)
        #expect(
            trail.map(\.action) == [
                .received, .classified, .movedToReview, .corrected, .corrected, .corrected, .corrected, .reviewResolved,
                .viewed,
            ])
        #expect(trail[3].actor == "sb-7")
        #expect(trail[3].details == #"{"from":"96301BG0012345","to":"96301BG0099999","what":"case"}"#)

        let corrections = try fixture.store.corrections(since: nil)
        #expect(corrections.map(\.kind) == [.caseAssignment, .documentClass, .field, .field, .review])
        #expect(corrections[1].machineValue == "mietvertrag")
        #expect(corrections[1].newValue == "mietbescheinigung")
        #expect(corrections.allSatisfy { $0.at == AkteFixture.now && $0.actor == "sb-7" })
        #expect(try fixture.store.corrections(since: AkteFixture.now.addingTimeInterval(1)).isEmpty)
    }

    @Test("a later field correction records what held before it, not only the machine's value", arguments: AkteBackend.allCases)
    func secondFieldCorrection(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        _ = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        let id = try fixture.store.file(AkteFixture.mietvertrag()).documentID
        try fixture.store.setField(documentID: id, key: "kaltmiete", value: "460.00", by: "sb-1")
        try fixture.store.setField(documentID: id, key: "kaltmiete", value: "470.00", by: "sb-2")
        try fixture.store.setField(documentID: id, key: "kaltmiete", value: "470.00", by: "sb-3")  // no change

        let corrections = try fixture.store.corrections(since: nil)
        #expect(corrections.map(\.previousValue) == ["450.00", "460.00"])
        #expect(corrections.map(\.machineValue) == ["450.00", "450.00"])
        #expect(
            try fixture.store.document(id: id, viewer: "sb-2").fields.first { $0.key == "kaltmiete" }?.value == "470.00"
        )
    }

    @Test("corrections name what is wrong: unknown document, unknown case, no case, not in review", arguments: AkteBackend.allCases)
    func refusals(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        _ = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        let filed = try fixture.store.file(AkteFixture.mietvertrag()).documentID
        let caseless = try fixture.store.file(AkteFixture.mietvertrag(uploadID: "u2", bytes: "x", caseID: nil))
            .documentID

        #expect(throws: AkteError.unknownDocument("nope")) {
            try fixture.store.reclassify(documentID: "nope", to: "x", by: "sb")
        }
        #expect(throws: AkteError.unknownCase("96301BG0000000")) {
            try fixture.store.assign(documentID: filed, caseID: "96301BG0000000", by: "sb")
        }
        #expect(throws: AkteError.notInReview(documentID: filed, status: .filed)) {
            try fixture.store.resolveReview(documentID: filed, by: "sb", note: nil)
        }
        #expect(throws: AkteError.noCaseAssigned(documentID: caseless)) {
            try fixture.store.resolveReview(documentID: caseless, by: "sb", note: nil)
        }
        #expect(throws: AkteError.unknownDocument("nope")) { try fixture.store.document(id: "nope", viewer: "sb") }
        #expect(try fixture.store.corrections(since: nil).isEmpty)
        #expect(AkteError.unknownCase("96301BG0000000").description.contains("import the current register"))
    }
}

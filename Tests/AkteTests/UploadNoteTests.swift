import Foundation
import Testing

@testable import Akte

/// The note a citizen sends with an upload is kept and reaches the caseworker with the
/// document, once per upload that brought it.
@Suite("The citizen's upload note")
struct UploadNoteTests {
    @Test("kept with the upload, trimmed, on the document's receipt; a second upload of the same bytes brings its own")
    func noteReachesTheDocument() throws {
        let fixture = try AkteFixture()
        _ = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        let sha = AkteFixture.sha("mietvertrag-bytes")
        try fixture.store.recordReceived(
            uploadID: "upload-1", sha256: sha, filename: "IMG_0042.jpeg", channel: "app", receivedAt: AkteFixture.now,
            submitter: nil, note: "  Der neue Mietvertrag ab Mai.\n")
        let first = try fixture.store.file(AkteFixture.mietvertrag(uploadID: "upload-1"))
        try fixture.store.recordReceived(
            uploadID: "upload-2", sha256: sha, filename: "nochmal.jpeg", channel: "app",
            receivedAt: AkteFixture.now.addingTimeInterval(60), submitter: nil, note: "   ")
        let second = try fixture.store.file(AkteFixture.mietvertrag(uploadID: "upload-2"))
        #expect(second.documentID == first.documentID)

        let document = try fixture.store.document(id: first.documentID, viewer: "anna")
        #expect(document.receipts.map(\.note) == ["Der neue Mietvertrag ab Mai.", nil])
        // Not in the audit trail: it is the citizen's content, not an event.
        let trail = try fixture.store.auditTrail(documentID: first.documentID)
        #expect(!trail.contains { $0.detailValues.values.contains { $0.contains("Mietvertrag ab Mai") } })
    }

    @Test("a note longer than 2000 characters (a sidecar's) is cut, not refused")
    func longNoteIsCut() {
        #expect(UploadNote.stored(String(repeating: "ä", count: 2500))?.count == 2000)
        #expect(UploadNote.stored(nil) == nil)
        #expect(UploadNote.stored("\n \t") == nil)
    }
}

import Foundation
import Testing

@testable import Akte

@Suite("Filing")
struct FilingTests {
    @Test("a document is filed with its pages, fields, receipt and audit trail", arguments: AkteBackend.allCases)
    func filesDocument(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        _ = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        let outcome = try fixture.store.file(AkteFixture.mietvertrag())
        guard case .filed(let id) = outcome else {
            Issue.record("expected .filed, got \(outcome)")
            return
        }

        let document = try fixture.store.document(id: id, viewer: "sb-42")
        #expect(
            document.effective
                == DocumentDecision(documentClass: "mietvertrag", status: .filed, caseID: "96301BG0012345"))
        #expect(document.pageTexts == ["Seite eins", "Seite zwei"])
        #expect(document.fields.map(\.key) == ["gesamtmiete", "kaltmiete"])
        #expect(document.fields.first?.doubtful == true)
        #expect(document.receipts.map(\.uploadID) == ["upload-1"])
        #expect(document.receivedAt == Date(timeIntervalSince1970: 1_739_000_000))
        #expect(try fixture.store.documents(inCase: "96301BG0012345").map(\.id) == [id])
        #expect(
            try fixture.store.auditTrail(documentID: id).map(\.action) == [.received, .classified, .filed, .viewed])
        #expect(try fixture.store.auditTrail(documentID: id).last?.actor == "sb-42")
    }

    @Test("the same bytes uploaded twice are one document with two receipts", arguments: AkteBackend.allCases)
    func sameBytesTwice(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        _ = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        let first = try fixture.store.file(AkteFixture.mietvertrag(uploadID: "upload-1"))
        let second = try fixture.store.file(
            AkteFixture.mietvertrag(uploadID: "upload-2", receivedAt: Date(timeIntervalSince1970: 1_739_500_000)))

        #expect(second == .duplicate(documentID: first.documentID))
        #expect(try fixture.store.inbox(since: nil, caseID: nil, limit: 10).count == 1)
        let document = try fixture.store.document(id: first.documentID, viewer: "sb-42")
        #expect(document.receipts.map(\.uploadID) == ["upload-1", "upload-2"])
        #expect(
            document.receipts.map(\.receivedAt)
                == [1_739_000_000, 1_739_500_000].map(Date.init(timeIntervalSince1970:)))
        // The legal Eingangsdatum stays the first upload's.
        #expect(document.receivedAt == Date(timeIntervalSince1970: 1_739_000_000))
        #expect(try fixture.store.uploadStatus(idOrSha: "upload-2")?.documentID == first.documentID)
    }

    @Test("filing the same upload again (a retried job) files nothing new", arguments: AkteBackend.allCases)
    func sameUploadTwice(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        _ = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        let first = try fixture.store.file(AkteFixture.mietvertrag(uploadID: "upload-1"))
        let auditBefore = try fixture.store.verifyAuditChain().checkedEntries

        let again = try fixture.store.file(AkteFixture.mietvertrag(uploadID: "upload-1"))

        #expect(again == .alreadyFiled(documentID: first.documentID))
        #expect(try fixture.store.inbox(since: nil, caseID: nil, limit: 10).count == 1)
        #expect(try fixture.store.verifyAuditChain().checkedEntries == auditBefore)
    }

    @Test("a case the register does not know sends the document to review instead of filing it", arguments: AkteBackend.allCases)
    func unknownCaseGoesToReview(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        _ = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        let outcome = try fixture.store.file(AkteFixture.mietvertrag(caseID: "96301BG0000001"))

        let document = try fixture.store.document(id: outcome.documentID, viewer: "sb-42")
        #expect(document.machine.caseID == "96301BG0000001")
        #expect(document.effective.caseID == nil)
        #expect(document.effective.status == .needsReview)
        #expect(document.reviewReasons == ["Der Fall 96301BG0000001 steht nicht im Fallregister"])
        #expect(try fixture.store.reviewQueue().map(\.id) == [outcome.documentID])
        #expect(try fixture.store.documents(inCase: "96301BG0000001").isEmpty)
    }

    @Test("inbox lists newest first and filters by time and case", arguments: AkteBackend.allCases)
    func inbox(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        _ = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        let old = try fixture.store.file(
            AkteFixture.mietvertrag(uploadID: "u1", bytes: "a", receivedAt: Date(timeIntervalSince1970: 1_700_000_000)))
        let new = try fixture.store.file(
            AkteFixture.mietvertrag(uploadID: "u2", bytes: "b", receivedAt: Date(timeIntervalSince1970: 1_730_000_000)))
        let other = try fixture.store.file(
            AkteFixture.mietvertrag(
                uploadID: "u3", bytes: "c", caseID: "96301BG0099999",
                receivedAt: Date(timeIntervalSince1970: 1_720_000_000)))

        #expect(
            try fixture.store.inbox(since: nil, caseID: nil, limit: 10).map(\.id)
                == [new.documentID, other.documentID, old.documentID])
        #expect(
            try fixture.store.inbox(
                since: Date(timeIntervalSince1970: 1_710_000_000), caseID: "96301BG0012345", limit: 10
            )
            .map(\.id) == [new.documentID])
        #expect(try fixture.store.inbox(since: nil, caseID: nil, limit: 1).map(\.id) == [new.documentID])
    }

    @Test("malformed documents are refused with what to fix", arguments: AkteBackend.allCases)
    func validation(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        var document = AkteFixture.mietvertrag()
        document.fields.append(NewField(key: "kaltmiete", value: "1.00"))
        #expect(throws: AkteError.invalidInput("upload upload-1: field 'kaltmiete' appears twice")) {
            try fixture.store.file(document)
        }
        document = AkteFixture.mietvertrag()
        document.sha256 = "not-a-hash"
        #expect(throws: AkteError.invalidSha256("not-a-hash")) { try fixture.store.file(document) }
    }
}

@Suite("Upload status")
struct UploadStatusTests {
    @Test("an upload goes received → processing → filed, and is found by id and by hash", arguments: AkteBackend.allCases)
    func lifecycle(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        _ = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        let sha = AkteFixture.sha("mietvertrag-bytes")
        let receivedAt = Date(timeIntervalSince1970: 1_739_000_000)
        try fixture.store.recordReceived(
            uploadID: "upload-1", sha256: sha, filename: "IMG_0042.jpeg", channel: "app", receivedAt: receivedAt,
            submitter: "citizen-app")
        #expect(try fixture.store.uploadStatus(idOrSha: "upload-1")?.state == .received)

        try fixture.store.markProcessing(uploadID: "upload-1")
        #expect(try fixture.store.uploadStatus(idOrSha: "upload-1")?.state == .processing)

        let outcome = try fixture.store.file(AkteFixture.mietvertrag(uploadID: "upload-1"))
        let status = try #require(try fixture.store.uploadStatus(idOrSha: "upload-1"))
        #expect(
            status
                == UploadStatus(
                    uploadID: "upload-1", sha256: sha, state: .filed, reason: nil, stage: nil,
                    documentID: outcome.documentID, receivedAt: receivedAt))
        #expect(try fixture.store.uploadStatus(idOrSha: sha) == status)
        #expect(try fixture.store.uploadStatus(idOrSha: sha.uppercased()) == status)

        // The received event written at intake belongs to the document's trail, and is not repeated.
        #expect(
            try fixture.store.auditTrail(documentID: outcome.documentID).map(\.action)
                == [.received, .classified, .filed])
        // A worker that crashed after filing marks it processing again: it stays filed.
        try fixture.store.markProcessing(uploadID: "upload-1")
        #expect(try fixture.store.uploadStatus(idOrSha: "upload-1")?.state == .filed)
    }

    @Test("a refused upload tells why and where; a filed one cannot be refused", arguments: AkteBackend.allCases)
    func refused(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        try fixture.store.recordReceived(
            uploadID: "bad", sha256: AkteFixture.sha("gif"), filename: "x.gif", channel: "email",
            receivedAt: AkteFixture.now, submitter: nil)
        try fixture.store.markRefused(uploadID: "bad", reason: "unsupported image format 'image/gif'", stage: "decode")
        let status = try #require(try fixture.store.uploadStatus(idOrSha: "bad"))
        #expect(status.state == .refused)
        #expect(status.reason == "unsupported image format 'image/gif'")
        #expect(status.stage == "decode")

        #expect(throws: AkteError.unknownUpload("nope")) {
            try fixture.store.markRefused(uploadID: "nope", reason: "x", stage: "y")
        }
        let filed = try fixture.store.file(AkteFixture.mietvertrag(uploadID: "good", status: .needsReview))
        #expect(throws: AkteError.uploadAlreadyFiled(uploadID: "good", documentID: filed.documentID)) {
            try fixture.store.markRefused(uploadID: "good", reason: "late", stage: "ocr")
        }
        #expect(try fixture.store.uploadStatus(idOrSha: "good")?.state == .needsReview)
        #expect(try fixture.store.uploadStatus(idOrSha: "good")?.reason?.contains("class confidence below 0.8") == true)
    }

    @Test("a status lookup never answers with another upload's data", arguments: AkteBackend.allCases)
    func noLeakBetweenUploads(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        _ = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        let sha = AkteFixture.sha("mietvertrag-bytes")
        try fixture.store.recordReceived(
            uploadID: "from-a", sha256: sha, filename: "a.jpeg", channel: "app",
            receivedAt: Date(timeIntervalSince1970: 1_739_000_000), submitter: "a")
        try fixture.store.recordReceived(
            uploadID: "from-b", sha256: sha, filename: "b.jpeg", channel: "email",
            receivedAt: Date(timeIntervalSince1970: 1_739_100_000), submitter: "b")
        let document = try fixture.store.file(AkteFixture.mietvertrag(uploadID: "from-a"))
        _ = try fixture.store.file(AkteFixture.mietvertrag(uploadID: "from-b"))

        let b = try #require(try fixture.store.uploadStatus(idOrSha: "from-b"))
        #expect(b.uploadID == "from-b")
        #expect(b.receivedAt == Date(timeIntervalSince1970: 1_739_100_000))
        let byHash = try #require(try fixture.store.uploadStatus(idOrSha: sha))
        #expect(byHash.uploadID == nil)
        #expect(byHash.receivedAt == nil)
        #expect(byHash.documentID == document.documentID)
        #expect(try fixture.store.uploadStatus(idOrSha: "from") == nil)
        #expect(try fixture.store.uploadStatus(idOrSha: "%") == nil)
        #expect(try fixture.store.uploadStatus(idOrSha: AkteFixture.sha("other bytes")) == nil)
        #expect(
            throws: AkteError.uploadIDConflict(uploadID: "from-a", recordedSha256: sha, newSha256: AkteFixture.sha("x"))
        ) {
            try fixture.store.recordReceived(
                uploadID: "from-a", sha256: AkteFixture.sha("x"), filename: "a.jpeg", channel: "app",
                receivedAt: AkteFixture.now, submitter: "a")
        }
    }
}

@Suite("Filing from several workers")
struct ConcurrentFilingTests {
    @Test("workers filing the same bytes at once make one document and the rest receipts", arguments: AkteBackend.allCases)
    func sameBytesAtOnce(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        _ = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        let store = fixture.store
        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            if let outcome = try? store.file(AkteFixture.mietvertrag(uploadID: "upload-\(index)")) {
                outcomes.append(outcome)
            }
        }
        let all = outcomes.all
        let filed = all.filter { if case .filed = $0 { return true } else { return false } }
        #expect(all.count == 8)
        #expect(filed.count == 1)
        #expect(Set(all.map(\.documentID)).count == 1)
        #expect(try store.document(id: all[0].documentID, viewer: "sb-1").receipts.count == 8)
        #expect(try store.verifyAuditChain().isIntact)
    }
}

/// Outcomes collected from several threads.
private final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [FilingOutcome] = []

    func append(_ outcome: FilingOutcome) { lock.withLock { items.append(outcome) } }
    var all: [FilingOutcome] { lock.withLock { items } }
}

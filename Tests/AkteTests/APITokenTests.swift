import Foundation
import Testing

@testable import Akte

@Suite struct APITokenTests {
    @Test("a token is stored only as its SHA-256: the secret is not in the database file, yet it finds its token until revoked", arguments: AkteBackend.allCases)
    func storedHashed(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        let store = fixture.store
        let issued = try store.issueAPIToken(client: "jobcenter-app", caseID: nil, ratePerMinute: 30, by: "operator")
        #expect(issued.secret.hasPrefix("pst_") && issued.secret.count == 68)
        #expect(try store.apiToken(secret: issued.secret) == issued.token)
        #expect(try store.apiToken(secret: issued.secret + "0") == nil)
        let bytes = try fixture.storedBytes()
        #expect(bytes.range(of: Data(issued.secret.utf8)) == nil)
        #expect(bytes.range(of: Data(SHA256Hex.of(issued.secret).utf8)) != nil)

        let revoked = try store.revokeAPIToken(id: issued.token.id, by: "operator")
        #expect(revoked.isRevoked)
        #expect(try store.apiToken(secret: issued.secret) == nil)
        #expect(throws: AkteError.self) { try store.revokeAPIToken(id: issued.token.id, by: "operator") }
        #expect(try store.apiTokens().map(\.id) == [issued.token.id])
    }

    @Test("a token for a household not in the register, a bad client name or rate is refused with the reason", arguments: AkteBackend.allCases)
    func refusesBadTokens(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        let store = fixture.store
        #expect(throws: AkteError.unknownCase("96301BG0000001")) {
            try store.issueAPIToken(client: "app", caseID: "96301BG0000001", ratePerMinute: 10, by: "op")
        }
        for name in ["", "bad name", "ümlaut", String(repeating: "x", count: 65)] {
            #expect(throws: AkteError.self) { try store.issueAPIToken(client: name, caseID: nil, ratePerMinute: 10, by: "op") }
        }
        #expect(throws: AkteError.self) { try store.issueAPIToken(client: "app", caseID: nil, ratePerMinute: 0, by: "op") }
    }

    @Test("the first answer to an idempotency key is stored with the upload and returned instead of a second record", arguments: AkteBackend.allCases)
    func idempotentRecord(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        let store = fixture.store
        let token = try store.issueAPIToken(client: "portal", caseID: nil, ratePerMinute: 10, by: "op").token
        func upload(_ id: String) -> APIUpload {
            APIUpload(
                uploadID: id, tokenID: token.id, client: "portal", caseID: nil, fileName: "a.pdf", bytes: 3,
                sha256: SHA256Hex.of(id), acceptedAt: AkteFixture.now,
                parts: [APIUploadPart(fileName: "a.pdf", format: "pdf", bytes: 3, sha256: SHA256Hex.of(id))])
        }
        let answer = StoredAPIAnswer(requestSha256: "f1", uploadID: "u-1", httpStatus: 202, responseJSON: "{}")
        #expect(try store.recordAPIUpload(upload("u-1"), idempotencyKey: "k", answer: answer) == nil)
        #expect(try store.recordAPIUpload(upload("u-2"), idempotencyKey: "k", answer: answer) == answer)
        #expect(try store.apiUpload(id: "u-2") == nil)
        #expect(try store.apiUpload(id: "u-1")?.parts.count == 1)
        #expect(try store.storedAPIAnswer(tokenID: token.id, key: "k") == answer)
        #expect(try store.apiUploadCount() == 1)
    }

    @Test("an upload refused before it was recorded gets a refused status with the reason; a filed one stays filed", arguments: AkteBackend.allCases)
    func refusedBeforeRecorded(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        let store = fixture.store
        try store.recordRefused(
            uploadID: "u-link", sha256: "", filename: "x.jpg", channel: "spool", receivedAt: AkteFixture.now,
            reason: "the upload is a symbolic link", stage: "spool")
        let status = try #require(try store.uploadStatus(idOrSha: "u-link"))
        #expect(status.state == .refused)
        #expect(status.reason == "the upload is a symbolic link")
    }
}

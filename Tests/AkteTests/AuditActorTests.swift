import Foundation
import Testing

@testable import Akte

/// The audit actor is who authenticated; what a client only claims is kept beside it;
/// logins, account and token administration leave entries; the trail can be read by case, actor,
/// time and action, and still verifies.
@Suite("Audit actors and the audit log")
struct AuditActorTests {
    @Test("a submitter the client names is a claim in the details; the actor is the channel that delivered", arguments: AkteBackend.allCases)
    func submitterIsAClaim(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        let forged = "<b onmouseover=alert(1)>demo</b>"
        try fixture.store.recordReceived(
            uploadID: "upload-claim", sha256: AkteFixture.sha("claimed"), filename: "scan.pdf", channel: "jobcenter-app",
            receivedAt: AkteFixture.now, submitter: forged)
        let entries = try fixture.store.auditLog(AuditLogFilter(actions: [.received]))
        let entry = try #require(entries.first)
        #expect(entry.actor == "jobcenter-app")
        #expect(entry.detailValues["claimedSubmitter"] == forged)
        #expect(try fixture.store.auditLog(AuditLogFilter(actor: forged)).isEmpty)
        #expect(try fixture.store.verifyAuditChain().isIntact)
    }

    @Test("logins, failed logins, logouts, account and token changes are audited with who did them", arguments: AkteBackend.allCases)
    func administrationAndLogins(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        let store = fixture.store
        _ = try store.importRegister(AkteFixture.register, rejected: [])
        let hash = try PasswordHash.make("richtig-geheim-2025", iterations: 1_000)
        try store.addCaseworker(username: "anna", roles: [.sachbearbeitung], passwordHash: hash, by: "admin")
        #expect(try store.login(username: "anna", password: "falsch", address: "192.0.2.7") == .rejected)
        #expect(try store.login(username: "niemand", password: "falsch", address: "192.0.2.7") == .rejected)
        guard case .success = try store.login(username: "anna", password: "richtig-geheim-2025", address: "192.0.2.8") else {
            Issue.record("right password refused")
            return
        }
        try store.openSession(sessionID: "s-1", username: "anna", csrfToken: "t")
        try store.closeSession(sessionID: "s-1")
        try store.setCaseworkerPassword(username: "anna", passwordHash: hash, by: "admin")
        try store.setCaseworkerDisabled(username: "anna", true, by: "admin")
        let token = try store.issueAPIToken(client: "portal", caseID: nil, ratePerMinute: 10, by: "admin").token
        _ = try store.revokeAPIToken(id: token.id, by: "admin")

        let trail = try store.auditLog(AuditLogFilter())
        let actions = trail.map { "\($0.actor) \($0.action.rawValue)" }
        #expect(
            actions == [
                "admin user_added", "anonym login_failed", "anonym login_failed", "anna login", "anna logout",
                "admin user_changed", "admin user_changed", "admin token_issued", "admin token_revoked",
            ])
        #expect(trail[1].detailValues["claimedUsername"] == "anna")
        #expect(trail[1].detailValues["reason"] == "wrong_password")
        #expect(trail[1].detailValues["address"] == "192.0.2.7")
        #expect(trail[2].detailValues["reason"] == "unknown_user")
        #expect(trail[3].detailValues["address"] == "192.0.2.8")
        #expect(trail[6].detailValues["change"] == "disabled")
        #expect(trail[8].detailValues["tokenID"] == token.id)
        #expect(try store.verifyAuditChain().isIntact)
    }

    @Test("ten wrong passwords lock nobody out: the store checks passwords, throttling is the server's", arguments: AkteBackend.allCases)
    func noLockout(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        let store = fixture.store
        try store.addCaseworker(
            username: "anna", roles: [.sachbearbeitung], passwordHash: try PasswordHash.make("richtig-geheim-2025", iterations: 1_000),
            by: "admin")
        for _ in 1...10 { #expect(try store.login(username: "anna", password: "falsch") == .rejected) }
        guard case .success = try store.login(username: "anna", password: "richtig-geheim-2025") else {
            Issue.record("the right password was refused after failures: an attacker could lock caseworkers out")
            return
        }
    }

    @Test("the log by household answers who saw its documents; by actor and time it narrows", arguments: AkteBackend.allCases)
    func logByCase(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        let store = fixture.store
        _ = try store.importRegister(AkteFixture.register, rejected: [])
        let id = try store.file(AkteFixture.mietvertrag()).documentID
        _ = try store.document(id: id, viewer: "sb-42")
        try store.recordView(documentID: id, by: "sb-7", what: "original")
        try store.recordExport(documentID: id, by: "sb-42")

        let views = try store.auditLog(AuditLogFilter(caseID: "96301BG0012345", actions: AuditAction.documentAccess))
        #expect(views.map(\.actor) == ["sb-42", "sb-7", "sb-42"])
        #expect(views.map(\.action) == [.viewed, .viewed, .exported])
        #expect(try store.auditLog(AuditLogFilter(caseID: "96301BG0099999")).isEmpty)
        #expect(try store.auditLog(AuditLogFilter(caseID: "96301BG0012345")).count > views.count)
        #expect(try store.auditLog(AuditLogFilter(actor: "sb-7")).map(\.action) == [.viewed])
        #expect(try store.auditLog(AuditLogFilter(since: AkteFixture.now.addingTimeInterval(1))).isEmpty)
        #expect(try store.auditLog(AuditLogFilter(since: AkteFixture.now)).count == store.auditLog(AuditLogFilter()).count)
        #expect(try store.auditLog(AuditLogFilter(limit: 2)).map(\.seq) == [5, 6])
    }
}

import Akte
import Foundation
import PosteingangTestKit
import Testing

/// Caseworkers' accounts and sessions in the E-Akte, and the `users` command.
@Suite(.tags(.process), .slow) struct WebAccountsTests {
    /// A clock the test moves by hand.
    final class TestClock: @unchecked Sendable {
        private let lock = NSLock()
        private var current = Date(timeIntervalSince1970: 1_750_000_000)
        var now: Date { lock.withLock { current } }
        func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
    }

    private func store() throws -> (SQLiteAkte, TestClock, URL) {
        let folder = try TestKit.temporaryDirectory("web")
        let clock = TestClock()
        let akte = try SQLiteAkte(path: folder.appendingPathComponent("akte.sqlite").path, clock: { clock.now })
        return (akte, clock, folder)
    }

    @Test("a password hash is PBKDF2-SHA256 with its own salt and verifies only the right password")
    func passwordHash() throws {
        let first = try PasswordHash.make("ein-langes-passwort", iterations: 1_000)
        let second = try PasswordHash.make("ein-langes-passwort", iterations: 1_000)
        #expect(first.hasPrefix("pbkdf2-sha256$1000$"))
        #expect(first != second)
        #expect(PasswordHash.verify("ein-langes-passwort", against: first))
        #expect(!PasswordHash.verify("ein-langes-passworT", against: first))
        #expect(!PasswordHash.verify("", against: first))
        #expect(!PasswordHash.verify("ein-langes-passwort", against: "pbkdf2-sha256$1000$bad"))
        #expect(PasswordHash.defaultIterations >= 600_000)
        // RFC 7914 section 11 test vector for PBKDF2-HMAC-SHA256 (P="passwd", S="salt", c=1, 64 bytes: first 32 here).
        let vector = "pbkdf2-sha256$1$" + Data("salt".utf8).base64EncodedString() + "$"
            + Data([
                0x55, 0xac, 0x04, 0x6e, 0x56, 0xe3, 0x08, 0x9f, 0xec, 0x16, 0x91, 0xc2, 0x25, 0x44, 0xb6, 0x05,
                0xf9, 0x41, 0x85, 0x21, 0x6d, 0xde, 0x04, 0x65, 0xe6, 0x8b, 0x9d, 0x57, 0xc2, 0x0d, 0xac, 0xbc,
            ]).base64EncodedString()
        #expect(PasswordHash.verify("passwd", against: vector))
        #expect(throws: AkteError.self) { try PasswordHash.checkStrength("kurz") }
    }

    @Test("a session ends after an idle hour, at logout, and when its account is disabled")
    func sessions() throws {
        let (akte, clock, folder) = try store()
        defer { try? FileManager.default.removeItem(at: folder) }
        try akte.addCaseworker(
            username: "anna", roles: [.sachbearbeitung], passwordHash: try PasswordHash.make("richtig-geheim-2025", iterations: 1_000),
            by: "admin")
        guard case .success = try akte.login(username: "anna", password: "richtig-geheim-2025") else {
            Issue.record("right password refused")
            return
        }
        try akte.openSession(sessionID: "session-one", username: "anna", csrfToken: "token-one")
        #expect(try akte.session(sessionID: "session-one")?.account.username == "anna")
        #expect(try akte.session(sessionID: "session-one")?.csrfToken == "token-one")
        #expect(try akte.session(sessionID: "someone-else") == nil)

        clock.advance(50 * 60)
        #expect(try akte.session(sessionID: "session-one") != nil)  // renewed: idle time counts from here
        clock.advance(61 * 60)
        #expect(try akte.session(sessionID: "session-one") == nil)

        try akte.openSession(sessionID: "session-two", username: "anna", csrfToken: "token-two")
        try akte.closeSession(sessionID: "session-two")
        #expect(try akte.session(sessionID: "session-two") == nil)

        try akte.openSession(sessionID: "session-three", username: "anna", csrfToken: "token-three")
        try akte.setCaseworkerDisabled(username: "anna", true, by: "admin")
        #expect(try akte.session(sessionID: "session-three") == nil)
        #expect(try akte.login(username: "anna", password: "richtig-geheim-2025") == .disabled)
    }

    @Test("users add, list, passwd and disable through the command line; bad input names what is accepted")
    func usersCommand() throws {
        let folder = try TestKit.temporaryDirectory("web")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.path
        try WebTestSupport.posteingang(
            ["users", "add", "anna", "--role", "sachbearbeitung", "gesundheit", "--password-stdin", "--data-dir", data],
            input: "richtig-geheim-2025\n")
        let list = try WebTestSupport.posteingang(["users", "list", "--data-dir", data])
        #expect(list.contains("anna"))
        #expect(list.contains("gesundheit,sachbearbeitung"))
        #expect(list.contains("active"))

        let badRole = try TestKit.run(["users", "add", "bert", "--role", "chef", "--password-stdin", "--data-dir", data], input: "richtig-geheim-2025\n")
        #expect(badRole.status != 0)
        #expect(badRole.stderr.contains("accepted: sachbearbeitung, gesundheit"))
        let shortPassword = try TestKit.run(["users", "add", "bert", "--role", "sachbearbeitung", "--password-stdin", "--data-dir", data], input: "kurz\n")
        #expect(shortPassword.status != 0)
        #expect(shortPassword.stderr.contains("at least 12"))
        let twice = try TestKit.run(["users", "add", "anna", "--role", "sachbearbeitung", "--password-stdin", "--data-dir", data],
            input: "richtig-geheim-2025\n")
        #expect(twice.status != 0)
        #expect(twice.stderr.contains("exists already"))

        try WebTestSupport.posteingang(["users", "passwd", "anna", "--password-stdin", "--data-dir", data], input: "ganz-neues-passwort\n")
        let akte = try SQLiteAkte(path: folder.appendingPathComponent("akte.sqlite").path)
        guard case .success = try akte.login(username: "anna", password: "ganz-neues-passwort") else {
            Issue.record("new password refused")
            return
        }
        #expect(try akte.login(username: "anna", password: "richtig-geheim-2025") == .rejected)
        try WebTestSupport.posteingang(["users", "disable", "anna", "--data-dir", data])
        #expect(try WebTestSupport.posteingang(["users", "list", "--data-dir", data]).contains("disabled"))
        #expect(try akte.login(username: "anna", password: "ganz-neues-passwort") == .disabled)

        // Every change to an account is in the audit trail, readable with `audit log`.
        let log = try WebTestSupport.posteingang(["audit", "log", "--data-dir", data, "--json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(log.utf8)) as? [[String: Any]])
        let changes = entries.filter { ["user_added", "user_changed"].contains($0["action"] as? String) }
        #expect(changes.map { $0["action"] as? String } == ["user_added", "user_changed", "user_changed"])
        #expect(changes.map { ($0["details"] as? [String: Any])?["change"] as? String } == [nil, "password", "disabled"])
        let text = try WebTestSupport.posteingang(["audit", "log", "--data-dir", data, "--action", "login_failed"])
        #expect(text.split(separator: "\n").count == 2)  // the old password after passwd, and the disabled account
        #expect(text.contains("claimedUsername=anna"))
        let verify = try WebTestSupport.posteingang(["audit", "verify", "--data-dir", data])
        #expect(verify.contains("intact"))
    }
}

import Akte
import Foundation
import PosteingangTestKit
import Testing

/// Escaping as the pages do it, to find text in them.
enum HTMLText {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}

/// The caseworkers' pages, through a real `posteingang serve` on loopback and an HTTP client
/// with a cookie jar.
@Suite(.tags(.process), .slow) struct WebPagesTests {
    @Test("a wrong password gets 401 and no session; the right one a HttpOnly, SameSite=Strict session cookie")
    func login() throws {
        let server = try WebServer()
        let client = WebClient(server: server)

        let anonymous = try client.get("/posteingang")
        #expect(anonymous.status == 303)
        #expect(anonymous.header("Location")?.hasPrefix("/anmelden") == true)

        let wrong = try client.login("anna", password: "falsches-passwort-123")
        #expect(wrong.status == 401)
        #expect(wrong.text.contains("Benutzername oder Passwort ist falsch"))
        #expect(!wrong.headers("Set-Cookie").contains { $0.hasPrefix("posteingang_session=") })
        let unknown = try client.login("niemand", password: WebServer.password)
        #expect(unknown.status == 401)

        let right = try client.login("anna")
        #expect(right.status == 303)
        #expect(right.header("Location") == "/posteingang")
        let cookie = try #require(right.headers("Set-Cookie").first { $0.hasPrefix("posteingang_session=") })
        #expect(cookie.contains("HttpOnly"))
        #expect(cookie.contains("SameSite=Strict"))
        let inbox = try client.get("/posteingang")
        #expect(inbox.status == 200)
        #expect(inbox.text.contains("anna"))

        // Only the hash of the session id is stored.
        let sessionID = String(cookie.dropFirst("posteingang_session=".count).prefix { $0 != ";" })
        let database = try String(contentsOf: server.dataDir.appendingPathComponent("akte.sqlite"), encoding: .isoLatin1)
        #expect(!database.contains(sessionID))

        // Logout ends the session server-side: the old cookie opens nothing any more.
        #expect(try client.post("/abmelden", [("csrf", try client.sessionToken())]).status == 303)
        let replay = WebClient(server: server)
        try "127.0.0.1\tFALSE\t/\tFALSE\t0\tposteingang_session\t\(sessionID)\n".write(
            to: replay.jar, atomically: true, encoding: .utf8)
        #expect(try replay.get("/posteingang").status == 303)
    }

    @Test("behind TLS (--secure-cookies) the session cookie is marked Secure")
    func secureCookies() throws {
        let server = try WebServer(extraArguments: ["--secure-cookies"])
        let answer = try WebClient(server: server).login("anna")
        #expect(answer.status == 303)
        let cookie = try #require(answer.headers("Set-Cookie").first { $0.hasPrefix("posteingang_session=") })
        #expect(cookie.contains("; Secure"))
    }

    @Test("a doubtful field is marked with its reason in the inbox and on the document page")
    func doubtfulFields() throws {
        let server = try WebServer()
        let ids = try server.file(["konto.pdf": WebTestSupport.statementWithBadIBAN])
        let document = try #require(ids["konto.pdf"])
        let iban = try #require(try server.akte().document(id: document, viewer: "test").fields.first { $0.key == "iban" })
        #expect(iban.doubtful)
        let client = WebClient(server: server)
        try client.login("anna")
        let inbox = try client.get("/posteingang")
        #expect(inbox.text.contains("<li class=\"doubtful\""))
        let page = try client.get("/dokumente/\(document)")
        #expect(page.text.contains("<tr class=\"doubtful\">"))
        #expect(page.text.contains(HTMLText.escape(try #require(iban.reason))))
    }

    @Test("a POST without the session's CSRF token is refused with 403 and changes nothing")
    func csrf() throws {
        let server = try WebServer()
        let ids = try server.file(["lohn.pdf": WebTestSupport.payslip])
        let document = try #require(ids["lohn.pdf"])
        let client = WebClient(server: server)
        try client.login("anna")

        let missing = try client.post("/dokumente/\(document)/feld", [("feld", "brutto"), ("wert", "9.999,00")])
        #expect(missing.status == 403)
        let wrong = try client.post(
            "/dokumente/\(document)/feld", [("csrf", String(repeating: "0", count: 64)), ("feld", "brutto"), ("wert", "9.999,00")])
        #expect(wrong.status == 403)
        let logout = try client.post("/abmelden", [])
        #expect(logout.status == 403)
        // The login form needs its token too.
        let loginWithoutToken = try WebClient(server: server).post(
            "/anmelden", [("benutzer", "anna"), ("passwort", WebServer.password)])
        #expect(loginWithoutToken.status == 403)

        #expect(try server.akte().corrections(since: nil).isEmpty)
        #expect(try client.get("/posteingang").status == 200)
    }

    @Test("the inbox lists documents per case with class, key fields and confidence, and filters")
    func inbox() throws {
        let server = try WebServer()
        _ = try server.file(["lohn.pdf": WebTestSupport.payslip, "konto.pdf": WebTestSupport.ambiguousStatement])
        let client = WebClient(server: server)
        try client.login("anna")

        let all = try client.get("/posteingang")
        #expect(all.status == 200)
        #expect(all.text.contains("Fall <a href=\"/posteingang?fall=96301BG0012345\">96301BG0012345</a>"))
        #expect(all.text.contains("Ohne Fall"))
        #expect(all.text.contains("lohn.pdf"))
        #expect(all.text.contains("konto.pdf"))
        #expect(all.text.contains("2.345,00 €"))
        #expect(all.text.contains("<span class=\"key\">Brutto</span>"))
        #expect(all.text.contains("/vorschau"))

        let payslips = try client.get("/posteingang?klasse=lohnabrechnung")
        #expect(payslips.text.contains("lohn.pdf"))
        #expect(!payslips.text.contains("konto.pdf"))
        let review = try client.get("/posteingang?status=needs_review")
        #expect(review.text.contains("konto.pdf"))
        #expect(!review.text.contains("lohn.pdf"))
        let byCase = try client.get("/posteingang?fall=96301+BG+0012345")
        #expect(byCase.text.contains("lohn.pdf"))
        #expect(!byCase.text.contains("konto.pdf"))
        let future = try client.get("/posteingang?von=2099-01-01")
        #expect(future.text.contains("Keine Dokumente"))

        let badDate = try client.get("/posteingang?von=gestern")
        #expect(badDate.status == 400)
        #expect(badDate.text.contains("kein Datum (erwartet: JJJJ-MM-TT oder TT.MM.JJJJ)"))
        let badStatus = try client.get("/posteingang?status=weg")
        #expect(badStatus.status == 400)
        #expect(badStatus.text.contains("needs_review"))
    }

    @Test("corrections on the document page are stored beside the machine's value and audited")
    func corrections() throws {
        let server = try WebServer()
        let ids = try server.file(["lohn.pdf": WebTestSupport.payslip, "konto.pdf": WebTestSupport.ambiguousStatement])
        let payslip = try #require(ids["lohn.pdf"])
        let statement = try #require(ids["konto.pdf"])
        let client = WebClient(server: server)
        try client.login("anna")
        let token = try client.sessionToken()

        let page = try client.get("/dokumente/\(payslip)")
        #expect(page.status == 200)
        #expect(page.text.contains("Entgeltabrechnung") || page.text.contains("Lohn"))
        #expect(page.text.contains("value=\"2.345,00\""))
        #expect(page.text.contains("<th scope=\"row\">Brutto</th>"))

        let saved = try client.post("/dokumente/\(payslip)/feld", [("csrf", token), ("feld", "brutto"), ("wert", "2.435,00 €")])
        #expect(saved.status == 303)
        let refused = try client.post("/dokumente/\(payslip)/feld", [("csrf", token), ("feld", "brutto"), ("wert", "viel")])
        #expect(refused.status == 400)
        #expect(refused.text.contains("erwartet: ein Betrag"))
        let akte = try server.akte()
        let document = try akte.document(id: payslip, viewer: "test")
        let brutto = try #require(document.fields.first { $0.key == "brutto" })
        #expect(brutto.value == "2435.00")
        #expect(brutto.machineValue == "2345.00")
        #expect(brutto.corrected)
        let corrected = try akte.auditTrail(documentID: payslip).filter { $0.action == .corrected }
        #expect(corrected.count == 1)
        #expect(corrected.first?.actor == "anna")
        #expect(corrected.first?.details.contains("2435.00") == true)

        // From the review queue: one click assigns the statement to a candidate case and files it.
        let queue = try client.get("/pruefung")
        #expect(queue.text.contains("konto.pdf"))
        #expect(queue.text.contains("Zuordnen: 96301BG0012388"))
        let assigned = try client.post("/dokumente/\(statement)/zuordnen", [("csrf", token), ("fall", "96301BG0012388")])
        #expect(assigned.status == 303)
        let after = try akte.document(id: statement, viewer: "test")
        #expect(after.effective.caseID == "96301BG0012388")
        #expect(after.effective.status == .filed)
        #expect(after.machine.caseID == nil)
        let actions = try akte.auditTrail(documentID: statement).filter { $0.actor == "anna" }.map(\.action)
        #expect(actions.contains(.corrected))
        #expect(actions.contains(.reviewResolved))
        #expect(!(try client.get("/pruefung").text.contains("konto.pdf")))

        let unknownCase = try client.post("/dokumente/\(payslip)/fall", [("csrf", token), ("fall", "99999BG9999999")])
        #expect(unknownCase.status == 400)
        #expect(unknownCase.text.contains("nicht im Fallregister"))
        let reclassified = try client.post("/dokumente/\(payslip)/klasse", [("csrf", token), ("klasse", "kontoauszug")])
        #expect(reclassified.status == 303)
        #expect(try akte.document(id: payslip, viewer: "test").effective.documentClass == "kontoauszug")
        #expect(try akte.verifyAuditChain().isIntact)
    }

    @Test("health data is hidden from a caseworker without the role: 403 and an audited refusal")
    func healthData() throws {
        let server = try WebServer()
        let ids = try server.file(["au.pdf": WebTestSupport.sickNote, "lohn.pdf": WebTestSupport.payslip])
        let sickNote = try #require(ids["au.pdf"])
        let anna = WebClient(server: server)
        try anna.login("anna")

        #expect(!(try anna.get("/posteingang").text.contains("au.pdf")))
        #expect(!(try anna.get("/pruefung").text.contains("au.pdf")))
        for path in ["", "/original", "/pdf", "/vorschau", "/seite/1"] {
            #expect(try anna.get("/dokumente/\(sickNote)\(path)").status == 403, "\(path)")
        }
        let token = try anna.sessionToken()
        #expect(try anna.post("/dokumente/\(sickNote)/klasse", [("csrf", token), ("klasse", "sonstiges")]).status == 403)
        let akte = try server.akte()
        let refusals = try akte.auditTrail(documentID: sickNote).filter { $0.action == .accessDenied }
        #expect(refusals.count == 6)
        #expect(refusals.allSatisfy { $0.actor == "anna" })
        #expect(try akte.auditTrail(documentID: sickNote).filter { $0.action == .viewed }.isEmpty)
        #expect(try akte.document(id: sickNote, viewer: "test").effective.documentClass == "au_bescheinigung")

        let gerd = WebClient(server: server)
        try gerd.login("gerd")
        #expect(try gerd.get("/posteingang").text.contains("au.pdf"))
        let page = try gerd.get("/dokumente/\(sickNote)")
        #expect(page.status == 200)
        #expect(page.text.contains("Gesundheitsdaten"))

        // Sick notes always wait for review; gerd closes it from the queue into its case.
        let queue = try gerd.get("/pruefung")
        #expect(queue.text.contains("au.pdf"))
        #expect(queue.text.contains("Prüfung abschließen (Fall 96301BG0012345)"))
        let closed = try gerd.post("/dokumente/\(sickNote)/freigeben", [("csrf", try gerd.sessionToken())])
        #expect(closed.status == 303)
        let after = try akte.document(id: sickNote, viewer: "test")
        #expect(after.effective.status == .filed)
        #expect(after.effective.caseID == "96301BG0012345")
        #expect(try akte.auditTrail(documentID: sickNote).contains { $0.action == .reviewResolved && $0.actor == "gerd" })
    }

    @Test("every view of a document is audited: page, original, searchable PDF, page image, thumbnail")
    func viewsAudited() throws {
        let server = try WebServer()
        let ids = try server.file(["lohn.pdf": WebTestSupport.payslip])
        let document = try #require(ids["lohn.pdf"])
        let client = WebClient(server: server)
        try client.login("anna")

        #expect(try client.get("/dokumente/\(document)").status == 200)
        let original = try client.get("/dokumente/\(document)/original")
        #expect(original.status == 200)
        #expect(original.body == WebTestSupport.payslip)
        #expect(original.header("Content-Type") == "application/pdf")
        #expect(original.header("Cache-Control") == "no-store")
        let thumbnail = try client.get("/dokumente/\(document)/vorschau")
        #expect(thumbnail.status == 200)
        #expect(thumbnail.header("Content-Type") == "image/png")
        #expect(thumbnail.body.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(try client.get("/dokumente/\(document)/seite/1").status == 200)
        #expect(try client.get("/dokumente/\(document)/seite/7").status == 404)

        let views = try server.akte().auditTrail(documentID: document).filter { $0.action == .viewed && $0.actor == "anna" }
        #expect(views.count == 4)
        for what in ["original", "thumbnail", "page_image"] {
            #expect(views.contains { $0.details.contains("\"\(what)\"") }, "\(what)")
        }
    }

    @Test("search finds a document by its text and marks the matches")
    func search() throws {
        let server = try WebServer()
        _ = try server.file(["lohn.pdf": WebTestSupport.payslip])
        let client = WebClient(server: server)
        try client.login("anna")
        let hits = try client.get("/suche?q=Entgeltabrechnung")
        #expect(hits.status == 200)
        #expect(hits.text.contains("1 Treffer"))
        #expect(hits.text.contains("<mark>"))
        #expect(try client.get("/suche?q=Zahnarztrechnung").text.contains("Keine Treffer"))
    }
}

import Akte
import Foundation
import PosteingangTestKit
import Testing

/// Requested documents on the caseworkers' pages and in the API, against a real
/// `posteingang serve`: recorded and taken back on the case page, listed overdue first on
/// `/anforderungen`, read by a household's token at `GET /api/v1/requests`.
@Suite(.tags(.process), .slow) struct WebRequestsTests {
    static let bg = "96301BG0012345"
    static let otherBG = "96301BG0012388"

    @Test("the case page records a request (CSRF, audited), refuses a bad one with the reason, and takes one back")
    func recordAndClose() throws {
        let server = try WebServer()
        let akte = try server.akte()
        let client = WebClient(server: server)
        try client.login("anna")
        let page = try client.get("/faelle/\(Self.bg)")
        #expect(page.text.contains("Angeforderte Unterlagen"))
        #expect(page.text.contains("<option value=\"kontoauszug\">Kontoauszug</option>"))
        #expect(!page.text.contains("<option value=\"au_bescheinigung\""))
        let csrf = try client.sessionToken()
        let due = RequestTestSupport.day(14)

        let forged = try client.post(
            "/faelle/\(Self.bg)/anforderungen", [("klasse", "kontoauszug"), ("monate", "3"), ("faellig", due)])
        #expect(forged.status == 403)
        #expect(try akte.requests(inCase: Self.bg).isEmpty)

        let added = try client.post(
            "/faelle/\(Self.bg)/anforderungen",
            [("csrf", csrf), ("klasse", "kontoauszug"), ("monate", "3"), ("von", ""), ("bis", ""), ("faellig", due), ("notiz", "alle Konten")])
        #expect(added.status == 303)
        let request = try #require(try akte.requests(inCase: Self.bg).first)
        #expect(request.documentClass == "kontoauszug")
        #expect(request.requestedBy == "anna")
        #expect(request.dueDate == due)
        #expect(request.note == "alle Konten")
        #expect(try akte.auditTrail(requestID: request.id).map(\.action) == [.requestAdded])

        let shown = try client.get(try #require(added.header("Location")))
        let period = "Kontoauszug für \(RequestTestSupport.month(-3)) bis \(RequestTestSupport.month(-1))"
        #expect(shown.text.contains("Gespeichert: angefordert: \(period)."))
        #expect(shown.text.contains("<tr class=\"request open\" data-request=\"\(request.id)\">"))
        #expect(shown.text.contains("data-code=\"request_open\" data-request=\"\(request.id)\""))

        for (form, reason) in [
            ([("klasse", "au_bescheinigung"), ("faellig", due)], "geschützte Unterlagen"),
            ([("klasse", "mietvertrag"), ("monate", "2"), ("faellig", due)], "nennt keinen Zeitraum"),
            ([("klasse", "kontoauszug"), ("faellig", RequestTestSupport.day(-2))], "liegt vor dem heutigen Tag"),
            ([("klasse", "kontoauszug"), ("monate", "drei"), ("faellig", due)], "keine Zahl von Monaten"),
        ] {
            let refused = try client.post("/faelle/\(Self.bg)/anforderungen", [("csrf", csrf)] + form)
            #expect(refused.status == 400, "\(form)")
            #expect(refused.text.contains(reason), "\(form): \(refused.text)")
        }
        #expect(try akte.requests(inCase: Self.bg).count == 1)

        let path = "/faelle/\(Self.bg)/anforderungen/\(request.id)/zuruecknehmen"
        #expect(try client.post(path, [("csrf", csrf), ("notiz", "")]).status == 400)
        #expect(try client.post("/faelle/\(Self.otherBG)/anforderungen/\(request.id)/zuruecknehmen", [("csrf", csrf), ("notiz", "x")]).status == 404)
        let closed = try client.post(path, [("csrf", csrf), ("notiz", "kamen per Post")])
        #expect(closed.status == 303)
        #expect(try client.post(path, [("csrf", csrf), ("notiz", "noch einmal")]).status == 409)
        let after = try client.get("/faelle/\(Self.bg)")
        #expect(!after.text.contains("data-request=\"\(request.id)\""))
        #expect(after.text.contains("Keine angeforderten Unterlagen."))
        let trail = try akte.auditTrail(requestID: request.id)
        #expect(trail.map(\.action) == [.requestAdded, .requestClosed])
        #expect(trail.last?.actor == "anna")
        #expect(trail.last?.details.contains("kamen per Post") == true)
    }

    @Test("/anforderungen lists overdue requests first and is linked from the navigation; an overdue one is a finding to check")
    func overdueList() throws {
        let server = try WebServer()
        let akte = try server.akte()
        let open = try akte.addRequest(
            NewDocumentRequest(bgNummer: Self.otherBG, documentClass: "mietbescheinigung", period: nil, dueDate: RequestTestSupport.day(20)),
            by: "anna")
        let overdue = try akte.addRequest(
            NewDocumentRequest(
                bgNummer: Self.bg, documentClass: "lohnabrechnung", period: RequestedPeriod(from: "2025-01-01", to: "2025-02-28"),
                dueDate: RequestTestSupport.day(-3)),
            by: "anna")
        try RequestTestSupport.file("lohnabrechnung", ["abrechnungsmonat": "2025-01", "netto": "1400.00"], caseID: Self.bg, into: akte)
        let client = WebClient(server: server)
        try client.login("anna")

        let list = try client.get("/anforderungen")
        #expect(list.status == 200)
        #expect(list.text.contains("<a href=\"/anforderungen\" aria-current=\"page\">Anforderungen</a>"))
        #expect(list.text.contains("Ausstehend <span class=\"count\">(2, davon 1 überfällig)</span>"))
        let overdueRow = try #require(list.text.range(of: "data-request=\"\(overdue.id)\""))
        let openRow = try #require(list.text.range(of: "data-request=\"\(open.id)\""))
        #expect(overdueRow.lowerBound < openRow.lowerBound)
        #expect(list.text.contains("überfällig seit 3 Tagen"))
        #expect(list.text.contains("fehlt: 02/2025"))

        let casePage = try client.get("/faelle/\(Self.bg)")
        #expect(casePage.text.contains("data-code=\"request_overdue\""))
        #expect(casePage.text.contains("die Frist bis \(Self.german(RequestTestSupport.day(-3))) ist seit 3 Tagen abgelaufen, es fehlt noch 02/2025."))
        #expect(casePage.text.contains("value=\"request_overdue:anforderung-\(overdue.id)+"))  // the "geprüft" form
    }

    @Test("a household's token reads its awaited requests, class and due date only; other tokens are refused")
    func citizenAPI() throws {
        let server = try WebServer()
        let akte = try server.akte()
        let statementsDue = RequestTestSupport.day(10)
        let certificateDue = RequestTestSupport.day(5)
        try akte.addRequest(
            NewDocumentRequest(
                bgNummer: Self.bg, documentClass: "kontoauszug", period: RequestedPeriod(from: "2025-01-01", to: "2025-03-31"),
                dueDate: statementsDue, note: "Girokonto und Sparbuch"),
            by: "anna")
        try akte.addRequest(
            NewDocumentRequest(bgNummer: Self.bg, documentClass: "mietbescheinigung", period: nil, dueDate: certificateDue), by: "anna")
        let closed = try akte.addRequest(
            NewDocumentRequest(bgNummer: Self.bg, documentClass: "meldebescheinigung", period: nil, dueDate: certificateDue), by: "anna")
        try akte.closeRequest(id: closed.id, note: "nicht nötig", by: "anna")
        try akte.addRequest(
            NewDocumentRequest(bgNummer: Self.otherBG, documentClass: "wohngeldbescheid", period: nil, dueDate: certificateDue), by: "anna")

        let household = try ServerTestSupport.token(dataDir: server.dataDir, client: "buerger-app", caseID: Self.bg)
        let channel = try ServerTestSupport.token(dataDir: server.dataDir, client: "scanner-app")
        let url = server.baseURL + "/api/v1/requests"

        let answer = try HTTP.get(url, token: household)
        #expect(answer.status == 200)
        #expect(answer.header("Content-Type")?.hasPrefix("application/json") == true)
        let items = try #require(answer.json["requests"] as? [[String: String]])
        #expect(
            items == [
                ["class": "mietbescheinigung", "label": "Mietbescheinigung", "due": certificateDue],
                ["class": "kontoauszug", "label": "Kontoauszug", "due": statementsDue],
            ])
        for secret in ["Girokonto", "2025-01-01", "anna", "meldebescheinigung", "wohngeldbescheid", Self.bg] {
            #expect(!answer.text.contains(secret), "\(secret) must not be shown")
        }
        let message = try #require(answer.json["message"] as? [String: String])
        #expect(
            message["de"]
                == "Es fehlen noch: Mietbescheinigung (Frist \(Self.german(certificateDue))), Kontoauszug (Frist \(Self.german(statementsDue))).")
        #expect(message["en"] == "Still missing: Mietbescheinigung (due \(certificateDue)), Kontoauszug (due \(statementsDue)).")

        // The certificate comes: it is no longer missing.
        try RequestTestSupport.file("mietbescheinigung", ["kaltmiete": "400.00"], caseID: Self.bg, into: akte)
        let after = try HTTP.get(url, token: household)
        #expect((after.json["requests"] as? [[String: String]])?.map { $0["class"] } == ["kontoauszug"])

        let refused = try HTTP.get(url, token: channel)
        #expect(refused.status == 403)
        #expect(refused.json["code"] as? String == "not_case_bound")
        let refusal = try #require(refused.json["message"] as? [String: String])
        #expect(refusal["de"]?.contains("keinem Haushalt zugeordnet") == true)
        #expect(refusal["en"]?.contains("not bound to a household") == true)
        #expect(try HTTP.get(url).status == 401)
        #expect(try HTTP.get(server.baseURL + "/api/v1/openapi.yaml").text.contains("/api/v1/requests:"))
    }

    static func german(_ iso: String) -> String {
        let parts = iso.split(separator: "-")
        return "\(parts[2]).\(parts[1]).\(parts[0])"
    }
}

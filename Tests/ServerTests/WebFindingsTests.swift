import Akte
import Foundation
import PosteingangTestKit
import Testing

/// The findings on the caseworkers' pages: the case page, the count in the inbox, the
/// document page, and "geprüft" with a note.
@Suite(.tags(.process), .slow) struct WebFindingsTests {
    @Test("the case page shows a finding; marking it 'geprüft' with a note is kept and audited")
    func casePage() throws {
        let server = try WebServer()
        let akte = try server.akte()
        let bg = try #require(try akte.households().first?.bgNummer)
        let outcome = try akte.file(
            NewDocument(
                uploadID: "web-findings-1", sha256: (UUID().uuidString + UUID().uuidString).replacingOccurrences(of: "-", with: "").lowercased(),
                originalFilename: "kuendigung.pdf", channel: "app", receivedAt: Date(timeIntervalSince1970: 1_741_000_000),
                documentClass: "kuendigung", classConfidence: 0.95, status: .filed, caseID: bg, pageCount: 1,
                fields: [NewField(key: "gekuendigt_durch", value: "vermieter"), NewField(key: "wirksam_zum", value: "2025-06-30")],
                text: "Kündigung des Mietverhältnisses", reviewReasons: [], sensitive: false, archivePDFSha256: nil, format: "pdf",
                detailsJSON: "{}", actor: "test"))
        let client = WebClient(server: server)
        try client.login("anna")

        let inbox = try client.get("/posteingang")
        #expect(inbox.text.contains("1 offener Befund"))
        let document = try client.get("/dokumente/\(outcome.documentID)")
        #expect(document.text.contains("Kündigung durch den Vermieter eingegangen am 03.03.2025, wirksam zum 30.06.2025."))

        let page = try client.get("/faelle/\(bg)")
        #expect(page.status == 200)
        #expect(page.text.contains("data-code=\"notice_received\""))
        #expect(page.text.contains("Als geprüft markieren"))
        // The documents as a timeline by month of the Eingangsdatum.
        #expect(page.text.contains("<ol class=\"timeline\"><li class=\"month\"><h3>März 2025</h3>"))
        #expect(page.text.contains("<span class=\"date\">03.03.2025</span>\n<a href=\"/dokumente/\(outcome.documentID)\">"))

        let marked = try client.post(
            "/faelle/\(bg)/befunde",
            [("csrf", try client.sessionToken()), ("schluessel", "notice_received:\(outcome.documentID)"), ("notiz", "Umzug ist bekannt")])
        #expect(marked.status == 303)
        let after = try client.get("/faelle/\(bg)")
        #expect(after.text.contains("Geprüft von anna"))
        #expect(after.text.contains("Umzug ist bekannt"))
        #expect(try akte.auditTrail(documentID: outcome.documentID).contains { $0.action == .findingReviewed && $0.actor == "anna" })

        // Without the CSRF token: refused.
        let forged = try client.post("/faelle/\(bg)/befunde", [("schluessel", "x"), ("notiz", "y")])
        #expect(forged.status == 403)
        #expect(try client.get("/faelle/00000BG0000000").status == 404)
    }
}

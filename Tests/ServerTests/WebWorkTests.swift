import Akte
import Foundation
import PosteingangTestKit
import Testing

/// Working on a document in the browser and on the command line: take it into work,
/// add a note, set a Wiedervorlage, give it to a colleague, mark it erledigt.
@Suite(.tags(.process), .slow) struct WebWorkTests {
    @Test("take into work, note, Wiedervorlage, assign, erledigt: on the page, in the lists, on the command line, audited")
    func workOnADocument() throws {
        let server = try WebServer()
        let ids = try server.file(["lohn.pdf": WebTestSupport.payslip])
        let document = try #require(ids["lohn.pdf"])
        let client = WebClient(server: server)
        try client.login("anna")
        let token = try client.sessionToken()
        let page = try client.get("/dokumente/\(document)")
        #expect(page.text.contains("<span class=\"badge work-neu\">neu</span>"))
        #expect(page.text.contains("In Bearbeitung nehmen"))

        #expect(try client.post("/dokumente/\(document)/status", [("csrf", token), ("status", "in_bearbeitung")]).status == 303)
        let note = "Rückfrage an <b>Arbeitgeber</b> gestellt"
        let noted = try client.post("/dokumente/\(document)/notiz", [("csrf", token), ("notiz", note)])
        #expect(noted.header("Location") == "/dokumente/\(document)?gespeichert=notiz")
        #expect(try client.post("/dokumente/\(document)/wiedervorlage", [("csrf", token), ("datum", "01.03.2025")]).status == 303)
        #expect(try client.post("/dokumente/\(document)/zuweisen", [("csrf", token), ("zustaendig", "gerd")]).status == 303)
        #expect(try client.post("/dokumente/\(document)/zuweisen", [("csrf", token), ("zustaendig", "niemand")]).status == 400)
        #expect(try client.post("/dokumente/\(document)/wiedervorlage", [("csrf", token), ("datum", "31.02.2025")]).status == 400)

        let working = try client.get("/dokumente/\(document)?gespeichert=notiz")
        #expect(working.text.contains("Die Notiz wurde gespeichert."))
        #expect(working.text.contains("<span class=\"badge work-in_bearbeitung\">in Bearbeitung</span>"))
        #expect(working.text.contains(HTMLText.escape(note)))
        #expect(!working.text.contains("<b>Arbeitgeber</b>"))
        #expect(working.text.contains("<dt>Wiedervorlage</dt><dd>01.03.2025</dd>"))
        #expect(working.text.contains("<dt>Zuständig</dt><dd>gerd</dd>"))
        #expect(try client.get("/posteingang").text.contains("<div class=\"work\">in Bearbeitung · gerd</div>"))
        let due = try client.get("/wiedervorlage")
        #expect(due.text.contains("1 Dokument ist zur Wiedervorlage fällig"))
        #expect(due.text.contains("/dokumente/\(document)"))

        // The command line sees and changes the same.
        let data = ["--data-dir", server.dataDir.path]
        let shown = try WebTestSupport.posteingang(["work", "show", document] + data)
        #expect(shown.contains("state: in_bearbeitung"))
        #expect(shown.contains("assignee: gerd"))
        #expect(shown.contains("follow-up: 2025-03-01"))
        #expect(try WebTestSupport.posteingang(["work", "due"] + data).contains("lohn.pdf"))
        try WebTestSupport.posteingang(["work", "set", document, "--state", "erledigt", "--as", "gerd"] + data)
        #expect(try client.get("/wiedervorlage").text.contains("Heute ist nichts zur Wiedervorlage fällig."))
        #expect(try WebTestSupport.posteingang(["work", "due"] + data).contains("nothing due"))

        let actions = try server.akte().auditTrail(documentID: document)
            .filter { [.workStateChanged, .noteAdded, .followUpSet, .workAssigned].contains($0.action) }
            .map { "\($0.actor) \($0.action.rawValue)" }
        #expect(actions == ["anna work_state_changed", "anna note_added", "anna follow_up_set", "anna work_assigned", "gerd work_state_changed"])
    }
}

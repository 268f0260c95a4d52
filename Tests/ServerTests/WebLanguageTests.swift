import Akte
import Foundation
import PosteingangTestKit
import Testing

/// No English sentence on any page a German user sees. The demo's documents (every
/// fixture `scripts/run.sh --demo` drops into the inbox, with their sidecars) are filed by a real
/// server; then every page is opened as a caseworker, a caseworker with the health-data role and
/// a data-protection officer: lists, every case and every document (with their review reasons,
/// doubts, work, notes and correction history), the notices after each action, and the error
/// pages. Each text a person reads is checked for the English the code held before
/// (`EnglishText`).
@Suite(.tags(.process), .slow) struct WebLanguageTests {
    /// The demo's documents: scans, photos and born-digital PDFs, each with its sidecar.
    static func demoDocuments() throws -> [(name: String, data: Data, sidecar: Data?)] {
        var documents: [(String, Data, Data?)] = []
        for folder in ["scan", "photo", "digital"] {
            let url = TestKit.fixtures.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() where !name.hasSuffix(".json") {
                let file = url.appendingPathComponent(name)
                let sidecar = try? Data(contentsOf: file.deletingPathExtension().appendingPathExtension("json"))
                documents.append((name, try Data(contentsOf: file), sidecar))
            }
        }
        return documents
    }

    @Test("every page and every reason of the demo, for every role, is German")
    func noEnglishOnAnyPage() throws {
        let server = try WebServer()
        try server.addUser("dora", roles: ["datenschutz"])
        let demo = try Self.demoDocuments()
        let inbox = server.dataDir.appendingPathComponent("spool/inbox", isDirectory: true)
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        for document in demo {
            if let sidecar = document.sidecar {
                try sidecar.write(to: inbox.appendingPathComponent((document.name as NSString).deletingPathExtension + ".json"))
            }
        }
        var documents = Dictionary(uniqueKeysWithValues: demo.map { ($0.name, $0.data) })
        // The review statement of the browser test (a bank that disagrees with its IBAN, two
        // households) and a sidecar the daemon cannot use.
        documents["kontoauszug_maerz.pdf"] = WebTestSupport.ambiguousStatement
        documents["kaputt.pdf"] = WebTestSupport.statementWithBadIBAN
        // A combined PDF of several documents (born digital): its parts say why they start where they do.
        documents["combined_upload.pdf"] = try Data(contentsOf: TestKit.fixtures.appendingPathComponent("batches/combined_upload.pdf"))
        try Data("{\"case\": 17}".utf8).write(to: inbox.appendingPathComponent("kaputt.json"))
        for (name, data) in documents { try TestKit.deliver(data, as: name, to: server.dataDir.appendingPathComponent("spool/inbox")) }
        try server.waitUntilSpoolIsEmpty(timeout: 900)
        var ids: [String: String] = [:]
        for summary in try server.akte().inbox(since: nil, caseID: nil, limit: 1000) { ids[summary.originalFilename] = summary.id }

        // A citizen's upload over the API, with a note.
        let token = try ServerTestSupport.token(dataDir: server.dataDir, client: "buerger-app", caseID: "96301BG0012345")
        let upload = server.dataDir.appendingPathComponent("lohn-april.pdf")
        try WebTestSupport.payslip.write(to: upload)
        let sent = try TestKit.run(
            "/usr/bin/curl",
            ["-s", "-S", "-H", "Authorization: Bearer \(token)", "-F", "file=@\(upload.path)",
             "-F", "note=Meine neue Lohnabrechnung, bitte an Frau Weber weitergeben", server.baseURL + "/api/v1/uploads"])
        #expect(sent.status == 0 && sent.stdout.contains("\"upload_id\""), "\(sent.stdout) \(sent.stderr)")
        try server.waitUntilSpoolIsEmpty(timeout: 300)
        let apiDocument = try #require(
            try server.akte().inbox(since: nil, caseID: nil, limit: 1000).first { $0.originalFilename.hasSuffix("-lohn-april.pdf") })

        // Some work on a document, so that work, notes and the correction history are shown.
        let anna = WebClient(server: server)
        try anna.login("anna")
        let csrf = try anna.sessionToken()
        let lease = try #require(ids["mietvertrag_01.pdf"])
        for (action, form) in [
            ("feld", [("feld", "kaltmiete"), ("wert", "575,00")]), ("klasse", [("klasse", "mietbescheinigung")]),
            ("klasse", [("klasse", "mietvertrag")]), ("status", [("status", "in_bearbeitung")]),
            ("notiz", [("notiz", "Rückfrage beim Vermieter")]), ("wiedervorlage", [("datum", "01.03.2025")]),
            ("zuweisen", [("zustaendig", "gerd")]),
        ] {
            let answer = try anna.post("/dokumente/\(lease)/\(action)", [("csrf", csrf)] + form)
            #expect(answer.status == 303, "\(action): \(answer.status) \(answer.text.prefix(300))")
        }

        var pages: [String: String] = [:]
        func visit(_ client: WebClient, _ path: String, as user: String, status: Int? = nil) throws {
            let answer = try client.get(path)
            if let status { #expect(answer.status == status, "\(path) as \(user)") }
            pages["\(user) \(path)"] = answer.text
        }
        try visit(WebClient(server: server), "/anmelden", as: "-")
        try visit(WebClient(server: server), "/anmelden?weiter=%2Fpruefung", as: "-")
        // What a POST answers: a wrong password, a form without its CSRF token, a refused value.
        pages["- POST /anmelden (falsch)"] = try WebClient(server: server).login("anna", password: "falsch").text
        pages["anna POST ohne CSRF"] = try anna.post("/dokumente/\(lease)/notiz", [("notiz", "x")]).text
        pages["anna POST Wiedervorlage 31.02."] = try anna.post("/dokumente/\(lease)/wiedervorlage", [("csrf", csrf), ("datum", "31.02.2025")]).text
        pages["anna POST Feld"] = try anna.post("/dokumente/\(lease)/feld", [("csrf", csrf), ("feld", "kaltmiete"), ("wert", "viel")]).text

        let gerd = WebClient(server: server)
        try gerd.login("gerd")
        let dora = WebClient(server: server)
        try dora.login("dora")
        let akte = try server.akte()
        let all = try akte.inbox(since: nil, caseID: nil, limit: 1000)
        for (client, user) in [(anna, "anna"), (gerd, "gerd")] {
            for path in [
                "/posteingang", "/posteingang?seite=2", "/posteingang?sortierung=unsicherste", "/posteingang?status=needs_review",
                "/pruefung", "/wiedervorlage", "/suche?q=Miete", "/suche?q=gibtesnicht", "/anforderungen",
                "/faelle/96301BG9999999", "/datenschutz", "/dokumente/gibtesnicht", "/dokumente/\(lease)/seite/null", "/gibtesnicht",
            ] {
                try visit(client, path, as: user)
            }
            for caseID in Set(all.compactMap(\.caseID)) { try visit(client, "/faelle/\(caseID)", as: user) }
            for document in all { try visit(client, "/dokumente/\(document.id)", as: user) }
        }
        for code in ["feld", "klasse", "fall", "notiz", "status", "wiedervorlage", "zuweisen", "erfunden"] {
            try visit(anna, "/dokumente/\(lease)?gespeichert=\(code)&feld=kaltmiete", as: "anna")
        }
        for code in ["zugeordnet", "freigegeben", "erfunden"] { try visit(anna, "/pruefung?hinweis=\(code)&fall=96301BG0012345", as: "anna") }
        for path in ["/datenschutz", "/datenschutz?fall=96301BG0012345", "/datenschutz?fall=96301BG0012345&seit=gestern",
                     "/datenschutz?fall=96301BG9999999", "/posteingang", "/pruefung"]
        {
            try visit(dora, path, as: "dora")
        }

        // Everything above was opened, and the pages hold what they should.
        #expect(all.count >= demo.count, "\(all.count) documents filed of \(demo.count)")
        #expect(pages.count > 2 * all.count)
        let notePage = try #require(pages["anna /dokumente/\(apiDocument.id)"])
        #expect(notePage.contains("Nachricht beim Hochladen"))
        #expect(notePage.contains("Meine neue Lohnabrechnung, bitte an Frau Weber weitergeben"))
        let partPages = pages.filter { $0.key.hasPrefix("anna /dokumente/") && $0.value.contains("<dt>Teil der Sendung</dt>") }
        #expect(partPages.count >= 2, "no document page says which part of the combined upload it is")
        let partTexts = partPages.values.compactMap { page in
            page.range(of: "<dt>Teil der Sendung</dt>").map { String(page[$0.upperBound...].prefix(300)) }
        }
        #expect(partTexts.contains { $0.contains("von „combined_upload.pdf“)") }, "\(partTexts)")
        let review = try #require(pages["anna /pruefung"])
        #expect(review.contains("Zu prüfen") || review.contains("review-item"))

        var english: [String] = []
        for (page, html) in pages.sorted(by: { $0.key < $1.key }) {
            for text in EnglishText.englishTexts(inHTML: html) { english.append("\(page): \(text.prefix(240))") }
        }
        #expect(english.isEmpty, "English on German pages (\(english.count)):\n\(english.prefix(40).joined(separator: "\n"))")
    }
}

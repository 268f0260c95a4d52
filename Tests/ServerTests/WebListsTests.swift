import Akte
import Foundation
import PosteingangTestKit
import Testing

/// An inbox of more than 300 documents is paged, counted and sorted, "Ohne Fall" first;
/// the review queue is counted, and the navigation shows the open reviews.
@Suite(.tags(.process), .slow) struct WebListsTests {
    /// Files `count` payslips of household 96301BG0012345 straight into the server's E-Akte (a
    /// day apart, newest last), one document without a case (the oldest) and two for review.
    /// With `originals`, each gets a real one-page PDF in the blob store (for thumbnails);
    /// `review` says which of them wait for review (the 7th).
    static func fill(_ server: WebServer, count: Int, originals: Bool = false, review: (Int) -> Bool = { $0 == 7 }) throws {
        let akte = try server.akte()
        let blobs = FolderBlobStore(root: server.dataDir.appendingPathComponent("blobs", isDirectory: true))
        func sha(_ n: Int) throws -> String {
            guard originals else { return String(repeating: "0", count: 56) + String(format: "%08x", n) }
            return try blobs.put(TestKit.textPDF(lines: ["Entgeltabrechnung", "Beleg \(n)", "Nettoverdienst \(1000 + n),00 EUR"]))
        }
        func document(_ n: Int, caseID: String?, status: DocumentStatus, confidence: Double) throws -> NewDocument {
            NewDocument(
                uploadID: "list-\(n)", sha256: try sha(n),
                // The upload API's spool name (upload id first) for one of them.
                originalFilename: n == 0 ? "u-0123456789abcdef0123-lohn-0.pdf" : "lohn-\(n).pdf", channel: "app",
                receivedAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(n) * 86_400), documentClass: "lohnabrechnung",
                classConfidence: confidence, status: status, caseID: caseID, pageCount: 1,
                fields: [NewField(key: "netto", value: "\(1000 + n).00")], text: "Entgeltabrechnung \(n)", reviewReasons: status == .needsReview ? ["zu prüfen"] : [],
                sensitive: false, archivePDFSha256: nil, format: "pdf", detailsJSON: "{}", actor: "test")
        }
        _ = try akte.file(try document(0, caseID: nil, status: .needsReview, confidence: 0.5))
        for n in 1...count {
            _ = try akte.file(try document(n, caseID: "96301BG0012345", status: review(n) ? .needsReview : .filed, confidence: n == 5 ? 0.3 : 0.9))
        }
    }

    @Test("320 documents: 50 a page with the total, links that keep the filters, every document reachable, no-case first")
    func pagination() throws {
        let server = try WebServer()
        try Self.fill(server, count: 320)
        let client = WebClient(server: server)
        try client.login("anna")

        let first = try client.get("/posteingang")
        #expect(first.status == 200)
        #expect(first.text.contains("321 Dokumente · Seite 1 von 7 (Nr. 1–50)"))
        // "Ohne Fall" heads the first page although its document is the oldest.
        let noCase = try #require(first.text.range(of: "Ohne Fall"))
        let someCase = try #require(first.text.range(of: "Fall <a href"))
        #expect(noCase.lowerBound < someCase.lowerBound)
        #expect(first.text.contains("<div class=\"file\">lohn-0.pdf</div>"))
        #expect(!first.text.contains("u-0123456789abcdef0123"))
        #expect(first.text.contains("lohn-320.pdf"))
        #expect(first.text.contains("rel=\"next\""))
        // The navigation counts the two documents waiting for review.
        #expect(first.text.contains("<span class=\"counter\" aria-label=\"2 offen\">2</span>"))

        var seen = Set<String>()
        for page in 1...7 {
            let answer = try client.get("/posteingang?seite=\(page)")
            let names = answer.text.components(separatedBy: "<div class=\"file\">").dropFirst().map { String($0.prefix { $0 != "<" }) }
            #expect(names.count == (page == 7 ? 21 : 50), "page \(page)")
            seen.formUnion(names)
        }
        #expect(seen.count == 321)
        #expect(try client.get("/posteingang?seite=99").text.contains("Seite 7 von 7"))
        #expect(try client.get("/posteingang?seite=null").status == 400)

        // Oldest first, least sure first; the filter stays in the page links.
        let oldest = try client.get("/posteingang?sortierung=aelteste&fall=96301BG0012345")
        #expect(oldest.text.contains("320 Dokumente"))
        let firstName = oldest.text.components(separatedBy: "<div class=\"file\">").dropFirst().first?.prefix { $0 != "<" }
        #expect(firstName == "lohn-1.pdf")
        #expect(oldest.text.contains("fall=96301BG0012345&amp;sortierung=aelteste&amp;seite=2"))
        let unsure = try client.get("/posteingang?sortierung=unsicherste&fall=96301BG0012345")
        #expect(unsure.text.components(separatedBy: "<div class=\"file\">").dropFirst().first?.prefix { $0 != "<" } == "lohn-5.pdf")
        #expect(try client.get("/posteingang?sortierung=zufall").status == 400)

        // The search says when it stopped at its limit, and pages through what it has.
        let search = try client.get("/suche?q=Entgeltabrechnung")
        #expect(search.text.contains("Mehr als 200 Treffer"))
        #expect(search.text.contains("Seite 1 von 4"))
        #expect(search.text.components(separatedBy: "<p class=\"snippet\">").count - 1 == 50)
        let last = try client.get("/suche?q=Entgeltabrechnung&seite=4")
        #expect(last.text.contains("<ol class=\"hits\" start=\"151\">"))
        #expect(try client.get("/suche?q=Entgeltabrechnung+320").text.contains("1 Treffer."))

        let review = try client.get("/pruefung")
        #expect(review.text.contains("2 Dokumente warten auf Prüfung."))
    }

    @Test("the review queue is paged, 100 a page, each entry linked to its document page")
    func reviewPages() throws {
        let server = try WebServer()
        try Self.fill(server, count: 120, review: { _ in true })
        let client = WebClient(server: server)
        try client.login("anna")
        let first = try client.get("/pruefung")
        #expect(first.text.contains("121 Dokumente warten auf Prüfung · Seite 1 von 2."))
        #expect(first.text.contains("<a href=\"/pruefung?seite=2\" rel=\"next\">"))
        #expect(first.text.components(separatedBy: "<article class=\"review-item\">").count - 1 == 100)
        let second = try client.get("/pruefung?seite=2")
        let items = second.text.components(separatedBy: "<article class=\"review-item\">").dropFirst()
        #expect(items.count == 21)
        #expect(items.allSatisfy { $0.contains("<h2><a href=\"/dokumente/") })
        #expect(second.text.contains("rel=\"prev\""))
        #expect(try client.get("/pruefung?seite=9").text.contains("Seite 2 von 2"))
    }
}

import Akte
import Foundation
import PosteingangTestKit
import Testing

/// `posteingang requests add|list|close` and the requests in `akte show --json`.
@Suite(.tags(.process), .slow) struct RequestsCommandTests {
    @Test("requests add records a request, list shows where it stands (overdue first, --json, --overdue), close takes it back")
    func commands() throws {
        let data = try TestKit.temporaryDirectory("web")
        let config = TestKit.repositoryRoot.appendingPathComponent("pipeline.yml").path
        try WebTestSupport.posteingang([
            "cases", "import", "--data-dir", data.path, TestKit.fixtures.appendingPathComponent("cases.csv").path,
        ])
        let bg = "96301BG0012345"
        let store = ["--data-dir", data.path, "--as", "sb-7"]
        let base = store + ["--config", config]
        let due = RequestTestSupport.day(14)

        let added = try WebTestSupport.posteingang(["requests", "add", bg, "--class", "kontoauszug", "--months", "3", "--due", due] + base)
        let statements = "Kontoauszug für \(RequestTestSupport.month(-3)) bis \(RequestTestSupport.month(-1))"
        #expect(added == "request 1 for \(bg): \(statements), due \(due)\n")
        try WebTestSupport.posteingang(["requests", "add", bg, "--class", "mietbescheinigung", "--due", due] + base)

        let refused = try TestKit.run(["requests", "add", bg, "--class", "mietvertrag", "--months", "2", "--due", due] + base)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("mietvertrag documents give no period"))
        let unknown = try TestKit.run(["requests", "add", "96301BG0099999", "--class", "kontoauszug", "--due", due] + base)
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no household 96301BG0099999"))

        // A certificate comes; a request made long ago is overdue.
        let akte = try SQLiteAkte(path: data.appendingPathComponent("akte.sqlite").path)
        let certificate = try RequestTestSupport.file("mietbescheinigung", ["kaltmiete": "400.00"], caseID: bg, into: akte)
        try akte.addRequest(
            NewDocumentRequest(bgNummer: "96301BG0012388", documentClass: "lohnabrechnung", period: nil, dueDate: RequestTestSupport.day(-2)),
            by: "sb-7")

        let list = try WebTestSupport.posteingang(["requests", "list"] + base).split(separator: "\n").map(String.init)
        #expect(list.count == 3)
        #expect(list[0].hasPrefix("#3  96301BG0012388  Lohn- und Gehaltsabrechnung  fällig \(RequestTestSupport.day(-2))  überfällig (2 Tage)"))
        #expect(list[1] == "#1  \(bg)  \(statements)  fällig \(due)  offen")
        #expect(list[2] == "#2  \(bg)  Mietbescheinigung  fällig \(due)  erfüllt  Dokumente: \(certificate.prefix(8))")

        let overdue = try WebTestSupport.posteingang(["requests", "list", "--overdue"] + base)
        #expect(overdue.hasPrefix("#3  96301BG0012388"))
        #expect(overdue.split(separator: "\n").count == 1)

        let json = try WebTestSupport.posteingang(["requests", "list", bg, "--json"] + base)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["state"] as? String } == ["open", "fulfilled"])
        #expect(entries.first?["requested_by"] as? String == "sb-7")
        #expect((entries.first?["period"] as? [String: String])?["from"] == RequestTestSupport.isoMonth(-3) + "-01")
        #expect(entries.last?["documents"] as? [String] == [certificate])

        #expect(try WebTestSupport.posteingang(["requests", "close", "1", "--note", "kam per Post"] + store) == "request 1 for \(bg) closed (sb-7)\n")
        let again = try TestKit.run(["requests", "close", "1", "--note", "x"] + store)
        #expect(again.status != 0)
        #expect(again.stderr.contains("already closed by sb-7"))
        #expect(!(try WebTestSupport.posteingang(["requests", "list", bg] + base).contains("#1")))
        #expect(try WebTestSupport.posteingang(["requests", "list", bg, "--all"] + base).contains("#1  \(bg)  \(statements)  fällig \(due)  zurückgenommen"))

        let show = try WebTestSupport.posteingang(["akte", "show", bg, "--json"] + base)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(show.utf8)) as? [String: Any])
        let requests = try #require(object["requests"] as? [[String: Any]])
        #expect(requests.map { $0["state"] as? String } == ["closed", "fulfilled"])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["code"] as? String == "request_fulfilled" && ($0["request"] as? Int) == 2 })
    }
}

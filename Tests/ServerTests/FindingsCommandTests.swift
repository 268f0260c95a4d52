import Akte
import Foundation
import PosteingangTestKit
import Testing

/// `posteingang akte show BG [--json]`, `akte check-finding` and `inbox` with findings.
@Suite(.tags(.process), .slow) struct FindingsCommandTests {
    @Test("akte show lists a household's findings, --json under 'findings'; check-finding marks one; inbox counts them")
    func commands() throws {
        let data = try TestKit.temporaryDirectory("web")
        let config = TestKit.repositoryRoot.appendingPathComponent("pipeline.yml").path
        try WebTestSupport.posteingang([
            "cases", "import", "--data-dir", data.path, TestKit.fixtures.appendingPathComponent("cases.csv").path,
        ])
        let akte = try SQLiteAkte(path: data.appendingPathComponent("akte.sqlite").path)
        let bg = "96301BG0012345"  // one person in the fixtures' register: limit 651 €
        let outcome = try akte.file(
            NewDocument(
                uploadID: "cli-findings-1", sha256: (UUID().uuidString + UUID().uuidString).replacingOccurrences(of: "-", with: "").lowercased(),
                originalFilename: "miete.pdf", channel: "app", receivedAt: Date(timeIntervalSince1970: 1_741_000_000),
                documentClass: "mietbescheinigung", classConfidence: 0.95, status: .filed, caseID: bg, pageCount: 1,
                fields: [NewField(key: "kaltmiete", value: "600.00"), NewField(key: "nebenkosten", value: "100.00")],
                text: "Mietbescheinigung", reviewReasons: [], sensitive: false, archivePDFSha256: nil, format: "pdf",
                detailsJSON: "{}", actor: "test"))
        let base = ["--data-dir", data.path, "--config", config, "--as", "sb-7"]

        let text = try WebTestSupport.posteingang(["akte", "show", bg] + base)
        #expect(text.contains("Befunde: 1 (1 offen)"))
        #expect(text.contains("kdu_over_limit: Die Bruttokaltmiete laut Mietbescheinigung vom 03.03.2025 beträgt 700,00 €"))
        #expect(text.contains("liegt 49,00 € über der Angemessenheitsgrenze von 651,00 € für 1 Person"))

        let json = try WebTestSupport.posteingang(["akte", "show", bg, "--json"] + base)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count == 1)
        #expect(findings.first?["code"] as? String == "kdu_over_limit")
        #expect(findings.first?["documents"] as? [String] == [outcome.documentID])
        #expect((findings.first?["figures"] as? [String: String])?["limit"] == "651.00")
        #expect(findings.first?["reviewed"] is NSNull)

        #expect(try WebTestSupport.posteingang(["inbox"] + base).contains("[1 Befund]"))

        try WebTestSupport.posteingang(["akte", "check-finding", bg, "kdu_over_limit", "--note", "Umzug beantragt"] + base)
        let after = try WebTestSupport.posteingang(["akte", "show", bg] + base)
        #expect(after.contains("Befunde: 1 (0 offen)"))
        #expect(after.contains("geprüft von sb-7"))
        #expect(after.contains("Umzug beantragt"))
        #expect(!(try WebTestSupport.posteingang(["inbox"] + base).contains("Befund]")))
    }
}

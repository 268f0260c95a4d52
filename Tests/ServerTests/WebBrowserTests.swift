import Akte
import Foundation
import Testing

/// Headless Chromium through the caseworkers' pages (tools/browser/caseworker_flow.py over the
/// DevTools protocol): log in, open the inbox, correct a field, assign a document from review.
/// Screenshots go to `POSTEINGANG_SCREENSHOTS` when set (docs/screenshots/ is made that way),
/// else to a temporary folder.
@Suite struct WebBrowserTests {
    @Test("a browser logs in, opens the inbox, corrects a field and assigns a document from review")
    func caseworkerFlow() throws {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        let browser = try #require(chromium, "chromium is not installed; scripts/setup.sh installs it")
        let server = try WebServer()
        let scan = { (name: String) in try Data(contentsOf: WebTestSupport.fixtures.appendingPathComponent("scan/\(name)")) }
        let ids = try server.file(
            [
                "mietvertrag_01.pdf": try scan("mietvertrag_01.pdf"),
                "kindergeldbescheid_01.pdf": try scan("kindergeldbescheid_01.pdf"),
                "lohnabrechnung_maerz.pdf": WebTestSupport.payslip,
                "kontoauszug_maerz.pdf": WebTestSupport.ambiguousStatement,
            ], timeout: 300)
        // More than 300 documents, so that the inbox has pages to walk through.
        try WebListsTests.fill(server, count: 320, originals: true)
        let screenshots =
            ProcessInfo.processInfo.environment["POSTEINGANG_SCREENSHOTS"].map { URL(fileURLWithPath: $0) }
            ?? server.dataDir.appendingPathComponent("screenshots")

        var environment = ProcessInfo.processInfo.environment
        environment["POSTEINGANG_PASSWORD"] = WebServer.password
        let script = WebTestSupport.repositoryRoot.appendingPathComponent("tools/browser/caseworker_flow.py")
        let result = try WebTestSupport.run(
            URL(fileURLWithPath: "/usr/bin/python3"),
            [
                script.path, "--base", server.baseURL, "--user", "anna", "--correct-file", "mietvertrag_01.pdf",
                "--field", "kaltmiete", "--value", "575,00 €", "--expect", "575,00", "--review-file", "kontoauszug_maerz.pdf",
                "--case", "96301BG0012388", "--screenshots", screenshots.path, "--chromium", browser,
            ], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"assigned\""))
        #expect(result.stdout.contains("\"worked\""))
        #expect(result.stdout.contains("\"paged\""))

        let akte = try server.akte()
        let lease = try akte.document(id: try #require(ids["mietvertrag_01.pdf"]), viewer: "test")
        #expect(lease.fields.first { $0.key == "kaltmiete" }?.value == "575.00")
        let statement = try akte.document(id: try #require(ids["kontoauszug_maerz.pdf"]), viewer: "test")
        #expect(statement.effective.caseID == "96301BG0012388")
        #expect(statement.effective.status == .filed)
        for name in ["inbox.png", "document.png", "review.png"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: screenshots.appendingPathComponent(name).path)[.size] as? Int) ?? 0
            #expect(size > 10_000, "\(name)")
        }
    }
}

import Akte
import Foundation
import PosteingangTestKit
import Testing

/// Headless Chromium through the caseworkers' pages (tools/browser/caseworker_flow.py over the
/// DevTools protocol): a caseworker's day, with axe-core checking every page against WCAG 2.1 AA;
/// and on a case page (tools/browser/case_request_flow.py) request a document that the next upload
/// fulfils. Screenshots go to `POSTEINGANG_SCREENSHOTS` when set (docs/screenshots/ is made that
/// way), else to a temporary folder.
@Suite(.tags(.process, .browser), .slow) struct WebBrowserTests {
    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// axe-core's `axe.min.js`, as scripts/setup.sh installs it from the PyPI package
    /// axe-selenium-python (MPL-2.0; not kept in this repository); `AXE_CORE_JS` points elsewhere.
    static var axeCore: String? {
        let candidates = [ProcessInfo.processInfo.environment["AXE_CORE_JS"], "/usr/local/share/posteingang/axe-core/axe.min.js"]
        return candidates.compactMap { $0 }.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    @Test(
        "a caseworker's day in a browser: log in, page through 320+ documents, correct a field, take it into work, note, Wiedervorlage, erledigt, assign from review; the access log; every page without WCAG 2.1 AA violations"
    )
    func caseworkerFlow() throws {
        let browser = try #require(Self.chromium, "chromium is not installed; scripts/setup.sh installs it")
        let axe = try #require(Self.axeCore, "axe.min.js is not installed; scripts/setup.sh installs it")
        let server = try WebServer()
        try server.addUser("dora", roles: ["datenschutz"])
        let scan = { (name: String) in try Data(contentsOf: TestKit.fixtures.appendingPathComponent("scan/\(name)")) }
        let ids = try server.file(
            [
                "mietvertrag_01.pdf": try scan("mietvertrag_01.pdf"),
                "kindergeldbescheid_01.pdf": try scan("kindergeldbescheid_01.pdf"),
                "lohnabrechnung_maerz.pdf": WebTestSupport.payslip,
                "kontoauszug_maerz.pdf": WebTestSupport.ambiguousStatement,
            ], timeout: 300)
        // More than 300 documents, so that the inbox has pages to walk through.
        try WebListsTests.fill(server, count: 320, originals: true)
        let leaseID = try #require(ids["mietvertrag_01.pdf"])
        let leaseCase = try #require(try server.akte().document(id: leaseID, viewer: "test").effective.caseID)
        let screenshots =
            ProcessInfo.processInfo.environment["POSTEINGANG_SCREENSHOTS"].map { URL(fileURLWithPath: $0) }
            ?? server.dataDir.appendingPathComponent("screenshots")

        var environment = ProcessInfo.processInfo.environment
        environment["POSTEINGANG_PASSWORD"] = WebServer.password
        let script = TestKit.repositoryRoot.appendingPathComponent("tools/browser/caseworker_flow.py")
        let result = try TestKit.run(
            "/usr/bin/python3",
            [
                script.path, "--base", server.baseURL, "--user", "anna", "--correct-file", "mietvertrag_01.pdf",
                "--field", "kaltmiete", "--value", "575,00 €", "--expect", "575,00", "--review-file", "kontoauszug_maerz.pdf",
                "--case", "96301BG0012388", "--screenshots", screenshots.path, "--chromium", browser,
                "--privacy-user", "dora", "--privacy-case", leaseCase, "--axe", axe,
            ], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"assigned\""))
        #expect(result.stdout.contains("\"worked\""))
        #expect(result.stdout.contains("\"paged\""))
        #expect(result.stdout.contains("\"place\""))
        #expect(result.stdout.contains("\"access log\""))
        #expect(result.stdout.contains("\"accessible\""))
        // axe-core ran on every page of the day.
        let report = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any]
        let checked = Set(report?["checked"] as? [String] ?? [])
        #expect(
            checked == [
                "anmelden", "posteingang", "posteingang?seite=2", "dokument", "dokument nach Korrektur", "dokument in Bearbeitung",
                "wiedervorlage", "suche", "anforderungen", "fall", "pruefung", "dokument in Prüfung", "datenschutz",
            ], "\(checked.sorted())")

        let akte = try server.akte()
        let lease = try akte.document(id: try #require(ids["mietvertrag_01.pdf"]), viewer: "test")
        #expect(lease.fields.first { $0.key == "kaltmiete" }?.value == "575.00")
        let statement = try akte.document(id: try #require(ids["kontoauszug_maerz.pdf"]), viewer: "test")
        #expect(statement.effective.caseID == "96301BG0012388")
        #expect(statement.effective.status == .filed)
        for name in ["inbox.png", "document.png", "place.png", "review.png"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: screenshots.appendingPathComponent(name).path)[.size] as? Int) ?? 0
            #expect(size > 10_000, "\(name)")
        }
    }

    @Test("a browser opens a case page with a finding, requests a payslip, and the next upload over the API fulfils it")
    func caseRequestFlow() throws {
        let browser = try #require(Self.chromium, "chromium is not installed; scripts/setup.sh installs it")
        let server = try WebServer()
        let bg = "96301BG0012345"  // Peter Schmidt, one person: rent limit 651 €
        let akte = try server.akte()
        try RequestTestSupport.file("mietbescheinigung", ["kaltmiete": "600.00", "nebenkosten": "100.00"], caseID: bg, into: akte)
        let token = try ServerTestSupport.token(dataDir: server.dataDir, client: "buerger-app", caseID: bg)
        let payslip = server.dataDir.appendingPathComponent("lohnabrechnung_maerz.pdf")
        try WebTestSupport.payslip.write(to: payslip)  // "Entgeltabrechnung für März 2025"
        let screenshots =
            ProcessInfo.processInfo.environment["POSTEINGANG_SCREENSHOTS"].map { URL(fileURLWithPath: $0) }
            ?? server.dataDir.appendingPathComponent("screenshots")

        var environment = ProcessInfo.processInfo.environment
        environment["POSTEINGANG_PASSWORD"] = WebServer.password
        environment["POSTEINGANG_TOKEN"] = token
        let script = TestKit.repositoryRoot.appendingPathComponent("tools/browser/case_request_flow.py")
        let result = try TestKit.run(
            "/usr/bin/python3",
            [
                script.path, "--base", server.baseURL, "--user", "anna", "--case", bg, "--finding", "kdu_over_limit",
                "--class", "lohnabrechnung", "--month", "2025-03", "--upload", payslip.path, "--screenshots", screenshots.path,
                "--chromium", browser, "--axe", try #require(Self.axeCore, "axe.min.js is not installed; scripts/setup.sh installs it"),
            ], environment: environment)
        #expect(result.status == 0, "\(result.stderr)\n\(server.output)")
        #expect(result.stdout.contains("\"fulfilled\""))
        #expect(result.stdout.contains("\"accessible\""))

        let request = try #require(try akte.requests(inCase: bg).first)
        #expect(request.documentClass == "lohnabrechnung")
        #expect(request.period == RequestedPeriod(from: "2025-03-01", to: "2025-03-31"))
        #expect(request.requestedBy == "anna")
        let filed = try akte.caseworkerInbox(InboxFilter(caseID: bg, status: .filed))
        #expect(filed.contains { $0.summary.documentClass == "lohnabrechnung" && $0.fields.contains { $0.key == "abrechnungsmonat" && $0.value == "2025-03" } })
        let size = (try? FileManager.default.attributesOfItem(atPath: screenshots.appendingPathComponent("case.png").path)[.size] as? Int) ?? 0
        #expect(size > 10_000, "case.png")
    }
}

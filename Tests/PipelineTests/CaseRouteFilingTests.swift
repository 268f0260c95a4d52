import Akte
import Classification
import Foundation
import Imaging
import PosteingangTestKit
import Testing

/// Documents of every route through a running daemon: what the E-Akte stores as the case, the
/// review reasons and the details (the analysis) must tell the same story.
@Suite(.serialized, .tags(.process), .slow)
struct CaseRouteFilingTests {
    static let schmidt = (name: "Peter Schmidt", street: "Lindenstrasse 12", city: "44137 Dortmund")

    struct Expected {
        var caseID: String?
        var route: CaseMatch.Route
        var codes: [CaseReason.Code]
    }

    @Test("Sidecar, trusted-channel, cover-sheet, name and refused routes through the daemon: stored case, reasons and details agree")
    func routesThroughDaemon() throws {
        let dataDir = try TestKit.temporaryDirectory("routes")
        defer { try? FileManager.default.removeItem(at: dataDir) }
        #expect(try TestKit.run(["cases", "import", "--data-dir", dataDir.path, TestKit.fixture("cases.csv").path]).status == 0)
        let daemon = try DaemonProcess(dataDir: dataDir, arguments: ["--trusted-channel", "poststelle"])
        defer { daemon.terminate(); _ = daemon.wait(timeout: 60) }
        let inbox = dataDir.appendingPathComponent("spool/inbox")

        func payslip(_ serial: Int, name: String = Self.schmidt.name) -> Data {
            TestKit.payslip(serial: serial, name: name, street: Self.schmidt.street, city: Self.schmidt.city)
        }
        func deliver(_ data: Data, as name: String, sidecar: String? = nil) throws {
            if let sidecar {
                try Data(sidecar.utf8).write(to: inbox.appendingPathComponent(name).deletingPathExtension().appendingPathExtension("json"))
            }
            try TestKit.deliver(data, as: name, to: inbox)
        }
        // sha256 → what the case decision must be.
        var uploads: [String: Expected] = [:]
        let byName = payslip(1)
        try deliver(byName, as: "name.pdf")
        uploads[SHA256Digest.hex(of: byName)] = Expected(caseID: "96301BG0012345", route: .name, codes: [.nameConfirmed])
        // A person the register does not know; the trusted channel names the household.
        let trusted = payslip(2, name: "Erika Beispiel")
        try deliver(trusted, as: "trusted.pdf", sidecar: #"{"case": "96301BG0012388", "channel": "poststelle"}"#)
        uploads[SHA256Digest.hex(of: trusted)] = Expected(caseID: "96301BG0012388", route: .trustedChannel, codes: [.namedCase])
        // An app's claim that the content confirms, and one it contradicts.
        let confirmed = payslip(3)
        try deliver(confirmed, as: "confirmed.pdf", sidecar: #"{"case": "96301BG0012345", "channel": "app"}"#)
        uploads[SHA256Digest.hex(of: confirmed)] = Expected(
            caseID: "96301BG0012345", route: .name, codes: [.nameConfirmed, .claimConfirmed])
        let refused = payslip(4)
        try deliver(refused, as: "refused.pdf", sidecar: #"{"case": "96301BG0012388", "channel": "app"}"#)
        uploads[SHA256Digest.hex(of: refused)] = Expected(caseID: nil, route: .none, codes: [.claimNotConfirmed])
        let batch = try Data(contentsOf: TestKit.fixture("batches/cover_batch.pdf"))
        try deliver(batch, as: "cover_batch.pdf")

        let akte = try SQLiteAkte(path: dataDir.appendingPathComponent("akte.sqlite").path)
        let all = Array(uploads.keys) + [SHA256Digest.hex(of: batch)]
        let done = eventually(timeout: 600) {
            all.allSatisfy { sha in
                guard let status = try? akte.uploadStatus(idOrSha: sha) else { return false }
                return [.filed, .needsReview, .refused].contains(status.state)
            }
        }
        #expect(done, "daemon did not finish; log tail:\n\(daemon.output.suffix(3000))")
        guard done else { return }

        func checkAgreement(_ id: String, _ expected: Expected, _ label: Comment) throws {
            let document = try akte.document(id: id, viewer: "test")
            let details = try JSONDecoder().decode(DocumentAnalysis.self, from: Data(document.detailsJSON.utf8))
            let decision = details.caseMatch
            #expect(document.machine.caseID == expected.caseID, label)
            #expect(decision.caseID == document.machine.caseID, label)
            #expect(decision.route == expected.route, label)
            #expect(decision.reasons.map(\.code) == expected.codes, label)
            #expect(decision.reasons.allSatisfy { !$0.german.isEmpty && !$0.english.isEmpty && $0.german != $0.english }, label)
            let noCase = document.reviewReasons.filter { $0.hasPrefix("Kein Fall: ") }
            if expected.caseID == nil {
                #expect(document.machine.status == .needsReview, label)
                #expect(noCase == ["Kein Fall: " + decision.reasons.map(\.german).joined(separator: "; ")], label)
            } else {
                #expect(noCase.isEmpty, label)
            }
        }
        for (sha, expected) in uploads {
            let id = try #require(try akte.uploadStatus(idOrSha: sha)?.documentID)
            try checkAgreement(id, expected, "\(expected.route)")
        }
        // Each part of the batch was named by the cover sheet before it.
        let parts = try #require(try akte.uploadStatus(idOrSha: SHA256Digest.hex(of: batch))).parts
        #expect(parts.map(\.coverPage) == [1, 3, 6])
        for (part, caseID) in zip(parts, ["96301BG0012345", "96302BG0004711", "96301BG0013002"]) {
            try checkAgreement(part.documentID, Expected(caseID: caseID, route: .coverSheet, codes: [.namedCase]), "part \(part.firstPage)")
        }
    }
}

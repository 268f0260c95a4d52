import Classification
import Akte
import Foundation

/// Findings read from the E-Akte: a household's filed documents (health data left out: no
/// finding rests on it) and the caseworkers' "geprüft" markings.
public enum CaseFindings {
    /// The case file the findings rest on: the persons in the register and the filed documents
    /// with their fields as they hold now. Reading it is not a view of a document (not audited),
    /// as with the inbox.
    public static func caseFile(_ bgNummer: String, in akte: any AkteStore) throws -> CaseFile {
        let entries = try akte.caseworkerInbox(
            InboxFilter(caseID: bgNummer, status: .filed, includeHealthData: false, limit: 100_000))
        let documents = entries.map { entry in
            CaseDocument(
                id: entry.summary.id, documentClass: entry.summary.documentClass, receivedAt: entry.summary.receivedAt,
                fields: Dictionary(entry.fields.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }))
        }
        return CaseFile(
            bgNummer: bgNummer, persons: try akte.persons(inCase: bgNummer), documents: documents,
            requests: try akte.requests(inCase: bgNummer), today: GermanFormat.isoDay(akte.currentDate()))
    }

    /// Where each request of a household stands (closed ones too when asked), in the order recorded.
    public static func requestStatuses(
        _ bgNummer: String, in akte: any AkteStore, engine: FindingsEngine, includeClosed: Bool = false
    ) throws -> [RequestStatus] {
        var file = try caseFile(bgNummer, in: akte)
        if includeClosed { file.requests = try akte.requests(inCase: bgNummer, includeClosed: true) }
        return file.requests.map { engine.status(of: $0, in: file) }
    }

    /// A household's findings, newest first, each with its "geprüft" if marked.
    public static func findings(_ bgNummer: String, in akte: any AkteStore, engine: FindingsEngine) throws -> [Finding] {
        let reviews = try akte.findingReviews(inCase: bgNummer)
        return engine.findings(for: try caseFile(bgNummer, in: akte)).map { finding in
            var finding = finding
            finding.review = reviews[finding.key]
            return finding
        }
    }
}

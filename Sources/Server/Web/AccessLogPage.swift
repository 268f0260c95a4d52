import Akte
import Classification
import Foundation
import Hummingbird

/// The data-protection page (role `datenschutz`): who opened which of a household's documents,
/// when and how — the answer to a citizen's request under Art. 15 GDPR. Read from the audit
/// trail (`viewed`, `exported`, `access_denied`); every text from the trail is escaped.
extension CaseworkerWeb {
    func accessLogPage(_ request: Request, _ caseworker: LoggedInCaseworker) throws -> Response {
        let entered = Self.formValue(request.uri.queryParameters["fall"]) ?? ""
        let since = Self.formValue(request.uri.queryParameters["seit"]) ?? ""
        var body = """
            <h1>Zugriffsprotokoll</h1>
            <p class="hint">Wer hat wann welche Dokumente einer Bedarfsgemeinschaft geöffnet, heruntergeladen oder exportiert – \
            und wem wurde der Zugriff verweigert (Auskunft nach Art. 15 DSGVO).</p>
            <form method="get" action="/datenschutz" class="filters">
              <label>BG-Nummer <input name="fall" value="\(HTML.escape(entered))" placeholder="96301BG0012345" size="18" required></label>
              <label>seit <input type="date" name="seit" value="\(HTML.escape(since))"></label>
              <button type="submit">Anzeigen</button>
            </form>
            """
        guard !entered.isEmpty else {
            return HTML.response(HTML.page(title: "Zugriffsprotokoll", caseworker: caseworker, active: "privacy", body: body))
        }
        let caseID = CaseIdentifiers.normalizeAny(entered)
        var sinceDate: Date?
        if !since.isEmpty {
            guard let day = Self.parseDay(since) else {
                body += "<p class=\"error\" role=\"alert\">„seit“: „\(HTML.escape(since))“ ist kein Datum (erwartet: JJJJ-MM-TT oder TT.MM.JJJJ).</p>"
                return HTML.response(
                    HTML.page(title: "Zugriffsprotokoll", caseworker: caseworker, active: "privacy", body: body), status: .badRequest)
            }
            sinceDate = day
        }
        guard try environment.akte.caseExists(caseID) else {
            body += "<p class=\"error\" role=\"alert\">Die Bedarfsgemeinschaft „\(HTML.escape(caseID))“ steht nicht im Fallregister.</p>"
            return HTML.response(
                HTML.page(title: "Zugriffsprotokoll", caseworker: caseworker, active: "privacy", body: body), status: .notFound)
        }
        try environment.akte.recordAccessLogRead(caseID: caseID, by: caseworker.identity.username)
        let persons = try environment.akte.persons(inCase: caseID)
        let entries = try environment.akte.auditLog(
            AuditLogFilter(caseID: caseID, since: sinceDate, actions: AuditAction.documentAccess, limit: 5000)
        ).reversed()
        let documents = try environment.akte.documentSummaries(ids: Set(entries.compactMap(\.documentID)))
        body += "<h2>Bedarfsgemeinschaft \(HTML.escape(caseID))</h2>"
        if !persons.isEmpty {
            body += "<p>" + persons.map { HTML.escape("\($0.vorname) \($0.nachname)") }.joined(separator: ", ") + "</p>"
        }
        guard !entries.isEmpty else {
            body += "<p class=\"empty\">Keine Zugriffe auf Dokumente dieser Bedarfsgemeinschaft\(sinceDate == nil ? "" : " seit \(HTML.escape(since))").</p>"
            return HTML.response(HTML.page(title: "Zugriffsprotokoll", caseworker: caseworker, active: "privacy", body: body))
        }
        // Who, how often, how many documents.
        var byActor: [String: (count: Int, documents: Set<String>)] = [:]
        for entry in entries {
            byActor[entry.actor, default: (0, [])].count += 1
            if let id = entry.documentID { byActor[entry.actor, default: (0, [])].documents.insert(id) }
        }
        let summary = byActor.sorted { $0.key < $1.key }.map { actor, value in
            "<tr><th scope=\"row\">\(HTML.escape(actor))</th><td class=\"num\">\(value.count)</td><td class=\"num\">\(value.documents.count)</td></tr>"
        }.joined()
        body += """
            <table class="summary">
            <caption>Zugriffe je Person</caption>
            <thead><tr><th scope="col">Person</th><th scope="col">Zugriffe</th><th scope="col">Dokumente</th></tr></thead>
            <tbody>\(summary)</tbody>
            </table>
            """
        var rows = ""
        for entry in entries {
            let document = entry.documentID.flatMap { documents[$0] }
            let documentText =
                document.map { "\(HTML.escape(classLabel($0.documentClass))), Eingang \(HTML.escape(HTML.day($0.receivedAt)))" }
                ?? HTML.escape(entry.documentID ?? "—")
            rows += """
                <tr><td class="date">\(HTML.date(entry.at))</td><td>\(HTML.escape(entry.actor))</td>\
                <td>\(HTML.escape(Self.accessText(entry)))</td><td>\(documentText)</td></tr>
                """
        }
        body += """
            <table class="documents">
            <caption>Alle Zugriffe, neueste zuerst (\(entries.count))</caption>
            <thead><tr><th scope="col">Zeitpunkt</th><th scope="col">Person</th><th scope="col">Zugriff</th><th scope="col">Dokument</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            """
        return HTML.response(HTML.page(title: "Zugriffsprotokoll", caseworker: caseworker, active: "privacy", body: body))
    }

    /// What kind of access an entry records, in German.
    static func accessText(_ entry: AuditEntry) -> String {
        let what = entry.detailValues["what"]
        switch entry.action {
        case .exported: return "exportiert"
        case .accessDenied: return "Zugriff verweigert (Gesundheitsdaten ohne Berechtigung)"
        default:
            switch what {
            case "original": return "Original heruntergeladen"
            case "pdf": return "durchsuchbares PDF geöffnet"
            case "page_image": return "Seitenbild angesehen"
            case "thumbnail": return "Vorschau angesehen"
            default: return "Dokument geöffnet"
            }
        }
    }
}

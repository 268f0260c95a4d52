import Akte
import Classification
import Findings
import Foundation
import Hummingbird

/// The case page (`/faelle/BG`): the household, its persons, its findings (each can be
/// marked "geprüft" with a note), its requested documents (recorded and taken back here, see
/// `RequestPages.swift`) and its documents as a timeline by month, newest first.
extension CaseworkerWeb {
    var findingsEngine: FindingsEngine { environment.findingsEngine }

    /// A household's findings; none (rather than an error page) for a case not in the register.
    func findings(ofCase caseID: String) throws -> [Finding] {
        guard try environment.akte.caseExists(caseID) else { return [] }
        return try CaseFindings.findings(caseID, in: environment.akte, engine: findingsEngine)
    }

    func casePage(_ request: Request, _ caseworker: LoggedInCaseworker, caseID: String) throws -> Response {
        guard try environment.akte.caseExists(caseID) else {
            return HTML.errorPage(
                .notFound, title: "Fall nicht gefunden",
                message: "Die BG-Nummer \(caseID) steht nicht im Fallregister.", caseworker: caseworker)
        }
        let persons = try environment.akte.persons(inCase: caseID)
        let caseFindings = try findings(ofCase: caseID)
        let entries = try environment.akte.caseworkerInbox(
            InboxFilter(caseID: caseID, includeHealthData: caseworker.mayOpenHealthData, limit: 1000))
        let notice = request.uri.queryParameters["gespeichert"].map { saved in
            "<p class=\"notice\" role=\"status\">Gespeichert: \(HTML.escape(String(saved))).</p>"
        } ?? ""
        let personRows = persons.map { person -> String in
            "<li>\(HTML.escape(person.vorname)) \(HTML.escape(person.nachname)) <span class=\"file\">\(HTML.escape(person.kundennummer))\(person.geburtsdatum.map { ", geb. " + HTML.escape(GermanFormat.date($0)) } ?? "")</span></li>"
        }.joined()
        let address = persons.first.map { person -> String in
            [person.strasse, [person.plz, person.ort].compactMap { $0 }.joined(separator: " ")].compactMap { $0 }
                .filter { !$0.isEmpty }.joined(separator: ", ")
        } ?? ""
        let open = caseFindings.filter(\.isOpen).count
        let requests = try CaseFindings.requestStatuses(caseID, in: environment.akte, engine: findingsEngine)
        let body = """
            <p class="back"><a href="/posteingang?fall=\(HTML.urlComponent(caseID))">← Posteingang dieses Falls</a></p>
            <h1>Fall \(HTML.escape(caseID))</h1>
            \(notice)
            <section><h2>Bedarfsgemeinschaft (\(persons.count) \(persons.count == 1 ? "Person" : "Personen"))</h2>
            <ul class="persons">\(personRows)</ul>\(address.isEmpty ? "" : "<p>\(HTML.escape(address))</p>")</section>
            <section class="findings"><h2>Befunde <span class="count">(\(caseFindings.count), davon \(open) offen)</span></h2>
            \(findingsList(caseFindings, caseID: caseID, caseworker: caseworker, withForms: true))
            </section>
            \(requestsSection(requests, caseID: caseID, caseworker: caseworker))
            <section><h2>Dokumente <span class="count">(\(entries.count))</span></h2>
            \(entries.isEmpty ? "<p class=\"empty\">Keine Dokumente.</p>" : timeline(entries))
            </section>
            """
        return HTML.response(HTML.page(title: "Fall \(caseID)", caseworker: caseworker, body: body))
    }

    /// The household's documents as a timeline: by month of the Eingangsdatum, newest first, each
    /// with its day, class, key fields and status.
    func timeline(_ entries: [CaseworkerListEntry]) -> String {
        let months = [
            "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November",
            "Dezember",
        ]
        var groups: [(month: String, entries: [CaseworkerListEntry])] = []
        for entry in entries.sorted(by: { $0.summary.receivedAt > $1.summary.receivedAt }) {
            let month = String(GermanFormat.isoDay(entry.summary.receivedAt).prefix(7))
            if groups.last?.month == month {
                groups[groups.count - 1].entries.append(entry)
            } else {
                groups.append((month, [entry]))
            }
        }
        let items = groups.map { group -> String in
            let number = Int(group.month.suffix(2)) ?? 1
            let heading = "\(months[max(0, min(11, number - 1))]) \(group.month.prefix(4))"
            let documents = group.entries.map { entry -> String in
                let d = entry.summary
                let fields = orderedFields(entry.fields, of: d.documentClass).prefix(3).map { field -> String in
                    "<span class=\"key\">\(HTML.escape(field.key))</span> \(HTML.escape(field.value))"
                }.joined(separator: " · ")
                return """
                    <li><span class="date">\(HTML.escape(GermanFormat.date(GermanFormat.isoDay(d.receivedAt))))</span>
                    <a href="/dokumente/\(HTML.escape(d.id))">\(HTML.escape(classLabel(d.documentClass)))</a>
                    <span class="badge \(d.status.rawValue)">\(HTML.statusLabel(d.status.rawValue))</span>
                    \(fields.isEmpty ? "" : "<div class=\"file\">\(fields)</div>")</li>
                    """
            }.joined()
            return "<li class=\"month\"><h3>\(heading)</h3><ol>\(documents)</ol></li>"
        }.joined()
        return "<ol class=\"timeline\">\(items)</ol>"
    }

    /// Findings as a list; with `withForms`, each open one has a "geprüft" form.
    func findingsList(_ findings: [Finding], caseID: String, caseworker: LoggedInCaseworker, withForms: Bool) -> String {
        guard !findings.isEmpty else { return "<p class=\"empty\">Keine Befunde.</p>" }
        let csrf = HTML.csrfField(caseworker.csrfToken)
        let items = findings.map { finding -> String in
            let documents = finding.documentIDs.enumerated().map { index, id -> String in
                "<a href=\"/dokumente/\(HTML.escape(id))\">Dokument \(index + 1)</a>"
            }.joined(separator: ", ")
            let evidence = documents.isEmpty ? "" : "<p class=\"file\">Belege: \(documents)</p>"
            let state: String
            if !finding.isCheckable {
                state = ""
            } else if let review = finding.review {
                state =
                    "<p class=\"reviewed\">Geprüft von \(HTML.escape(review.reviewedBy)) am \(HTML.date(review.reviewedAt)): \(HTML.escape(review.note))</p>"
            } else if withForms {
                state = """
                    <form method="post" action="/faelle/\(HTML.urlComponent(caseID))/befunde" class="inline">\(csrf)
                      <input type="hidden" name="schluessel" value="\(HTML.escape(finding.key))">
                      <input name="notiz" placeholder="Notiz" aria-label="Notiz zur Prüfung" required>
                      <button type="submit">Als geprüft markieren</button></form>
                    """
            } else {
                state = ""
            }
            return """
                <li class="finding \(finding.review == nil ? finding.severity.rawValue : "checked")" data-code="\(finding.code.rawValue)"\(finding.requestID.map { " data-request=\"\($0)\"" } ?? "")>
                <span class="badge">\(finding.review == nil ? finding.severity.label : "Geprüft")</span> <strong>\(HTML.escape(finding.code.title))</strong>
                <p>\(HTML.escape(finding.message))</p>
                \(evidence)
                \(state)
                </li>
                """
        }.joined()
        return "<ul class=\"findings\">\(items)</ul>"
    }

    /// POST `/faelle/BG/befunde`: marks a finding "geprüft" with a note (audited; changes no value).
    func markFindingChecked(_ caseworker: LoggedInCaseworker, caseID: String, _ form: FormBody) throws -> Response {
        guard try environment.akte.caseExists(caseID) else {
            return HTML.errorPage(
                .notFound, title: "Fall nicht gefunden", message: "Die BG-Nummer \(caseID) steht nicht im Fallregister.",
                caseworker: caseworker)
        }
        let key = form.text("schluessel") ?? ""
        guard let finding = try findings(ofCase: caseID).first(where: { $0.key == key }) else {
            return HTML.errorPage(
                .badRequest, title: "Befund nicht gefunden",
                message: "Diesen Befund gibt es in Fall \(caseID) nicht (mehr); die Seite neu laden.", caseworker: caseworker)
        }
        guard let note = form.text("notiz"), !note.isEmpty else {
            return HTML.errorPage(
                .badRequest, title: "Notiz fehlt", message: "Bitte notieren Sie, was geprüft wurde.", caseworker: caseworker)
        }
        try environment.akte.markFindingReviewed(
            bgNummer: caseID, findingKey: finding.key, code: finding.code.rawValue, documentIDs: finding.documentIDs,
            note: note, by: caseworker.identity.username)
        return HTML.redirect(
            to: "/faelle/\(HTML.urlComponent(caseID))?gespeichert=\(HTML.urlComponent("geprüft: " + finding.code.title))")
    }
}

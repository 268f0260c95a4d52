import Classification
import Akte
import Findings
import Foundation
import Hummingbird

/// Requested documents on the caseworkers' pages: recorded and taken back on the case
/// page (both audited), and all households' requests in one list, overdue first (`/anforderungen`).
extension CaseworkerWeb {
    func registerRequestPages(on router: Router<ServerRequestContext>) {
        router.get("/anforderungen") { request, _ in
            try await self.withCaseworker(request) { caseworker in try self.requestsPage(request, caseworker) }
        }
        router.post("/faelle/:bg/anforderungen") { request, context in
            try await self.withForm(request) { caseworker, form in
                try self.addRequest(caseworker, caseID: context.parameters.get("bg") ?? "", form)
            }
        }
        router.post("/faelle/:bg/anforderungen/:id/zuruecknehmen") { request, context in
            try await self.withForm(request) { caseworker, form in
                try self.closeRequest(
                    caseworker, caseID: context.parameters.get("bg") ?? "", id: context.parameters.get("id", as: Int64.self), form)
            }
        }
    }

    /// The case page's section: the household's requests with their state, a form to take one
    /// back, and a form to record a new one.
    func requestsSection(_ statuses: [RequestStatus], caseID: String, caseworker: LoggedInCaseworker) -> String {
        let engine = findingsEngine
        let csrf = HTML.csrfField(caseworker.csrfToken)
        let rows = statuses.map { status -> String in
            let request = status.request
            let documents = status.documentIDs.enumerated().map { index, id -> String in
                "<a href=\"/dokumente/\(HTML.escape(id))\">Dokument \(index + 1)</a>"
            }.joined(separator: ", ")
            let state = Self.stateLabel(status)
            let missing = status.gaps.isEmpty ? "" : "<div class=\"file\">fehlt: \(HTML.escape(engine.describe(status.gaps)))</div>"
            // Awaited requests can be taken back; a fulfilled one is done (its finding can be marked "geprüft").
            let closeForm = """
                <form method="post" action="/faelle/\(HTML.urlComponent(caseID))/anforderungen/\(request.id)/zuruecknehmen" class="inline">\(csrf)
                  <input name="notiz" placeholder="Grund" aria-label="Grund für das Zurücknehmen" required>
                  <button type="submit">Zurücknehmen</button></form>
                """
            return """
                <tr class="request \(status.state.rawValue)" data-request="\(request.id)">
                <td>\(HTML.escape(engine.describe(request)))\(request.note.isEmpty ? "" : "<div class=\"file\">\(HTML.escape(request.note))</div>")</td>
                <td class="date">\(HTML.escape(GermanFormat.date(request.dueDate)))</td>
                <td><span class="badge \(status.state.rawValue)">\(HTML.escape(state))</span>\(missing)</td>
                <td>\(documents.isEmpty ? "—" : documents)</td>
                <td class="file">\(HTML.escape(request.requestedBy)), \(HTML.date(request.requestedAt))</td>
                <td>\(status.isAwaited ? closeForm : "")</td>
                </tr>
                """
        }.joined()
        let table =
            statuses.isEmpty
            ? "<p class=\"empty\">Keine angeforderten Unterlagen.</p>"
            : """
            <table class="documents requests">
            <thead><tr><th>Angefordert</th><th>Frist</th><th>Stand</th><th>Belege</th><th>Von</th><th></th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            """
        let today = GermanFormat.isoDay(environment.akte.currentDate())
        let defaultDue = GermanFormat.isoDay(environment.akte.currentDate().addingTimeInterval(14 * 86_400))
        let options = documentClasses.filter { !engine.restrictedClasses.contains($0.id) }.map { documentClass -> String in
            let period = engine.periodKind(ofClass: documentClass.id).hasPeriod ? "" : " (ohne Zeitraum)"
            return "<option value=\"\(HTML.escape(documentClass.id))\">\(HTML.escape(documentClass.label + period))</option>"
        }.joined()
        return """
            <section class="requests"><h2>Angeforderte Unterlagen <span class="count">(\(statuses.count))</span></h2>
            \(table)
            <form method="post" action="/faelle/\(HTML.urlComponent(caseID))/anforderungen" class="filters request-new">\(csrf)
              <label>Unterlage<select name="klasse" required>\(options)</select></label>
              <label>Letzte Monate<input name="monate" type="number" min="1" max="36" placeholder="z. B. 3"></label>
              <label>oder ab Monat<input name="von" type="month"></label>
              <label>bis Monat<input name="bis" type="month"></label>
              <label>Frist<input name="faellig" type="date" value="\(defaultDue)" min="\(today)" required></label>
              <label>Notiz<input name="notiz" placeholder="was genau angefordert wurde"></label>
              <button type="submit">Anfordern</button>
            </form>
            </section>
            """
    }

    /// POST `/faelle/BG/anforderungen`: records a request (audited).
    func addRequest(_ caseworker: LoggedInCaseworker, caseID: String, _ form: FormBody) throws -> Response {
        guard try environment.akte.caseExists(caseID) else { return caseNotFound(caseID, caseworker) }
        let monthsText = form.text("monate")
        let months = monthsText.flatMap { Int($0) }
        if let monthsText, months == nil {
            return requestRefused("„\(monthsText)“ ist keine Zahl von Monaten.", caseID: caseID, caseworker)
        }
        let entry = RequestEntry(
            bgNummer: caseID, documentClass: form.text("klasse") ?? "", months: months, from: form.text("von"),
            to: form.text("bis"), due: form.text("faellig") ?? "", note: form.text("notiz") ?? "")
        let engine = findingsEngine
        let request: DocumentRequest
        do {
            request = try environment.akte.addRequest(
                try entry.validated(by: engine, today: GermanFormat.isoDay(environment.akte.currentDate())),
                by: caseworker.identity.username)
        } catch let problem as RequestEntry.Problem {
            return requestRefused(problem.german, caseID: caseID, caseworker)
        }
        return HTML.redirect(
            to: "/faelle/\(HTML.urlComponent(caseID))?gespeichert=\(HTML.urlComponent("angefordert: " + engine.describe(request)))")
    }

    /// POST `/faelle/BG/anforderungen/ID/zuruecknehmen`: takes a request back with a note (audited).
    func closeRequest(_ caseworker: LoggedInCaseworker, caseID: String, id: Int64?, _ form: FormBody) throws -> Response {
        guard try environment.akte.caseExists(caseID) else { return caseNotFound(caseID, caseworker) }
        guard let id, let request = try? environment.akte.request(id: id), request.bgNummer == caseID else {
            return HTML.errorPage(
                .notFound, title: "Anforderung nicht gefunden", message: "Fall \(caseID) hat keine solche Anforderung.",
                caseworker: caseworker)
        }
        guard let note = form.text("notiz"), !note.isEmpty else {
            return requestRefused("Bitte notieren Sie, warum die Anforderung zurückgenommen wird.", caseID: caseID, caseworker)
        }
        guard !request.isClosed else {
            return HTML.errorPage(
                .conflict, title: "Schon zurückgenommen",
                message: "Diese Anforderung wurde bereits von \(request.closing?.closedBy ?? "jemandem") zurückgenommen.",
                caseworker: caseworker)
        }
        try environment.akte.closeRequest(id: id, note: note, by: caseworker.identity.username)
        return HTML.redirect(
            to:
                "/faelle/\(HTML.urlComponent(caseID))?gespeichert=\(HTML.urlComponent("zurückgenommen: " + findingsEngine.describe(request)))"
        )
    }

    /// GET `/anforderungen`: every household's requests still awaited, overdue first (longest
    /// overdue first), then open by due date; below, those fulfilled in the last 30 days.
    func requestsPage(_ request: Request, _ caseworker: LoggedInCaseworker) throws -> Response {
        let engine = findingsEngine
        var statuses: [RequestStatus] = []
        for caseID in try environment.akte.casesWithRequests() {
            statuses += try CaseFindings.requestStatuses(caseID, in: environment.akte, engine: engine)
        }
        statuses = RequestStatus.ordered(statuses)
        let recent = GermanFormat.isoDay(environment.akte.currentDate().addingTimeInterval(-30 * 86_400))
        let awaited = statuses.filter(\.isAwaited)
        let fulfilled = statuses.filter { $0.state == .fulfilled && ($0.lastReceived ?? "") >= recent }
        func table(_ statuses: [RequestStatus]) -> String {
            let rows = statuses.map { status -> String in
                let request = status.request
                let state = Self.stateLabel(status)
                let missing =
                    status.gaps.isEmpty || status.documentIDs.isEmpty
                    ? "" : "<div class=\"file\">fehlt: \(HTML.escape(engine.describe(status.gaps)))</div>"
                return """
                    <tr class="request \(status.state.rawValue)" data-request="\(request.id)">
                    <td><span class="badge \(status.state.rawValue)">\(HTML.escape(state))</span></td>
                    <td class="date">\(HTML.escape(GermanFormat.date(request.dueDate)))</td>
                    <td><a href="/faelle/\(HTML.urlComponent(request.bgNummer))">\(HTML.escape(request.bgNummer))</a></td>
                    <td>\(HTML.escape(engine.describe(request)))\(missing)</td>
                    <td class="file">\(HTML.escape(request.requestedBy)), \(HTML.date(request.requestedAt))</td>
                    </tr>
                    """
            }.joined()
            return """
                <table class="documents requests">
                <thead><tr><th>Stand</th><th>Frist</th><th>Fall</th><th>Angefordert</th><th>Von</th></tr></thead>
                <tbody>\(rows)</tbody>
                </table>
                """
        }
        let overdueCount = awaited.filter { $0.state == .overdue }.count
        let body = """
            <h1>Angeforderte Unterlagen</h1>
            <section><h2>Ausstehend <span class="count">(\(awaited.count), davon \(overdueCount) überfällig)</span></h2>
            \(awaited.isEmpty ? "<p class=\"empty\">Keine ausstehenden Unterlagen.</p>" : table(awaited))
            </section>
            <section><h2>In den letzten 30 Tagen eingegangen <span class="count">(\(fulfilled.count))</span></h2>
            \(fulfilled.isEmpty ? "<p class=\"empty\">Keine.</p>" : table(fulfilled))
            </section>
            """
        return HTML.response(HTML.page(title: "Angeforderte Unterlagen", caseworker: caseworker, active: "requests", body: body))
    }

    /// `offen`, `überfällig seit 3 Tagen`, `erfüllt`.
    static func stateLabel(_ status: RequestStatus) -> String {
        guard status.state == .overdue else { return status.state.label }
        return "\(status.state.label) seit \(status.daysOverdue) \(status.daysOverdue == 1 ? "Tag" : "Tagen")"
    }

    private func caseNotFound(_ caseID: String, _ caseworker: LoggedInCaseworker) -> Response {
        HTML.errorPage(
            .notFound, title: "Fall nicht gefunden", message: "Die BG-Nummer \(caseID) steht nicht im Fallregister.",
            caseworker: caseworker)
    }

    private func requestRefused(_ message: String, caseID: String, _ caseworker: LoggedInCaseworker) -> Response {
        let body = """
            <h1>Nicht angefordert</h1>
            <p class="error" role="alert">\(HTML.escape(message))</p>
            <p><a href="/faelle/\(HTML.urlComponent(caseID))">Zurück zum Fall \(HTML.escape(caseID))</a></p>
            """
        return HTML.response(HTML.page(title: "Nicht angefordert", caseworker: caseworker, body: body), status: .badRequest)
    }
}

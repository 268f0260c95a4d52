import Classification
import Akte
import Findings
import Foundation
import Hummingbird

/// Working on a document: take it into work, give it to a colleague or team, add
/// notes, set a follow-up day (Wiedervorlage), mark it erledigt; the list of follow-ups due.
/// Each change goes through the store, which audits it.
extension CaseworkerWeb {
    /// The "Bearbeitung" section of the document page.
    func workSection(_ work: DocumentWork, documentID: String, caseworker: LoggedInCaseworker) throws -> String {
        let link = "/dokumente/\(HTML.escape(documentID))"
        let csrf = HTML.csrfField(caseworker.csrfToken)
        let stateButtons = WorkState.allCases.filter { $0 != work.state }.map { state in
            """
            <form method="post" action="\(link)/status" class="inline">\(csrf)<input type="hidden" name="status" value="\(state.rawValue)">\
            <button type="submit">\(Self.stateAction(state, from: work.state))</button></form>
            """
        }.joined()
        let people = try environment.akte.caseworkers().filter { !$0.disabled && $0.roles.contains(.sachbearbeitung) }
        let options = people.map { "<option value=\"\(HTML.escape($0.username))\"></option>" }.joined()
        let notes = work.notes.map { note in
            "<li><span class=\"date\">\(HTML.date(note.at)) · \(HTML.escape(note.author))</span><p>\(HTML.escape(note.text))</p></li>"
        }.joined()
        let assignee = work.assignee.map(Self.assigneeLabel) ?? "niemand"
        return """
            <section class="work"><h2>Bearbeitung</h2>
            <dl class="meta">
              <dt>Stand</dt><dd><span class="badge work-\(work.state.rawValue)">\(work.state.label)</span>\
            \(work.updatedBy.map { " (zuletzt \(HTML.escape($0))\(work.updatedAt.map { ", " + HTML.date($0) } ?? ""))" } ?? "")</dd>
              <dt>Zuständig</dt><dd>\(HTML.escape(assignee))</dd>
              <dt>Wiedervorlage</dt><dd>\(work.followUp.map { HTML.escape(GermanFormat.date($0)) } ?? "keine")</dd>
            </dl>
            <div class="actions">\(stateButtons)
            <form method="post" action="\(link)/zuweisen" class="inline">\(csrf)
              <label>Zuständig <input name="zustaendig" list="bearbeitende" value="\(HTML.escape(work.assignee ?? caseworker.identity.username))" size="16"></label>
              <datalist id="bearbeitende">\(options)</datalist>
              <button type="submit">Zuweisen</button></form>
            <form method="post" action="\(link)/wiedervorlage" class="inline">\(csrf)
              <label>Wiedervorlage am <input type="date" name="datum" value="\(HTML.escape(work.followUp ?? ""))"></label>
              <button type="submit">Setzen</button></form>
            </div>
            \(notes.isEmpty ? "" : "<h3>Notizen</h3><ul class=\"notes\">\(notes)</ul>")
            <form method="post" action="\(link)/notiz" class="note">\(csrf)
              <label>Notiz <textarea name="notiz" rows="3" maxlength="\(DocumentNote.maxLength)" required></textarea></label>
              <button type="submit">Notiz speichern</button></form>
            </section>
            """
    }

    static func stateAction(_ state: WorkState, from current: WorkState) -> String {
        switch state {
        case .inProgress: return current == .done ? "Wieder aufnehmen" : "In Bearbeitung nehmen"
        case .done: return "Als erledigt markieren"
        case .new: return "Zurück auf neu"
        }
    }

    /// `team:leistung` → "Team leistung"; a login stays as it is.
    static func assigneeLabel(_ assignee: String) -> String {
        assignee.hasPrefix("team:") ? "Team " + assignee.dropFirst(5) : assignee
    }

    // MARK: - Posts

    func setWorkState(_ caseworker: LoggedInCaseworker, _ access: DocumentAccess, _ form: FormBody) throws -> Response {
        guard let text = form.text("status"), let state = WorkState(rawValue: text) else {
            return workRefused(
                "Unbekannter Stand „\(form.text("status") ?? "")“ (bekannt: neu, in_bearbeitung, erledigt).", caseworker, access)
        }
        try environment.akte.setWorkState(documentID: access.id, to: state, by: caseworker.identity.username)
        return HTML.redirect(to: "/dokumente/\(access.id)?gespeichert=\(Notice.workStateChanged.rawValue)")
    }

    func assignWork(_ caseworker: LoggedInCaseworker, _ access: DocumentAccess, _ form: FormBody) throws -> Response {
        do {
            try environment.akte.assignWork(documentID: access.id, to: form.text("zustaendig"), by: caseworker.identity.username)
        } catch AkteError.invalidInput {
            return workRefused(
                "„\(form.text("zustaendig") ?? "")“ ist weder ein Konto noch ein Team. Nennen Sie einen Benutzernamen oder ein Team als „team:Name“.",
                caseworker, access)
        }
        return HTML.redirect(to: "/dokumente/\(access.id)?gespeichert=\(Notice.workAssigned.rawValue)")
    }

    func addNote(_ caseworker: LoggedInCaseworker, _ access: DocumentAccess, _ form: FormBody) throws -> Response {
        guard let text = form.text("notiz"), text.count <= DocumentNote.maxLength else {
            return workRefused("Eine Notiz braucht 1 bis \(DocumentNote.maxLength) Zeichen.", caseworker, access)
        }
        try environment.akte.addNote(documentID: access.id, text: text, by: caseworker.identity.username)
        return HTML.redirect(to: "/dokumente/\(access.id)?gespeichert=\(Notice.noteAdded.rawValue)")
    }

    func setFollowUp(_ caseworker: LoggedInCaseworker, _ access: DocumentAccess, _ form: FormBody) throws -> Response {
        var day: String?
        if let text = form.text("datum") {
            guard let iso = DocumentWork.isoDay(text) else {
                return workRefused("„\(text)“ ist kein Datum (erwartet: TT.MM.JJJJ oder JJJJ-MM-TT).", caseworker, access)
            }
            day = iso
        }
        do {
            try environment.akte.setFollowUp(documentID: access.id, day: day, by: caseworker.identity.username)
        } catch AkteError.invalidInput {
            return workRefused("„\(form.text("datum") ?? "")“ ist kein gültiges Datum.", caseworker, access)
        }
        return HTML.redirect(to: "/dokumente/\(access.id)?gespeichert=\(Notice.followUpSet.rawValue)")
    }

    private func workRefused(_ message: String, _ caseworker: LoggedInCaseworker, _ access: DocumentAccess) -> Response {
        let body = """
            <h1>Nicht gespeichert</h1>
            <p class="error" role="alert">\(HTML.escape(message))</p>
            <p><a href="/dokumente/\(HTML.escape(access.id))">Zurück zum Dokument</a></p>
            """
        return HTML.response(HTML.page(title: "Nicht gespeichert", caseworker: caseworker, body: body), status: .badRequest)
    }

    // MARK: - /wiedervorlage

    /// Documents whose follow-up day has come (today in German time or earlier), not erledigt.
    func followUpPage(_ request: Request, _ caseworker: LoggedInCaseworker) throws -> Response {
        let today = GermanFormat.isoDay(Date())
        let due = try environment.akte.dueFollowUps(onOrBefore: today, includeHealthData: caseworker.mayOpenHealthData)
        var body = "<h1>Wiedervorlage</h1>"
        if due.isEmpty {
            body += "<p class=\"empty\">Heute ist nichts zur Wiedervorlage fällig.</p>"
        } else {
            body += "<p class=\"count\" role=\"status\">\(due.count) \(due.count == 1 ? "Dokument ist" : "Dokumente sind") zur Wiedervorlage fällig (bis \(GermanFormat.date(today))).</p>"
            var rows = ""
            for item in due {
                let d = item.entry.summary
                let link = "/dokumente/\(HTML.escape(d.id))"
                rows += """
                    <tr><td class="date">\(HTML.escape(GermanFormat.date(item.work.followUp ?? "")))</td>\
                    <td><a href="\(link)">\(HTML.escape(classLabel(d.documentClass)))</a><div class="file">\(HTML.escape(HTML.fileName(d.originalFilename)))</div></td>\
                    <td>\(d.caseID.map(HTML.escape) ?? "—")</td><td>\(item.work.state.label)</td>\
                    <td>\(HTML.escape(item.work.assignee.map(Self.assigneeLabel) ?? "niemand"))</td></tr>
                    """
            }
            body += """
                <table class="documents">
                <thead><tr><th scope="col">Fällig am</th><th scope="col">Dokument</th><th scope="col">Fall</th><th scope="col">Stand</th><th scope="col">Zuständig</th></tr></thead>
                <tbody>\(rows)</tbody>
                </table>
                """
        }
        return HTML.response(HTML.page(title: "Wiedervorlage", caseworker: caseworker, active: "followup", body: body))
    }
}

import Akte
import Classification
import Findings
import Foundation
import Hummingbird

/// One document: its straightened pages beside the fields, with the corrections in place.
extension CaseworkerWeb {
    func documentPage(_ request: Request, _ caseworker: LoggedInCaseworker, _ access: DocumentAccess) throws -> Response {
        // Opening the record is the audited view.
        let d = try environment.akte.document(id: access.id, viewer: caseworker.identity.username)
        let link = "/dokumente/\(HTML.escape(d.id))"
        let csrf = HTML.csrfField(caseworker.csrfToken)
        // A code chooses a fixed text; a field is named by its label only if the class has it.
        let savedField = request.uri.queryParameters["feld"].flatMap { key in
            fieldDefinitions(for: d.effective.documentClass).first { $0.key == String(key) }
        }
        let notice = Notice.html(
            code: request.uri.queryParameters["gespeichert"], subject: savedField.map { fieldLabel($0.key, of: d.effective.documentClass) })

        let canRender = access.archivePDFSha256 != nil || access.format.lowercased().contains("pdf")
        let places = canRender ? Self.valuePlaces(detailsJSON: d.detailsJSON) : [:]
        let pages =
            canRender
            ? (1...max(1, d.pageCount)).map { number in
                "<figure><div class=\"page-frame\"><img src=\"\(link)/seite/\(number)\" alt=\"Seite \(number), begradigt\">\(Self.placeMarks(places, page: number))</div><figcaption>Seite \(number) von \(d.pageCount)</figcaption></figure>"
            }.joined()
            : "<p class=\"empty\">Kein Seitenbild vorhanden.</p>"

        let classOptions = documentClasses.map { documentClass in
            "<option value=\"\(HTML.escape(documentClass.id))\"\(documentClass.id == d.effective.documentClass ? " selected" : "")>\(HTML.escape(documentClass.label))</option>"
        }.joined()

        var fieldRows = ""
        let documentClass = d.effective.documentClass
        for field in orderedFields(d.fields, of: documentClass) {
            let label = fieldLabel(field.key, of: documentClass)
            let type = fieldType(field.key, of: documentClass)
            let marks =
                (field.doubtful
                    ? "<span class=\"flag\" title=\"zweifelhaft\">?</span> <span class=\"reason\">\(HTML.escape(field.reason ?? "zweifelhaft"))</span>"
                    : "")
                + (field.corrected
                    ? "<span class=\"corrected\">korrigiert (Maschine: \(HTML.escape(field.machineValue.map { GermanFormat.fieldValue($0, type: type) } ?? "—")))</span>"
                    : "")
                + (places[field.key].map { Self.placeLink(key: field.key, $0) } ?? "")
            fieldRows += """
                <tr\(field.doubtful ? " class=\"doubtful\"" : "")>
                <th scope="row">\(HTML.escape(label))</th>
                <td><form method="post" action="\(link)/feld" class="inline">\(csrf)
                  <input type="hidden" name="feld" value="\(HTML.escape(field.key))">
                  <input name="wert" value="\(HTML.escape(GermanFormat.fieldInput(field.value, type: type)))" aria-label="\(HTML.escape(label))">\(Self.unit(of: type))
                  <button type="submit">Speichern</button></form>\(marks)</td>
                </tr>
                """
        }
        let present = Set(d.fields.map(\.key))
        let missing = fieldDefinitions(for: documentClass).filter { !present.contains($0.key) }
        let addField =
            missing.isEmpty
            ? ""
            : """
            <form method="post" action="\(link)/feld" class="inline add">\(csrf)
              <select name="feld" aria-label="Feld">\(missing.map { "<option value=\"\(HTML.escape($0.key))\">\(HTML.escape($0.label))</option>" }.joined())</select>
              <input name="wert" aria-label="Wert" placeholder="Wert">
              <button type="submit">Feld ergänzen</button></form>
            """

        var review = ""
        if d.effective.status == .needsReview {
            let candidates = Self.candidates(detailsJSON: d.detailsJSON)
            review = """
                <section class="review"><h2>Zu prüfen</h2>
                <ul>\(d.reviewReasons.map { "<li>\(HTML.escape($0))</li>" }.joined())</ul>
                \(assignButtons(documentID: d.id, candidates: candidates, caseworker: caseworker))
                \(d.effective.caseID != nil ? "<form method=\"post\" action=\"\(link)/freigeben\">\(csrf)<button type=\"submit\">Prüfung abschließen (Fall \(HTML.escape(d.effective.caseID!)))</button></form>" : "")
                </section>
                """
        }

        // The household's findings that rest on this document.
        var findingsSection = ""
        if let caseID = d.effective.caseID, d.effective.status == .filed {
            let mine = try findings(ofCase: caseID).filter { $0.documentIDs.contains(d.id) }
            findingsSection = """
                <section class="findings"><h2>Befunde</h2>
                \(findingsList(mine, caseID: caseID, caseworker: caseworker, withForms: false))
                <p><a href="/faelle/\(HTML.urlComponent(caseID))">Alle Befunde und Dokumente des Falls</a></p>
                </section>
                """
        }

        // Who the case is: the household's persons, and in one sentence why the document is there.
        var household = ""
        if let caseID = d.effective.caseID {
            let persons = try environment.akte.persons(inCase: caseID)
            if !persons.isEmpty {
                let names = persons.map { HTML.escape("\($0.vorname) \($0.nachname) (\($0.kundennummer))") }.joined(separator: ", ")
                household += "<dt>Haushalt</dt><dd>\(names)</dd>"
            }
            if let reason = caseReason(d) { household += "<dt>Warum dieser Fall</dt><dd>\(HTML.escape(reason))</dd>" }
        }

        // A part of a multi-document upload: which pages of which upload, and why it starts there.
        let parts = try environment.akte.parts(ofDocument: d.id).map { part -> String in
            let upload = d.receipts.first { $0.uploadID == part.uploadID }.map { " von „\(HTML.escape(HTML.fileName($0.filename)))“" } ?? ""
            let pages = part.firstPage == part.lastPage ? "Seite \(part.firstPage)" : "Seiten \(part.firstPage)–\(part.lastPage)"
            return "<dt>Teil der Sendung</dt><dd>Teil \(part.number) von \(part.count) (\(pages)\(upload)): \(HTML.escape(part.reason))</dd>"
        }.joined()

        // What the citizen wrote with each upload that brought the document (the API's `note`).
        let notes = d.receipts.compactMap { receipt in
            receipt.note.map { note in
                "<dt>Nachricht beim Hochladen</dt><dd><blockquote class=\"upload-note\">\(HTML.escape(note))</blockquote>"
                    + "<span class=\"hint\">\(HTML.date(receipt.receivedAt)) über \(HTML.escape(HTML.channelLabel(receipt.channel)))</span></dd>"
            }
        }.joined()

        let history = d.corrections.map { correction in
            "<li>\(HTML.date(correction.at)) · \(HTML.escape(correction.actor)): \(HTML.escape(correctionText(correction, of: documentClass)))</li>"
        }.joined()

        let body = """
            <p class="back"><a href="/posteingang">← Posteingang</a></p>
            <h1>\(HTML.escape(classLabel(d.effective.documentClass)))\(d.sensitive ? " <span class=\"badge health\">Gesundheitsdaten</span>" : "")</h1>
            \(notice)
            <div class="document">
            <div class="pages">\(pages)</div>
            <div class="facts">
              <dl class="meta">
                <dt>Status</dt><dd><span class="badge \(d.effective.status.rawValue)">\(HTML.statusLabel(d.effective.status.rawValue))</span></dd>
                <dt>Eingang</dt><dd>\(HTML.date(d.receivedAt)) über \(HTML.escape(HTML.channelLabel(d.channel)))</dd>
                <dt>Datei</dt><dd>\(HTML.escape(HTML.fileName(d.originalFilename))) (\(HTML.escape(d.format)), \(d.pageCount) Seite(n))</dd>
                <dt>Klassensicherheit</dt><dd>\(HTML.percent(d.classConfidence)) (Maschine: \(HTML.escape(classLabel(d.machine.documentClass))))</dd>
                <dt>Fall</dt><dd>\(d.effective.caseID.map { "<a href=\"/faelle/\(HTML.urlComponent($0))\">\(HTML.escape($0))</a>" } ?? "—")\(d.machine.caseID != d.effective.caseID ? " (Maschine: \(HTML.escape(d.machine.caseID ?? "—")))" : "")</dd>
                \(household)
                \(parts)
                \(notes)
              </dl>
              <p class="downloads"><a href="\(link)/original">Original herunterladen</a>\(d.archivePDFSha256 != nil ? " · <a href=\"\(link)/pdf\">Durchsuchbares PDF</a>" : "")</p>
              \(review)
              \(try workSection(try environment.akte.documentWork(id: d.id), documentID: d.id, caseworker: caseworker))
              \(findingsSection)
              <section><h2>Angaben</h2>
              <table class="fields">\(fieldRows.isEmpty ? "<tr><td>Keine Angaben gelesen.</td></tr>" : fieldRows)</table>
              \(addField)
              </section>
              <section><h2>Korrigieren</h2>
              <form method="post" action="\(link)/klasse" class="inline">\(csrf)
                <label>Klasse <select name="klasse">\(classOptions)</select></label>
                <button type="submit">Klasse ändern</button></form>
              <form method="post" action="\(link)/fall" class="inline">\(csrf)
                <label>Fall <input name="fall" value="\(HTML.escape(d.effective.caseID ?? ""))" placeholder="BG-Nummer" required></label>
                <button type="submit">Fall zuordnen</button></form>
              </section>
              \(history.isEmpty ? "" : "<section><h2>Korrekturen</h2><ul class=\"history\">\(history)</ul></section>")
            </div>
            </div>
            """
        return HTML.response(HTML.page(title: classLabel(d.effective.documentClass), caseworker: caseworker, body: body))
    }

    /// Buttons that assign a review document to one of its candidate cases (and close the
    /// review), plus a field for any other case.
    func assignButtons(documentID: String, candidates: [CaseCandidate], caseworker: LoggedInCaseworker) -> String {
        let action = "/dokumente/\(HTML.escape(documentID))/zuordnen"
        let csrf = HTML.csrfField(caseworker.csrfToken)
        let buttons = candidates.map { candidate in
            """
            <form method="post" action="\(action)" class="candidate">\(csrf)
              <input type="hidden" name="fall" value="\(HTML.escape(candidate.caseID))">
              <button type="submit">Zuordnen: \(HTML.escape(candidate.caseID))</button>
              <span class="evidence">\(HTML.escape(candidate.evidence.joined(separator: "; ")))</span>
            </form>
            """
        }.joined()
        return """
            <div class="assign">\(candidates.isEmpty ? "<p class=\"hint\">Keine Fallvorschläge.</p>" : buttons)
            <form method="post" action="\(action)" class="inline">\(csrf)
              <input name="fall" placeholder="andere BG-Nummer" aria-label="andere BG-Nummer" required>
              <button type="submit">Zuordnen</button></form>
            </div>
            """
    }

    /// The label pipeline.yml gives a field of the class ("Kaltmiete"); for a field the class does
    /// not list, that of any class with it, else one made from the key.
    func fieldLabel(_ key: String, of documentClass: String) -> String {
        (fieldDefinitions(for: documentClass).first { $0.key == key }
            ?? documentClasses.lazy.flatMap(\.fields).first { $0.key == key })?.label ?? FieldDefinition.defaultLabel(key)
    }

    func fieldType(_ key: String, of documentClass: String) -> FieldType {
        (fieldDefinitions(for: documentClass).first { $0.key == key }
            ?? documentClasses.lazy.flatMap(\.fields).first { $0.key == key })?.type ?? .text
    }

    /// The unit after a value's input, for the types whose input leaves it out.
    static func unit(of type: FieldType) -> String {
        switch type {
        case .amount: return " <span class=\"unit\">€</span>"
        case .area: return " <span class=\"unit\">m²</span>"
        default: return ""
        }
    }

    /// One line of the correction history, in German: "Kaltmiete von 500,00 € auf 510,00 € geändert".
    func correctionText(_ correction: Correction, of documentClass: String) -> String {
        switch correction.kind {
        case .field:
            let key = correction.key ?? ""
            let type = fieldType(key, of: documentClass)
            let label = fieldLabel(key, of: documentClass)
            let new = correction.newValue.map { GermanFormat.fieldValue($0, type: type) } ?? "—"
            guard let previous = correction.previousValue else { return "\(label) ergänzt: \(new)" }
            return "\(label) von \(GermanFormat.fieldValue(previous, type: type)) auf \(new) geändert"
        case .documentClass:
            let new = correction.newValue.map(classLabel) ?? "—"
            return correction.previousValue.map { "Klasse von \(classLabel($0)) auf \(new) geändert" } ?? "Klasse auf \(new) gesetzt"
        case .caseAssignment:
            let new = correction.newValue ?? "—"
            return correction.previousValue.map { "Fall von \($0) auf \(new) geändert" } ?? "dem Fall \(new) zugeordnet"
        case .review:
            return "Prüfung abgeschlossen"
        }
    }

    func fieldDefinitions(for documentClass: String) -> [FieldDefinition] {
        documentClasses.first { $0.id == documentClass }?.fields ?? []
    }

    /// Why the document is in its case, in one German sentence: a caseworker's assignment, else
    /// the way the machine found the household.
    func caseReason(_ d: FiledDocument) -> String? {
        if let assignment = d.corrections.last(where: { $0.kind == .caseAssignment && $0.newValue == d.effective.caseID }) {
            return "\(assignment.actor) hat das Dokument am \(HTML.date(assignment.at)) Uhr diesem Fall zugeordnet."
        }
        guard d.machine.caseID == d.effective.caseID,
            let analysis = try? JSONDecoder().decode(DocumentAnalysis.self, from: Data(d.detailsJSON.utf8))
        else { return nil }
        switch analysis.caseMatch.route {
        case .sidecar: return "Der Fall stand in der Begleitdatei, mit der der Betrieb das Dokument selbst eingelegt hat."
        case .trustedChannel: return "Der Fall wurde über einen vertrauenswürdigen Eingangskanal angegeben."
        case .coverSheet: return "Das Deckblatt vor dem Dokument nennt diesen Fall."
        case .barcode: return "Ein Code auf dem Dokument (Data-Matrix- oder QR-Code) trägt die BG-Nummer dieses Falls."
        case .number: return "Die BG-Nummer oder eine Kundennummer dieses Haushalts steht im Text des Dokuments."
        case .name: return "Name und Anschrift einer Person dieses Haushalts stehen im Text des Dokuments."
        case .none: return nil
        }
    }

    /// Where the machine read each field (from the analysis filed with the document).
    static func valuePlaces(detailsJSON: String) -> [String: ValueBox] {
        guard let analysis = try? JSONDecoder().decode(DocumentAnalysis.self, from: Data(detailsJSON.utf8)) else { return [:] }
        var places: [String: ValueBox] = [:]
        for field in analysis.fields { places[field.key] = field.location }
        return places
    }

    /// The boxes of a page's values over its image, in shares of the page (an SVG the size of
    /// the image); a box is drawn when its field's link (`#stelle-KEY`) is followed.
    static func placeMarks(_ places: [String: ValueBox], page: Int) -> String {
        let onPage = places.filter { $0.value.page == page }.sorted { $0.key < $1.key }
        guard !onPage.isEmpty else { return "" }
        func unit(_ share: Double) -> String { String(Int((share * 1000).rounded())) }
        let marks = onPage.map { key, box -> String in
            // A little room around the words, so that the frame does not cover their ink.
            let pad = 0.004
            return "<rect class=\"place\" id=\"stelle-\(HTML.escape(key))\" x=\"\(unit(box.x - pad))\" y=\"\(unit(box.y - pad))\" width=\"\(unit(box.width + 2 * pad))\" height=\"\(unit(box.height + 2 * pad))\"></rect>"
        }.joined()
        return "<svg class=\"places\" viewBox=\"0 0 1000 1000\" preserveAspectRatio=\"none\" aria-hidden=\"true\" focusable=\"false\">\(marks)</svg>"
    }

    /// The link beside a field that shows where on the page it was read.
    static func placeLink(key: String, _ box: ValueBox) -> String {
        let confidence = Int(box.confidence.rounded())
        return " <a class=\"place-link\" href=\"#stelle-\(HTML.escape(key))\" title=\"Auf Seite \(box.page) zeigen, wo der Wert gelesen wurde (Lesesicherheit \(confidence) %)\">Fundstelle S. \(box.page)</a>"
    }

    /// The candidate cases the machine saw, from its stored analysis.
    static func candidates(detailsJSON: String) -> [CaseCandidate] {
        guard let analysis = try? JSONDecoder().decode(DocumentAnalysis.self, from: Data(detailsJSON.utf8)) else { return [] }
        return analysis.caseMatch.candidates
    }
}

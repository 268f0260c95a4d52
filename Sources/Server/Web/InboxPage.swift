import Akte
import Classification
import Findings
import Foundation
import Hummingbird

/// The inbox: documents per case, with filters, an order, and pages of `inboxPageSize`.
/// Documents without a case ("Ohne Fall") come first: they need the most work.
extension CaseworkerWeb {
    static let inboxPageSize = 50

    func inboxPage(_ request: Request, _ caseworker: LoggedInCaseworker) throws -> Response {
        let query = request.uri.queryParameters
        func parameter(_ name: String) -> String? {
            guard let value = Self.formValue(query[Substring(name)]), !value.isEmpty else { return nil }
            return value
        }
        var filter = InboxFilter(includeHealthData: caseworker.mayOpenHealthData, limit: Self.inboxPageSize)
        var problems: [String] = []
        if let order = parameter("sortierung") {
            if let parsed = InboxOrder(rawValue: order) {
                filter.order = parsed
            } else {
                problems.append(
                    "Unbekannte Sortierung „\(order)“ (bekannt: \(InboxOrder.allCases.map(\.rawValue).joined(separator: ", "))).")
            }
        }
        var page = 1
        if let text = parameter("seite") {
            if let number = Int(text), number >= 1 {
                page = number
            } else {
                problems.append("„Seite“: „\(text)“ ist keine Seitenzahl (erwartet: 1, 2, 3 …).")
            }
        }
        if let documentClass = parameter("klasse") {
            if documentClasses.isEmpty || documentClasses.contains(where: { $0.id == documentClass }) {
                filter.documentClass = documentClass
            } else {
                problems.append(
                    "Unbekannte Klasse „\(documentClass)“ (bekannt: \(documentClasses.map(\.id).joined(separator: ", "))).")
            }
        }
        if let caseID = parameter("fall") { filter.caseID = CaseIdentifiers.normalizeAny(caseID) }
        if let status = parameter("status") {
            if let parsed = DocumentStatus(rawValue: status) {
                filter.status = parsed
            } else {
                problems.append(
                    "Unbekannter Status „\(status)“ (bekannt: \(DocumentStatus.allCases.map(\.rawValue).joined(separator: ", "))).")
            }
        }
        for (name, label) in [("von", "Von"), ("bis", "Bis")] {
            guard let value = parameter(name) else { continue }
            guard let day = Self.parseDay(value) else {
                problems.append("„\(label)“: „\(value)“ ist kein Datum (erwartet: JJJJ-MM-TT oder TT.MM.JJJJ).")
                continue
            }
            if name == "von" {
                filter.receivedFrom = day
            } else {
                filter.receivedBefore = Calendar.current.date(byAdding: .day, value: 1, to: day)
            }
        }
        if !problems.isEmpty {
            let body = filterForm(query: parameter, caseworker: caseworker)
                + "<ul class=\"error\" role=\"alert\">" + problems.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>"
            return HTML.response(
                HTML.page(title: "Posteingang", caseworker: caseworker, active: "inbox", body: "<h1>Posteingang</h1>" + body),
                status: .badRequest)
        }
        let total = try environment.akte.caseworkerInboxCount(filter)
        let pages = max(1, (total + Self.inboxPageSize - 1) / Self.inboxPageSize)
        page = min(page, pages)
        filter.offset = (page - 1) * Self.inboxPageSize
        let entries = try environment.akte.caseworkerInbox(filter)
        var body = "<h1>Posteingang</h1>" + filterForm(query: parameter, caseworker: caseworker)
        if entries.isEmpty {
            body += "<p class=\"empty\">Keine Dokumente für diese Auswahl.</p>"
        } else {
            let first = filter.offset + 1, last = filter.offset + entries.count
            body += """
                <p class="count" role="status">\(total) \(total == 1 ? "Dokument" : "Dokumente")\(pages > 1 ? " · Seite \(page) von \(pages) (Nr. \(first)–\(last))" : "")\
                \(caseworker.mayOpenHealthData ? "" : " · Gesundheitsdaten ausgeblendet")</p>
                """
            let pager = pageLinks(page: page, pages: pages, query: parameter)
            body += pager
            // Per case in the order of the list: documents without a case (first in every order), then each case.
            var order: [String] = []
            var groups: [String: [CaseworkerListEntry]] = [:]
            let work = try environment.akte.documentWork(ids: Set(entries.map(\.summary.id)))
            for entry in entries {
                let key = entry.summary.caseID ?? ""
                if groups[key] == nil { order.append(key) }
                groups[key, default: []].append(entry)
            }
            for key in order {
                let group = groups[key] ?? []
                let open = try key.isEmpty ? 0 : findings(ofCase: key).filter(\.isOpen).count
                let findingsLink =
                    key.isEmpty
                    ? ""
                    : " · <a class=\"findings-count\" href=\"/faelle/\(HTML.urlComponent(key))\">\(open == 0 ? "Fallakte, keine offenen Befunde" : "\(open) offene\(open == 1 ? "r" : "") Befund\(open == 1 ? "" : "e")")</a>"
                let heading =
                    key.isEmpty
                    ? "Ohne Fall"
                    : "Fall <a href=\"/posteingang?fall=\(HTML.urlComponent(key))\">\(HTML.escape(key))</a>\(findingsLink)"
                body += "<section class=\"case\"><h2>\(heading) <span class=\"count\">(\(group.count))</span></h2>"
                body += documentTable(group, work: work)
                body += "</section>"
            }
            body += pager
        }
        return HTML.response(HTML.page(title: "Posteingang", caseworker: caseworker, active: "inbox", body: body))
    }

    /// Links to the first, previous, next and last page, keeping the filters and the order.
    private func pageLinks(page: Int, pages: Int, query: (String) -> String?) -> String {
        guard pages > 1 else { return "" }
        func href(_ number: Int) -> String {
            var parts = ["klasse", "fall", "status", "von", "bis", "sortierung"].compactMap { name in
                query(name).map { "\(name)=\(HTML.urlComponent($0))" }
            }
            parts.append("seite=\(number)")
            return "/posteingang?" + parts.joined(separator: "&amp;")
        }
        return Self.pageLinks(page: page, of: pages, label: "Seiten des Posteingangs", href: href)
    }

    private func filterForm(query: (String) -> String?, caseworker: LoggedInCaseworker) -> String {
        let classOptions = documentClasses.map { documentClass in
            "<option value=\"\(HTML.escape(documentClass.id))\"\(query("klasse") == documentClass.id ? " selected" : "")>\(HTML.escape(documentClass.label))</option>"
        }.joined()
        let statusOptions = DocumentStatus.allCases.map { status in
            "<option value=\"\(status.rawValue)\"\(query("status") == status.rawValue ? " selected" : "")>\(HTML.statusLabel(status.rawValue))</option>"
        }.joined()
        let orderNames: [(InboxOrder, String)] = [
            (.newest, "neueste zuerst"), (.oldest, "älteste zuerst"), (.leastSure, "unsicherste zuerst"), (.documentClass, "nach Klasse"),
        ]
        let orderOptions = orderNames.map { order, name in
            "<option value=\"\(order.rawValue)\"\(query("sortierung") == order.rawValue ? " selected" : "")>\(name)</option>"
        }.joined()
        return """
            <form method="get" action="/posteingang" class="filters">
              <label>Klasse <select name="klasse"><option value="">alle</option>\(classOptions)</select></label>
              <label>Fall <input name="fall" value="\(HTML.escape(query("fall") ?? ""))" placeholder="BG-Nummer" size="16"></label>
              <label>Status <select name="status"><option value="">alle</option>\(statusOptions)</select></label>
              <label>Eingang von <input type="date" name="von" value="\(HTML.escape(query("von") ?? ""))"></label>
              <label>bis <input type="date" name="bis" value="\(HTML.escape(query("bis") ?? ""))"></label>
              <label>Sortierung <select name="sortierung">\(orderOptions)</select></label>
              <button type="submit">Filtern</button>
              <a class="reset" href="/posteingang">Zurücksetzen</a>
            </form>
            """
    }

    /// A table of documents with thumbnail, class, key fields, confidence, case and status.
    func documentTable(_ entries: [CaseworkerListEntry], work: [String: DocumentWork]? = nil) -> String {
        var rows = ""
        for entry in entries {
            let d = entry.summary
            let link = "/dokumente/\(HTML.escape(d.id))"
            let fields = orderedFields(entry.fields, of: d.documentClass).prefix(4).map { field -> String in
                let value = GermanFormat.fieldValue(field.value, type: fieldType(field.key, of: d.documentClass))
                return "<li\(field.doubtful ? " class=\"doubtful\" title=\"\(HTML.escape(field.reason ?? "zweifelhaft"))\"" : "")><span class=\"key\">\(HTML.escape(fieldLabel(field.key, of: d.documentClass)))</span> \(HTML.escape(value))\(field.doubtful ? " <span class=\"flag\">?</span>" : "")</li>"
            }.joined()
            rows += """
                <tr class="status-\(d.status.rawValue)">
                <td class="thumb"><a href="\(link)"><img src="\(link)/vorschau" alt="Vorschau Seite 1" width="90" loading="lazy"></a></td>
                <td><a href="\(link)">\(HTML.escape(classLabel(d.documentClass)))</a><div class="file">\(HTML.escape(HTML.fileName(d.originalFilename)))</div></td>
                <td><ul class="fields">\(fields)</ul></td>
                <td class="num">\(HTML.percent(d.classConfidence))</td>
                <td>\(d.caseID.map(HTML.escape) ?? "—")</td>
                <td><span class="badge \(d.status.rawValue)">\(HTML.statusLabel(d.status.rawValue))</span>\(work.map { work -> String in
                    let state = work[d.id]
                    return "<div class=\"work\">\((state?.state ?? .new).label)\(state?.assignee.map { " · " + HTML.escape(Self.assigneeLabel($0)) } ?? "")</div>"
                } ?? "")</td>
                <td class="date">\(HTML.date(d.receivedAt))</td>
                </tr>
                """
        }
        return """
            <table class="documents">
            <thead><tr><th scope="col"><span class="visually-hidden">Vorschau</span></th><th scope="col">Klasse</th><th scope="col">Wichtige Angaben</th><th scope="col">Sicherheit</th><th scope="col">Fall</th><th scope="col">Status</th><th scope="col">Eingang</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            """
    }

    /// Fields in the order pipeline.yml lists them for the class (the key figures first), others after.
    func orderedFields(_ fields: [DocumentField], of documentClass: String) -> [DocumentField] {
        let order = fieldDefinitions(for: documentClass).map(\.key)
        func rank(_ field: DocumentField) -> Int { order.firstIndex(of: field.key) ?? order.count }
        return fields.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    /// A query parameter as a GET form sends it (`+` for a space), trimmed.
    static func formValue(_ raw: Substring?) -> String? {
        raw.map { String($0).replacingOccurrences(of: "+", with: " ").trimmingCharacters(in: .whitespaces) }
    }

    /// `2025-03-01` (date inputs) or `01.03.2025`, as the start of that day, local time.
    static func parseDay(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.isLenient = false
        for format in ["yyyy-MM-dd", "dd.MM.yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}

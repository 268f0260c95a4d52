import Akte
import Classification
import Foundation
import Hummingbird

/// The review queue and the search.
extension CaseworkerWeb {
    static let reviewPageSize = 100
    static let searchPageSize = 50

    func reviewPage(_ request: Request, _ caseworker: LoggedInCaseworker) throws -> Response {
        let queue = try environment.akte.caseworkerReviewQueue(includeHealthData: caseworker.mayOpenHealthData)
        let pages = max(1, (queue.count + Self.reviewPageSize - 1) / Self.reviewPageSize)
        let page = min(max(1, Int(Self.formValue(request.uri.queryParameters["seite"]) ?? "") ?? 1), pages)
        let shown = queue.dropFirst((page - 1) * Self.reviewPageSize).prefix(Self.reviewPageSize)
        var body = "<h1>Prüfung</h1>"
        // Only a case from the register is named in the notice; the rest of it is fixed text.
        let assigned = request.uri.queryParameters["fall"].map { CaseIdentifiers.normalizeAny(String($0)) }
        body += Notice.html(
            code: request.uri.queryParameters["hinweis"], subject: try assigned.flatMap { try environment.akte.caseExists($0) ? $0 : nil })
        body += "<p class=\"hint\">Was die Maschine nicht entscheiden konnte, mit ihren Gründen und Fallvorschlägen; älteste zuerst.</p>"
        if queue.isEmpty {
            body += "<p class=\"empty\">Nichts zu prüfen.</p>"
        } else {
            body += "<p class=\"count\" role=\"status\">\(queue.count) \(queue.count == 1 ? "Dokument wartet" : "Dokumente warten") auf Prüfung\(pages > 1 ? " · Seite \(page) von \(pages)" : "").</p>"
            body += Self.pageLinks(page: page, of: pages, label: "Seiten der Prüfliste") { "/pruefung?seite=\($0)" }
        }
        for entry in shown {
            let d = entry.summary
            let link = "/dokumente/\(HTML.escape(d.id))"
            body += """
                <article class="review-item">
                <a class="thumb" href="\(link)"><img src="\(link)/vorschau" alt="Vorschau Seite 1" width="90" loading="lazy"></a>
                <div>
                <h2><a href="\(link)">\(HTML.escape(classLabel(d.documentClass)))</a> <span class="conf">\(HTML.percent(d.classConfidence))</span></h2>
                <p class="file">\(HTML.escape(HTML.fileName(d.originalFilename))) · Eingang \(HTML.date(d.receivedAt))\(d.caseID.map { " · Fall " + HTML.escape($0) } ?? "")</p>
                <ul class="reasons">\(d.reviewReasons.map { "<li>\(HTML.escape($0))</li>" }.joined())</ul>
                \(assignButtons(documentID: d.id, candidates: Self.candidates(detailsJSON: entry.detailsJSON), caseworker: caseworker))
                \(d.caseID.map { caseID in "<form method=\"post\" action=\"\(link)/freigeben\">\(HTML.csrfField(caseworker.csrfToken))<button type=\"submit\">Prüfung abschließen (Fall \(HTML.escape(caseID)))</button></form>" } ?? "")
                </div>
                </article>
                """
        }
        return HTML.response(HTML.page(title: "Prüfung", caseworker: caseworker, active: "review", body: body))
    }

    func searchPage(_ request: Request, _ caseworker: LoggedInCaseworker) throws -> Response {
        let text = Self.formValue(request.uri.queryParameters["q"]) ?? ""
        var body = """
            <h1>Suche</h1>
            <form method="get" action="/suche" class="filters">
              <label>Text <input name="q" value="\(HTML.escape(text))" size="40" placeholder="z. B. Nebenkosten Müller"></label>
              <button type="submit">Suchen</button>
            </form>
            """
        if !text.isEmpty {
            let (hits, complete) = try environment.akte.caseworkerSearch(text, includeHealthData: caseworker.mayOpenHealthData)
            if hits.isEmpty {
                body += "<p class=\"empty\">Keine Treffer für „\(HTML.escape(text))“.</p>"
            } else {
                // 50 a page, from the best-ranked hits.
                let pages = (hits.count + Self.searchPageSize - 1) / Self.searchPageSize
                let page = min(max(1, Int(Self.formValue(request.uri.queryParameters["seite"]) ?? "") ?? 1), pages)
                let shown = hits.dropFirst((page - 1) * Self.searchPageSize).prefix(Self.searchPageSize)
                let total = complete ? "\(hits.count) Treffer" : "Mehr als \(hits.count) Treffer – hier die \(hits.count) besten; grenzen Sie die Suche mit weiteren Wörtern ein"
                body += "<p class=\"count\" role=\"status\">\(total)\(pages > 1 ? " · Seite \(page) von \(pages)" : "").</p>"
                if pages > 1 {
                    body += Self.pageLinks(page: page, of: pages, label: "Seiten der Treffer") {
                        "/suche?q=\(HTML.urlComponent(text))&amp;seite=\($0)"
                    }
                }
                body += "<ol class=\"hits\" start=\"\((page - 1) * Self.searchPageSize + 1)\">"
                for hit in shown {
                    let d = hit.document
                    let snippet = HTML.escape(hit.snippet).replacingOccurrences(of: "[", with: "<mark>")
                        .replacingOccurrences(of: "]", with: "</mark>")
                    body += """
                        <li><a href="/dokumente/\(HTML.escape(d.id))">\(HTML.escape(classLabel(d.documentClass)))</a>
                        · \(HTML.escape(d.caseID ?? "ohne Fall")) · \(HTML.date(d.receivedAt))
                        <p class="snippet">\(snippet)</p></li>
                        """
                }
                body += "</ol>"
            }
        }
        return HTML.response(HTML.page(title: "Suche", caseworker: caseworker, active: "search", body: body))
    }

    /// Links to the first, previous, next and last page of a list (`href` gives a page's
    /// address, HTML-escaped); empty for a list of one page.
    static func pageLinks(page: Int, of pages: Int, label: String, href: (Int) -> String) -> String {
        guard pages > 1 else { return "" }
        var links: [String] = []
        if page > 1 {
            links.append("<a href=\"\(href(1))\">« Erste</a>")
            links.append("<a href=\"\(href(page - 1))\" rel=\"prev\">‹ Vorige</a>")
        }
        links.append("<span aria-current=\"page\">Seite \(page) von \(pages)</span>")
        if page < pages {
            links.append("<a href=\"\(href(page + 1))\" rel=\"next\">Nächste ›</a>")
            links.append("<a href=\"\(href(pages))\">Letzte »</a>")
        }
        return "<nav class=\"pages\" aria-label=\"\(label)\">\(links.joined(separator: " "))</nav>"
    }
}

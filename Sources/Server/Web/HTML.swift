import Foundation
import HTTPTypes
import Hummingbird

/// Escaping and the page frame shared by every caseworker page.
enum HTML {
    /// Escapes text for element content and quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Percent-encodes a query or path component.
    static func urlComponent(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// A hidden field with the session's CSRF token; every form that posts carries one.
    static func csrfField(_ token: String) -> String {
        "<input type=\"hidden\" name=\"\(WebSession.csrfFieldName)\" value=\"\(escape(token))\">"
    }

    /// The page frame: head, navigation (when logged in), main content.
    static func page(title: String, caseworker: LoggedInCaseworker?, active: String = "", body: String) -> String {
        var navigation = ""
        if let caseworker {
            func link(_ href: String, _ label: String, _ key: String) -> String {
                "<a href=\"\(href)\"\(key == active ? " aria-current=\"page\"" : "")>\(label)</a>"
            }
            var links = ""
            if caseworker.mayUsePages {
                let review =
                    caseworker.openReviews.map { count in
                        "Prüfung <span class=\"counter\" aria-label=\"\(count) offen\">\(count)</span>"
                    } ?? "Prüfung"
                links += link("/posteingang", "Posteingang", "inbox") + link("/pruefung", review, "review")
                    + link("/wiedervorlage", "Wiedervorlage", "followup") + link("/suche", "Suche", "search")
                    + link("/anforderungen", "Anforderungen", "requests")
            }
            if caseworker.mayReadAccessLog { links += link("/datenschutz", "Zugriffsprotokoll", "privacy") }
            navigation = """
                <header class="top">
                  <span class="brand">Posteingang</span>
                  <nav aria-label="Hauptnavigation">\(links)</nav>
                  <form method="post" action="/abmelden" class="logout">\(csrfField(caseworker.csrfToken))
                    <span class="who">\(escape(caseworker.identity.username))\(caseworker.mayOpenHealthData ? " · Gesundheitsdaten" : "")</span>
                    <button type="submit">Abmelden</button></form>
                </header>
                """
        }
        return """
            <!DOCTYPE html>
            <html lang="de">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) – Posteingang</title>
            <link rel="stylesheet" href="/static/posteingang.css">
            </head>
            <body>
            \(navigation)
            <main>
            \(body)
            </main>
            </body>
            </html>
            """
    }

    /// An HTML response with the headers every page carries (no caching of social data, no framing,
    /// nothing loaded from elsewhere).
    static func response(_ html: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static var securityHeaders: HTTPFields {
        var headers = HTTPFields()
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return headers
    }

    /// 303 See Other to `location` (after a form post, or to the login page).
    static func redirect(to location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = securityHeaders
        headers[.location] = location
        headers.append(contentsOf: extra)
        return Response(status: .seeOther, headers: headers)
    }

    /// A page that says what went wrong and where to go on.
    static func errorPage(
        _ status: HTTPResponse.Status, title: String, message: String, caseworker: LoggedInCaseworker?
    ) -> Response {
        let body = """
            <h1>\(escape(title))</h1>
            <p class="error">\(escape(message))</p>
            <p><a href="/posteingang">Zurück zum Posteingang</a></p>
            """
        return response(page(title: title, caseworker: caseworker, body: body), status: status)
    }

    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "de_DE")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = "dd.MM.yyyy HH:mm"
        return formatter.string(from: date)
    }

    /// The file name as the sender gave it: the upload API names its spool files
    /// `u-<20 hex>-NAME.ext`; the upload id is not shown where a file name is expected.
    static func fileName(_ stored: String) -> String {
        guard let range = stored.range(of: #"^u-[0-9a-f]{20}-"#, options: .regularExpression), range.upperBound < stored.endIndex
        else { return stored }
        return String(stored[range.upperBound...])
    }

    /// How a document came in: the daemon's own folder in words, another channel (an API client, a scanner) by its name.
    static func channelLabel(_ channel: String) -> String {
        channel == "spool" ? "den Eingangsordner" : "den Kanal „\(channel)“"
    }

    /// `06.12.2026`, local time.
    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "de_DE")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = "dd.MM.yyyy"
        return formatter.string(from: date)
    }

    static func percent(_ value: Double) -> String {
        "\(Int((value * 100).rounded())) %"
    }

    /// German words for a document's status.
    static func statusLabel(_ status: String) -> String {
        switch status {
        case "filed": return "abgelegt"
        case "needs_review": return "zu prüfen"
        case "quarantined": return "zurückgehalten"
        default: return status
        }
    }
}

import Akte
import Foundation
import HTTPTypes
import Hummingbird

/// Login and logout.
extension CaseworkerWeb {
    func loginPage(_ request: Request, message: String? = nil, status: HTTPResponse.Status = .ok, username: String = "")
        throws -> Response
    {
        if message == nil, (try? session.caseworker(for: request)) != nil {
            return HTML.redirect(to: "/posteingang")
        }
        let token = try SecureRandom.hex(32)
        let next = Self.safeTarget(request.uri.queryParameters["weiter"].map(String.init))
        let body = """
            <section class="login">
            <h1>Anmeldung</h1>
            <p class="hint">Posteingang des Jobcenters – für Sachbearbeiterinnen und Sachbearbeiter.</p>
            \(message.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? "")
            <form method="post" action="/anmelden">
              \(HTML.csrfField(token))
              <input type="hidden" name="weiter" value="\(HTML.escape(next))">
              <label>Benutzername <input name="benutzer" autocomplete="username" required value="\(HTML.escape(username))" autofocus></label>
              <label>Passwort <input name="passwort" type="password" autocomplete="current-password" required></label>
              <button type="submit">Anmelden</button>
            </form>
            </section>
            """
        var headers = HTTPFields()
        headers[.setCookie] = session.cookie(WebSession.loginCookieName, token, path: "/anmelden", maxAge: 900)
        return HTML.response(HTML.page(title: "Anmeldung", caseworker: nil, body: body), status: status, headers: headers)
    }

    func login(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let form: FormBody
        do {
            form = try await FormBody.read(request)
        } catch let problem as FormBody.Problem {
            return HTML.errorPage(.badRequest, title: "Ungültige Formulardaten", message: problem.description, caseworker: nil)
        }
        // Login CSRF: the form's token must be the one in the login cookie set with the form.
        guard let expected = request.cookies[WebSession.loginCookieName]?.value,
            WebSession.tokenMatches(form[WebSession.csrfFieldName], expected)
        else {
            return HTML.errorPage(
                .forbidden, title: "Formular abgelehnt",
                message: "Das Anmeldeformular ist abgelaufen oder trägt kein gültiges Sicherheitsmerkmal. Bitte laden Sie die Anmeldeseite neu.",
                caseworker: nil)
        }
        let username = (form.text("benutzer") ?? "").lowercased()
        let password = form["passwort"] ?? ""
        guard !username.isEmpty, !password.isEmpty else {
            return try loginPage(request, message: "Bitte Benutzername und Passwort eingeben.", status: .badRequest, username: username)
        }
        // Known and unknown names, right and wrong passwords: while the name or the address has
        // to wait, no password is checked and everyone gets the same answer.
        let address = context.clientAddress(of: request, trustedProxies: environment.trustedProxies)
        if let wait = throttle.wait(name: username, address: address) {
            return try throttled(request, username: username, wait: wait)
        }
        // PBKDF2 takes a third of a second on purpose: off Swift's cooperative pool.
        let akte = environment.akte
        let outcome = try await WebSession.offPool { try akte.login(username: username, password: password, address: address) }
        switch outcome {
        case .success(let account):
            throttle.recordSuccess(name: username)
            var headers = HTTPFields()
            headers.append(HTTPField(name: .setCookie, value: try session.open(for: account.username)))
            headers.append(HTTPField(name: .setCookie, value: session.cookie(WebSession.loginCookieName, "", path: "/anmelden", maxAge: 0)))
            return HTML.redirect(to: Self.safeTarget(form["weiter"]), headers: headers)
        case .rejected, .disabled:
            // A disabled account is not told apart from a wrong password.
            for start in throttle.recordFailure(name: username, address: address) {
                try akte.recordLoginThrottled(username: username, address: address, scope: start.scope, waitSeconds: start.waitSeconds)
            }
            return try loginPage(
                request, message: "Benutzername oder Passwort ist falsch.", status: .unauthorized, username: username)
        }
    }

    /// The answer while a name or an address has to wait: the same for every name.
    private func throttled(_ request: Request, username: String, wait: Int) throws -> Response {
        var response = try loginPage(
            request,
            message: "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie \(wait) \(wait == 1 ? "Sekunde" : "Sekunden") und versuchen Sie es dann erneut.",
            status: .tooManyRequests, username: username)
        response.headers[.retryAfter] = "\(wait)"
        return response
    }

    func logout(_ caseworker: LoggedInCaseworker) throws -> Response {
        try environment.akte.closeSession(sessionID: caseworker.sessionID)
        var headers = HTTPFields()
        headers[.setCookie] = session.cookie(WebSession.cookieName, "", path: "/", maxAge: 0)
        return HTML.redirect(to: "/anmelden", headers: headers)
    }

    /// Only paths on this server (no `//host`, no scheme) are followed after login.
    static func safeTarget(_ target: String?) -> String {
        guard let target, target.hasPrefix("/"), !target.hasPrefix("//"), !target.contains("\\"),
            !target.contains(where: { $0.isNewline })
        else { return "/posteingang" }
        return target
    }
}

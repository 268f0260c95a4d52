import Akte
import Foundation
import PosteingangTestKit
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Against a real `posteingang serve`: login throttling that cannot lock caseworkers
/// out, the header timeout, API answers for wrong methods, `nosniff` everywhere, notices from
/// fixed texts, German labels and history, and the data-protection page.
@Suite(.tags(.process), .slow) struct WebSecurityTests {
    @Test("failed logins slow a name down the same way whether it exists or not; no account is locked")
    func throttling() throws {
        let server = try WebServer()
        let client = WebClient(server: server)
        // After five failures a name waits (1 s at first): the same status and the same words,
        // known name or not.
        for _ in 1...5 { #expect(try client.login("anna", password: "falsches-passwort-123").status == 401) }
        let known = try client.login("anna", password: "falsches-passwort-123")
        for _ in 1...5 { #expect(try client.login("niemand", password: "falsches-passwort-123").status == 401) }
        let unknown = try client.login("niemand", password: "falsches-passwort-123")
        #expect(known.status == 429)
        #expect(unknown.status == 429)
        #expect(known.header("Retry-After") != nil)
        func message(_ answer: WebClient.Answer) -> String? {
            guard let start = answer.text.range(of: "role=\"alert\">"), let end = answer.text[start.upperBound...].range(of: "<")
            else { return nil }
            return String(answer.text[start.upperBound..<end.lowerBound])
        }
        #expect(message(known) != nil)
        #expect(message(known) == message(unknown))
        #expect(message(known)?.contains("gesperrt") == false)
        // After the short wait the right password works: nobody can lock anna out by naming her.
        sleep(2)
        #expect(try client.login("anna").status == 303)
        #expect(try WebClient(server: server).login("gerd").status == 303)

        let trail = try server.akte().auditLog(AuditLogFilter())
        #expect(trail.filter { $0.action == .loginFailed }.count == 10)
        #expect(trail.contains { $0.action == .loginThrottled && $0.detailValues["claimedUsername"] == "niemand" })
        #expect(trail.filter { $0.action == .login }.map(\.actor) == ["anna", "gerd"])
        #expect(trail.allSatisfy { $0.action != .loginFailed || $0.actor == "anonym" })
        #expect(trail.contains { $0.action == .loginFailed && $0.detailValues["address"] == "127.0.0.1" })
    }

    @Test("behind a trusted proxy failed logins count per client (X-Forwarded-For); from others the header is ignored")
    func trustedProxy() throws {
        let server = try WebServer(extraArguments: ["--trusted-proxy", "127.0.0.1"])
        let client = WebClient(server: server)
        func login(from address: String) throws -> Int {
            let page = try client.get("/anmelden")
            let token = try #require(page.csrfToken)
            return try client.post(
                "/anmelden", [("csrf", token), ("benutzer", "anna"), ("passwort", "falsches-passwort-123")],
                headers: ["X-Forwarded-For: 10.9.8.7, \(address)"]
            ).status
        }
        #expect(try login(from: "198.51.100.1") == 401)
        #expect(try login(from: "198.51.100.2") == 401)
        let addresses = try server.akte().auditLog(AuditLogFilter(actions: [.loginFailed])).map { $0.detailValues["address"] }
        // The last hop the proxy saw, not what the client wrote before it.
        #expect(addresses == ["198.51.100.1", "198.51.100.2"])

        let direct = try WebServer()
        let other = WebClient(server: direct)
        let page = try other.get("/anmelden")
        _ = try other.post(
            "/anmelden", [("csrf", try #require(page.csrfToken)), ("benutzer", "anna"), ("passwort", "falsch-falsch-falsch")],
            headers: ["X-Forwarded-For: 198.51.100.9"])
        #expect(try direct.akte().auditLog(AuditLogFilter(actions: [.loginFailed])).map { $0.detailValues["address"] } == ["127.0.0.1"])
    }

    @Test("an API client's 'channel' field is kept as its claim; the audit actor is the token's client")
    func forgedChannel() throws {
        let server = try WebServer()
        let data = ["--data-dir", server.dataDir.path]
        let token = try WebTestSupport.posteingang(["tokens", "create", "--client", "buerger-app", "--as", "betrieb"] + data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let file = server.dataDir.appendingPathComponent("lohn.pdf")
        try WebTestSupport.payslip.write(to: file)
        let forged = "<b onmouseover=alert(1)>demo</b>"
        let sent = try TestKit.run(
            "/usr/bin/curl",
            [
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(token)", "-F", "file=@\(file.path)",
                "--form-string", "channel=\(forged)", server.baseURL + "/api/v1/uploads",
            ])
        #expect(sent.stdout == "202", "\(sent.stderr)")
        let akte = try server.akte()
        let deadline = Date().addingTimeInterval(120)
        var received: [AuditEntry] = []
        while received.isEmpty && Date() < deadline {
            received = try akte.auditLog(AuditLogFilter(actions: [.received]))
            if received.isEmpty { usleep(200_000) }
        }
        let entry = try #require(received.first)
        #expect(entry.actor == "buerger-app")
        #expect(entry.detailValues["claimedSubmitter"] == forged)
        #expect(try akte.auditLog(AuditLogFilter(actor: forged)).isEmpty)
        #expect(try akte.auditLog(AuditLogFilter(actions: [.tokenIssued])).map(\.actor) == ["betrieb"])
        // The command line prints the claim without letting it act on the terminal.
        let log = try WebTestSupport.posteingang(["audit", "log", "--action", "received"] + data)
        #expect(log.contains("buerger-app  received"))
        #expect(log.contains("claimedSubmitter=\(forged)"))
    }

    @Test("a connection that sends half a request head is closed after the header timeout")
    func headerTimeout() throws {
        let server = try WebServer(extraArguments: ["--header-timeout", "1"])
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(server.port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(connected == 0)
        var wait = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        let half = "GET /posteingang HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
        _ = half.withCString { send(fd, $0, strlen($0), 0) }
        let started = Date()
        var buffer = [UInt8](repeating: 0, count: 512)
        let read = recv(fd, &buffer, buffer.count, 0)
        let waited = Date().timeIntervalSince(started)
        // 0: the server closed the connection (a timeout of our own would be -1 after 15 s).
        #expect(read == 0, "the server kept the half-sent request open for \(waited) s")
        #expect(waited < 10)
        // The server still answers others.
        #expect(try WebClient(server: server).get("/anmelden").status == 200)
    }

    @Test("wrong methods on the API get 405 with Allow and a JSON body; unknown API paths a JSON 404; every answer has nosniff")
    func apiAnswers() throws {
        let server = try WebServer()
        let client = WebClient(server: server)
        for (method, path, allowed) in [("GET", "/api/v1/uploads", "POST"), ("DELETE", "/api/v1/uploads/u-123", "GET"), ("POST", "/api/v1/health", "GET")] {
            let answer = try client.request(method: method, path)
            #expect(answer.status == 405, "\(method) \(path)")
            #expect(answer.header("Allow") == allowed)
            #expect(answer.header("Content-Type")?.hasPrefix("application/json") == true)
            let body = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
            #expect(body?["code"] as? String == "method_not_allowed")
            let message = body?["message"] as? [String: String]
            #expect(message?["de"]?.contains("nicht erlaubt") == true)
            #expect(message?["en"]?.contains("not allowed") == true)
        }
        let unknown = try client.get("/api/v1/nichts")
        #expect(unknown.status == 404)
        #expect((try JSONSerialization.jsonObject(with: unknown.body) as? [String: Any])?["code"] as? String == "no_such_endpoint")
        let page = try client.get("/gibt-es-nicht")
        #expect(page.status == 404)
        #expect(page.text.contains("Seite nicht gefunden"))

        let answers = [
            try client.get("/api/v1/health"), try client.get("/api/v1/openapi.yaml"), try client.get("/static/posteingang.css"),
            try client.get("/anmelden"), try client.get("/api/v1/uploads/u-1"), unknown, page,
            try client.request(method: "PUT", "/api/v1/uploads"),
        ]
        for answer in answers {
            #expect(answer.header("X-Content-Type-Options") == "nosniff", "\(answer.status) \(answer.text.prefix(80))")
        }
    }

    @Test("notices come from fixed texts: a link cannot put its words on the page")
    func notices() throws {
        let server = try WebServer()
        let ids = try server.file(["lohn.pdf": WebTestSupport.payslip])
        let document = try #require(ids["lohn.pdf"])
        let client = WebClient(server: server)
        try client.login("anna")
        let phishing = "Bitte überweisen Sie 50 € an DE02 1203 0000 0000 2020 51"
        let encoded = phishing.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        for path in [
            "/dokumente/\(document)?gespeichert=\(encoded)", "/pruefung?zugeordnet=\(encoded)",
            "/pruefung?hinweis=zugeordnet&fall=\(encoded)", "/dokumente/\(document)?gespeichert=feld&feld=\(encoded)",
        ] {
            let page = try client.get(path)
            #expect(page.status == 200)
            #expect(!page.text.contains("überweisen"), "\(path)")
        }
        // Who the case is, and why the document is in it.
        let plain = try client.get("/dokumente/\(document)")
        #expect(plain.text.contains("<dt>Haushalt</dt><dd>Peter Schmidt ("))
        #expect(plain.text.contains("über den Eingangsordner"))
        #expect(plain.text.contains("<th scope=\"row\">Auszahlungsbetrag</th>"))
        #expect(plain.text.contains("Name und Anschrift einer Person dieses Haushalts stehen im Text des Dokuments."))
        let token = try client.sessionToken()
        let saved = try client.post("/dokumente/\(document)/feld", [("csrf", token), ("feld", "netto"), ("wert", "1.600,00")])
        #expect(saved.status == 303)
        let location = try #require(saved.header("Location"))
        let page = try client.get(location)
        #expect(page.text.contains("„Netto“ wurde gespeichert."))
        // The history in German with German values.
        #expect(page.text.contains("Netto von 1.612,50 € auf 1.600,00 € geändert"))
        #expect(!page.text.contains("field netto"))
    }

    @Test("the data-protection page shows who opened a household's documents, only to the role datenschutz")
    func accessLog() throws {
        let server = try WebServer()
        try server.addUser("dora", roles: ["datenschutz"])
        let ids = try server.file(["lohn.pdf": WebTestSupport.payslip])
        let document = try #require(ids["lohn.pdf"])
        let anna = WebClient(server: server)
        try anna.login("anna")
        #expect(try anna.get("/dokumente/\(document)").status == 200)
        #expect(try anna.get("/dokumente/\(document)/original").status == 200)
        #expect(try anna.get("/datenschutz?fall=96301BG0012345").status == 403)

        let dora = WebClient(server: server)
        #expect(try dora.login("dora").header("Location") == "/posteingang")
        let start = try dora.get("/posteingang")
        #expect(start.status == 303)
        #expect(start.header("Location") == "/datenschutz")
        let page = try dora.get("/datenschutz?fall=96301+BG+0012345")
        #expect(page.status == 200)
        #expect(page.text.contains("Peter Schmidt"))
        #expect(page.text.contains("<th scope=\"row\">anna</th><td class=\"num\">2</td><td class=\"num\">1</td>"))
        #expect(page.text.contains("Dokument geöffnet"))
        #expect(page.text.contains("Original heruntergeladen"))
        #expect(page.text.contains("Lohn") || page.text.contains("Entgelt"))
        #expect(try dora.get("/datenschutz?fall=96301BG0012388").text.contains("Keine Zugriffe"))
        #expect(try dora.get("/datenschutz?fall=00000BG0000000").status == 404)
        #expect(try dora.get("/dokumente/\(document)").status == 403)
        // Reading the log is itself in the trail.
        let reads = try server.akte().auditLog(AuditLogFilter(actions: [.accessLogRead]))
        #expect(reads.map(\.actor) == ["dora", "dora"])
        #expect(reads.first?.detailValues["case"] == "96301BG0012345")
    }
}

import Akte
import Classification
import Foundation
import Hummingbird

/// The caseworkers' server-rendered pages: login, inbox, document page with
/// corrections, review queue, search, and the document's files. German UI, no JavaScript.
///
/// Every route but the login page and the stylesheet needs a session; every POST needs the
/// session's CSRF token (403 without). Health data (sick notes, documents marked sensitive)
/// opens only for the `gesundheit` role; a refusal is answered 403 and written to the audit
/// trail, as is every view of a document (page, original, PDF, page image, thumbnail).
public struct CaseworkerWeb: Sendable {
    public let environment: ServerEnvironment
    let session: WebSession
    let images: PageImages
    let throttle: LoginThrottle

    public init(environment: ServerEnvironment) {
        self.environment = environment
        self.session = WebSession(akte: environment.akte, secureCookies: environment.secureCookies, policy: LoginPolicy())
        self.throttle = LoginThrottle()
        self.images = PageImages(
            scratch: environment.directory.root.appendingPathComponent("cache/pages", isDirectory: true),
            blobs: environment.blobs)
    }

    public func register(on router: Router<ServerRequestContext>) {
        router.get("/") { _, _ in HTML.redirect(to: "/posteingang") }
        router.get("/static/posteingang.css") { _, _ in Stylesheet.response() }
        router.get("/anmelden") { request, _ in try self.loginPage(request) }
        router.post("/anmelden") { request, context in try await self.login(request, context) }
        router.post("/abmelden") { request, _ in
            try await self.withForm(request, role: nil) { caseworker, _ in try self.logout(caseworker) }
        }
        router.get("/posteingang") { request, _ in
            try await self.withCaseworker(request) { caseworker in try self.inboxPage(request, caseworker) }
        }
        router.get("/pruefung") { request, _ in
            try await self.withCaseworker(request) { caseworker in try self.reviewPage(request, caseworker) }
        }
        router.get("/wiedervorlage") { request, _ in
            try await self.withCaseworker(request) { caseworker in try self.followUpPage(request, caseworker) }
        }
        router.get("/datenschutz") { request, _ in
            try await self.withCaseworker(request, role: .datenschutz) { caseworker in try self.accessLogPage(request, caseworker) }
        }
        router.get("/suche") { request, _ in
            try await self.withCaseworker(request) { caseworker in try self.searchPage(request, caseworker) }
        }
        router.get("/faelle/:bg") { request, context in
            try await self.withCaseworker(request) { caseworker in
                try self.casePage(request, caseworker, caseID: context.parameters.get("bg") ?? "")
            }
        }
        router.post("/faelle/:bg/befunde") { request, context in
            try await self.withForm(request) { caseworker, form in
                try self.markFindingChecked(caseworker, caseID: context.parameters.get("bg") ?? "", form)
            }
        }
        registerRequestPages(on: router)
        router.get("/dokumente/:id") { request, context in
            try await self.withDocument(request, context, what: "page") { caseworker, access in
                try self.documentPage(request, caseworker, access)
            }
        }
        router.get("/dokumente/:id/original") { request, context in
            try await self.withDocument(request, context, what: "original") { caseworker, access in
                try await self.original(caseworker, access)
            }
        }
        router.get("/dokumente/:id/pdf") { request, context in
            try await self.withDocument(request, context, what: "pdf") { caseworker, access in
                try await self.searchablePDF(caseworker, access)
            }
        }
        router.get("/dokumente/:id/vorschau") { request, context in
            try await self.withDocument(request, context, what: "thumbnail") { caseworker, access in
                try await self.pageImage(caseworker, access, page: 1, size: .thumbnail)
            }
        }
        router.get("/dokumente/:id/seite/:page") { request, context in
            try await self.withDocument(request, context, what: "page_image") { caseworker, access in
                guard let page = context.parameters.get("page", as: Int.self) else {
                    return HTML.errorPage(
                        .badRequest, title: "Ungültige Seite", message: "Die Seitennummer muss eine Zahl ab 1 sein.",
                        caseworker: caseworker)
                }
                return try await self.pageImage(caseworker, access, page: page, size: .page)
            }
        }
        let corrections: [(String, @Sendable (CaseworkerWeb, LoggedInCaseworker, DocumentAccess, FormBody) throws -> Response)] = [
            ("klasse", { web, caseworker, access, form in try web.reclassify(caseworker, access, form) }),
            ("feld", { web, caseworker, access, form in try web.setField(caseworker, access, form) }),
            ("fall", { web, caseworker, access, form in try web.assign(caseworker, access, form, resolvingReview: false) }),
            ("zuordnen", { web, caseworker, access, form in try web.assign(caseworker, access, form, resolvingReview: true) }),
            ("freigeben", { web, caseworker, access, form in try web.resolveReview(caseworker, access) }),
            ("status", { web, caseworker, access, form in try web.setWorkState(caseworker, access, form) }),
            ("zuweisen", { web, caseworker, access, form in try web.assignWork(caseworker, access, form) }),
            ("notiz", { web, caseworker, access, form in try web.addNote(caseworker, access, form) }),
            ("wiedervorlage", { web, caseworker, access, form in try web.setFollowUp(caseworker, access, form) }),
        ]
        for (action, handler) in corrections {
            router.post("/dokumente/:id/\(action)") { request, context in
                try await self.withForm(request) { caseworker, form in
                    try await self.withDocument(request, context, what: "correction", caseworker: caseworker) { caseworker, access in
                        try handler(self, caseworker, access, form)
                    }
                }
            }
        }
    }

    // MARK: - Guards

    /// Runs `body` for a logged-in caseworker with `role`; others are sent to the login page.
    func withCaseworker(
        _ request: Request, role: CaseworkerRole = .sachbearbeitung, _ body: (LoggedInCaseworker) async throws -> Response
    ) async throws -> Response {
        guard var caseworker = try session.caseworker(for: request) else {
            let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return HTML.redirect(to: "/anmelden?weiter=\(HTML.urlComponent(target))")
        }
        guard caseworker.identity.roles.contains(role.rawValue) else {
            // The data-protection officer's way in is the access log, not the inbox.
            if role == .sachbearbeitung, caseworker.mayReadAccessLog, request.uri.path == "/posteingang" {
                return HTML.redirect(to: "/datenschutz")
            }
            return HTML.errorPage(
                .forbidden, title: "Kein Zugang",
                message: "Ihr Konto hat die Rolle „\(role.rawValue)“ nicht, die diese Seite braucht.", caseworker: caseworker)
        }
        if caseworker.mayUsePages {
            caseworker.openReviews = try environment.akte.caseworkerReviewCount(includeHealthData: caseworker.mayOpenHealthData)
        }
        return try await body(caseworker)
    }

    /// Runs `body` for a POST from a logged-in caseworker (with `role`, when given) whose form
    /// carries the session's CSRF token; without it: 403.
    func withForm(
        _ request: Request, role: CaseworkerRole? = .sachbearbeitung, _ body: (LoggedInCaseworker, FormBody) async throws -> Response
    ) async throws -> Response {
        guard let caseworker = try session.caseworker(for: request) else {
            return HTML.errorPage(
                .forbidden, title: "Nicht angemeldet",
                message: "Die Sitzung ist abgelaufen oder ungültig. Bitte melden Sie sich erneut an.", caseworker: nil)
        }
        let form: FormBody
        do {
            form = try await FormBody.read(request)
        } catch let problem as FormBody.Problem {
            return HTML.errorPage(.badRequest, title: "Ungültige Formulardaten", message: problem.description, caseworker: caseworker)
        }
        guard WebSession.tokenMatches(form[WebSession.csrfFieldName], caseworker.csrfToken) else {
            return HTML.errorPage(
                .forbidden, title: "Formular abgelehnt",
                message: "Das Formular trägt kein gültiges Sicherheitsmerkmal (CSRF-Token). Laden Sie die Seite neu und senden Sie es erneut.",
                caseworker: caseworker)
        }
        if let role, !caseworker.identity.roles.contains(role.rawValue) {
            return HTML.errorPage(
                .forbidden, title: "Kein Zugang", message: "Ihr Konto hat die Rolle „\(role.rawValue)“ nicht.", caseworker: caseworker)
        }
        return try await body(caseworker, form)
    }

    /// Runs `body` when the document exists and the caseworker may open it. Health data without
    /// the `gesundheit` role: 403, and the refusal is audited.
    func withDocument(
        _ request: Request, _ context: ServerRequestContext, what: String, caseworker known: LoggedInCaseworker? = nil,
        _ body: (LoggedInCaseworker, DocumentAccess) async throws -> Response
    ) async throws -> Response {
        if let known { return try await openDocument(known, context, what: what, body) }
        return try await withCaseworker(request) { caseworker in
            try await openDocument(caseworker, context, what: what, body)
        }
    }

    private func openDocument(
        _ caseworker: LoggedInCaseworker, _ context: ServerRequestContext, what: String,
        _ body: (LoggedInCaseworker, DocumentAccess) async throws -> Response
    ) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard Self.isDocumentID(id) else {
            return HTML.errorPage(
                .notFound, title: "Dokument nicht gefunden", message: "„\(id)“ ist keine Dokumentnummer.", caseworker: caseworker)
        }
        let access: DocumentAccess
        do {
            access = try environment.akte.documentAccess(id: id)
        } catch AkteError.unknownDocument {
            return HTML.errorPage(
                .notFound, title: "Dokument nicht gefunden", message: "In der E-Akte gibt es kein Dokument \(id).",
                caseworker: caseworker)
        }
        if access.isHealthData && !caseworker.mayOpenHealthData {
            try environment.akte.recordAccessDenied(
                documentID: id, by: caseworker.identity.username, what: what, reason: "health data without role gesundheit")
            return HTML.errorPage(
                .forbidden, title: "Gesundheitsdaten",
                message: "Dieses Dokument enthält Gesundheitsdaten. Es ist nur für Konten mit der Rolle „gesundheit“ sichtbar. Der Zugriffsversuch wurde protokolliert.",
                caseworker: caseworker)
        }
        return try await body(caseworker, access)
    }

    static func isDocumentID(_ id: String) -> Bool {
        (8...64).contains(id.count) && id.allSatisfy { $0.isHexDigit || $0 == "-" }
    }

    // MARK: - Configuration

    /// The document classes of the running configuration (pipeline.yml), in its order.
    var documentClasses: [DocumentClass] {
        environment.configuration?().classes ?? []
    }

    func classLabel(_ id: String) -> String {
        documentClasses.first { $0.id == id }?.label ?? id
    }
}

import Foundation
import HTTPTypes
import Hummingbird

/// Wraps the router: every answer carries `X-Content-Type-Options: nosniff` (pages,
/// the stylesheet, API JSON, downloads, errors); under `/api/` a wrong method is answered 405
/// with `Allow` and a JSON body, an unknown path 404 with a JSON body; elsewhere an unknown
/// page gets a German error page. An error nobody answered becomes a 500 naming a reference
/// that the log carries too.
struct AnswerGuard<Inner: HTTPResponder>: HTTPResponder where Inner.Context == ServerRequestContext {
    typealias Context = ServerRequestContext
    let inner: Inner

    /// The API's routes and the methods each accepts (`*` stands for one path segment).
    static var apiRoutes: [(pattern: [String], methods: [HTTPRequest.Method])] {
        [
            (["api", "v1", "uploads"], [.post]),
            (["api", "v1", "uploads", "*"], [.get]),
            (["api", "v1", "requests"], [.get]),
            (["api", "v1", "health"], [.get]),
            (["api", "v1", "openapi.yaml"], [.get]),
        ]
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        var response: Response
        do {
            response = try await inner.respond(to: request, context: context)
            // The router's own answer when no route has this path and method: a 404 without a
            // body (every handler's 404 is a page or JSON, with a Content-Type).
            if response.status == .notFound, response.headers[.contentType] == nil {
                response = try Self.unrouted(request, context: context)
            }
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch {
            let reference = "e-" + UUID().uuidString.lowercased().prefix(8)
            context.logger.error("request failed", metadata: ["reference": "\(reference)", "error": "\(error)"])
            response = Response(
                status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(
                    string: "Interner Fehler (Referenz \(reference)). / Internal error (reference \(reference)).\n")))
        }
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return response
    }

    static func unrouted(_ request: Request, context: Context) throws -> Response {
        let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard segments.first == "api" else {
            return HTML.errorPage(
                .notFound, title: "Seite nicht gefunden",
                message: "Diese Adresse gibt es hier nicht. Prüfen Sie den Link oder gehen Sie zurück zum Posteingang.",
                caseworker: nil)
        }
        let allowed = apiRoutes.filter { route in
            route.pattern.count == segments.count && zip(route.pattern, segments).allSatisfy { $0 == "*" || $0 == $1 }
        }.flatMap(\.methods)
        guard !allowed.isEmpty else {
            return try APIError(
                status: .notFound, code: "no_such_endpoint",
                german: "Diese Adresse gibt es in der Schnittstelle nicht. Die Beschreibung steht unter /api/v1/openapi.yaml.",
                english: "There is no such endpoint. The API is described at /api/v1/openapi.yaml."
            ).response(from: request, context: context)
        }
        let names = allowed.map(\.rawValue).joined(separator: ", ")
        return try APIError(
            status: .methodNotAllowed, code: "method_not_allowed",
            german: "Die Methode \(request.method.rawValue) ist für diese Adresse nicht erlaubt (erlaubt: \(names)).",
            english: "The method \(request.method.rawValue) is not allowed here (allowed: \(names)).",
            headers: [.allow: names]
        ).response(from: request, context: context)
    }
}

import Akte
import Hummingbird

/// Finds the API client from `Authorization: Bearer TOKEN`. A missing, malformed, unknown or
/// revoked token ends the request with 401 and `WWW-Authenticate: Bearer`, before any body is read.
struct TokenAuthentication: RouterMiddleware {
    typealias Context = ServerRequestContext
    let akte: any AkteStore

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized(
                "Send the access token in the header 'Authorization: Bearer TOKEN'.",
                "Senden Sie den Zugangsschlüssel im Header 'Authorization: Bearer TOKEN'.")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.unauthorized(
                "The Authorization header must be 'Bearer TOKEN'.",
                "Der Authorization-Header muss 'Bearer TOKEN' lauten.")
        }
        let secret = parts[1].trimmingCharacters(in: .whitespaces)
        guard secret.utf8.count <= 200, let token = try akte.apiToken(secret: secret) else {
            throw APIError.unauthorized(
                "The access token is unknown or was revoked; ask the Jobcenter for a valid one.",
                "Der Zugangsschlüssel ist unbekannt oder wurde widerrufen; bitte beim Jobcenter einen gültigen anfordern.")
        }
        var context = context
        context.apiClient = APIClientIdentity(
            client: token.client, caseID: token.caseID, tokenID: token.id, ratePerMinute: token.ratePerMinute)
        return try await next(request, context)
    }
}

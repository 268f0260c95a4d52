import Classification
import Akte
import Findings
import Foundation
import Hummingbird

/// `GET /api/v1/requests`: which documents the Jobcenter still awaits from the token's
/// household, so that a citizen's app can show "still missing: …". Only for a token bound to a
/// household, and only the class and the due date of each request (never the period, the
/// caseworker's note or who asked).
public struct RequestsAPI: Sendable {
    public let environment: ServerEnvironment

    public init(environment: ServerEnvironment) {
        self.environment = environment
    }

    public func register(on router: Router<ServerRequestContext>) {
        let api = router.group("/api/v1").add(middleware: TokenAuthentication(akte: environment.akte))
        api.get("/requests") { _, context in
            try await UploadAPI.answering(context) { try self.openRequests(context: context) }
        }
    }

    struct Answer: Encodable {
        var requests: [Item]
        var message: APIError.Message
    }

    struct Item: Encodable {
        /// The class id (`kontoauszug`).
        var `class`: String
        /// Its German name (`Kontoauszug`).
        var label: String
        /// ISO day.
        var due: String
    }

    func openRequests(context: ServerRequestContext) throws -> Response {
        guard let client = context.apiClient else {
            throw APIError.unauthorized("A token is required.", "Ein Zugangsschlüssel ist nötig.")
        }
        guard let caseID = client.caseID else {
            throw APIError(
                status: .forbidden, code: "not_case_bound",
                german: "Dieser Zugang ist keinem Haushalt zugeordnet; angeforderte Unterlagen sieht nur der Zugang eines Haushalts.",
                english: "This token is not bound to a household; only a household's token can read its requested documents.")
        }
        let engine = environment.findingsEngine
        let awaited =
            try environment.akte.caseExists(caseID)
            ? try CaseFindings.requestStatuses(caseID, in: environment.akte, engine: engine).filter(\.isAwaited) : []
        let items = awaited.sorted { ($0.request.dueDate, $0.request.id) < ($1.request.dueDate, $1.request.id) }.map {
            Item(class: $0.request.documentClass, label: engine.label(ofClass: $0.request.documentClass), due: $0.request.dueDate)
        }
        let message: APIError.Message
        if items.isEmpty {
            message = .init(de: "Es fehlen keine angeforderten Unterlagen.", en: "No requested documents are missing.")
        } else {
            message = .init(
                de: "Es fehlen noch: "
                    + items.map { "\($0.label) (Frist \(GermanFormat.date($0.due)))" }.joined(separator: ", ") + ".",
                en: "Still missing: " + items.map { "\($0.label) (due \($0.due))" }.joined(separator: ", ") + ".")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = try encoder.encode(Answer(requests: items, message: message))
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(data: body)))
    }
}

import Akte
import Classification
import Foundation
import HTTPTypes
import Hummingbird
import Imaging
import SpoolFiles

/// The versioned upload API under /api/v1:
///
/// - `POST /api/v1/uploads`: one document, as `multipart/form-data` (one or more `file` parts,
///   optional `case`, `channel`, `note`) or as a raw body. The body is streamed to a private staging
///   folder on the spool's file system, checked (size, type by magic bytes), written to the inbox
///   durably (sidecar first, then the file: temp name, fsync, rename, fsync of the folder) and
///   only then answered with 202. With the shared queue (`ServerEnvironment.queue`) the file goes
///   into the blob store and a queue row instead (`UploadAPI+Queue.swift`).
/// - `GET /api/v1/uploads/{id}`: the status, for the client that sent it only.
/// - `GET /api/v1/openapi.yaml`, `GET /api/v1/health`: without a token.
public struct UploadAPI: Sendable {
    public let environment: ServerEnvironment
    public let options: UploadAPIOptions
    let limiter = UploadRateLimiter()
    let inFlight = InFlightKeys()

    public init(environment: ServerEnvironment, options: UploadAPIOptions = UploadAPIOptions()) {
        self.environment = environment
        self.options = options
    }

    /// Where request bodies are written while they arrive: beside the inbox (same file system, so
    /// the final move is a rename), readable by the service user only. Entries are named
    /// `PID-UPLOADID-N`, so that those of a killed server are recognised and removed at start.
    var staging: URL { environment.directory.inbox.deletingLastPathComponent().appendingPathComponent("api-staging", isDirectory: true) }

    public func register(on router: Router<ServerRequestContext>) {
        prepareStaging()
        router.get("/api/v1/health") { _, _ in "ok" }
        router.get("/api/v1/openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
        let api = router.group("/api/v1").add(middleware: TokenAuthentication(akte: environment.akte))
        api.post("/uploads") { request, context in
            try await Self.answering(context) { try await self.upload(request, context: context) }
        }
        api.get("/uploads/{id}") { request, context in
            try await Self.answering(context) { try await self.status(request, context: context) }
        }
    }

    /// Runs a handler; an error that is not one of the API's own answers (a failing disk, a tool
    /// that could not start, the database) is logged with its detail under a reference and
    /// answered as a JSON 500 naming that reference, instead of an empty body.
    static func answering(_ context: ServerRequestContext, _ handler: () async throws -> Response) async throws -> Response {
        do {
            return try await handler()
        } catch let error as APIError {
            throw error
        } catch let error as HTTPResponseError {
            throw error
        } catch let failure as any BlobStoreFailure {
            context.logger.error("blob store unavailable", metadata: ["error": "\(failure)"])
            throw APIError(
                status: .serviceUnavailable, code: "blob_store_unavailable",
                german: "Der Dokumentspeicher ist gerade nicht erreichbar; nichts wurde angenommen. Bitte senden Sie in einer Minute erneut.",
                english: "The document store is unreachable just now; nothing was accepted. Please send again in a minute.",
                headers: [.retryAfter: "60"])
        } catch {
            let reference = "e-" + UUID().uuidString.lowercased().prefix(8)
            context.logger.error("upload API failed", metadata: ["reference": "\(reference)", "error": "\(error)"])
            throw APIError(
                status: .internalServerError, code: "internal_error",
                german: "Ein interner Fehler ist aufgetreten (Referenz \(reference)); nichts wurde angenommen. Bitte senden Sie erneut.",
                english: "An internal error occurred (reference \(reference)); nothing was accepted. Please send again.")
        }
    }

    /// Creates the staging folder and removes what a server that is gone left in it.
    func prepareStaging() {
        try? FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let names = (try? FileManager.default.contentsOfDirectory(atPath: staging.path)) ?? []
        for name in names {
            guard let pid = Int32(name.prefix { $0 != "-" }) else { continue }
            if pid == getpid() || kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(at: staging.appendingPathComponent(name))
            }
        }
    }

    // MARK: - POST /api/v1/uploads

    func upload(_ request: Request, context: ServerRequestContext) async throws -> Response {
        guard let client = context.apiClient else { throw APIError.unauthorized("A token is required.", "Ein Zugangsschlüssel ist nötig.") }
        let key = try idempotencyKey(request)
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > options.maxUploadBytes {
            throw APIError.tooLarge(limit: options.maxUploadBytes)
        }
        var claimedKey: String?
        if let key {
            let slot = client.tokenID + "\u{0}" + key
            guard inFlight.claim(slot) else {
                throw APIError(
                    status: .conflict, code: "idempotency_key_in_use",
                    german: "Eine Anfrage mit demselben Idempotency-Key wird gerade bearbeitet; wiederholen Sie sie gleich.",
                    english: "A request with the same Idempotency-Key is being answered right now; retry in a moment.",
                    headers: [.retryAfter: "1"])
            }
            claimedKey = slot
        }
        defer { if let claimedKey { inFlight.release(claimedKey) } }

        // A retry of a stored answer is not a new upload and does not count against the rate; any
        // other request is counted before its body is read, so that an over-eager client costs little.
        let stored = try key.flatMap { try environment.akte.storedAPIAnswer(tokenID: client.tokenID, key: $0) }
        if stored == nil, let wait = limiter.take(tokenID: client.tokenID, ratePerMinute: client.ratePerMinute) {
            throw APIError(
                status: .tooManyRequests, code: "rate_limited",
                german: "Zu viele Sendungen mit diesem Zugang (höchstens \(client.ratePerMinute) pro Minute). Versuchen Sie es in \(wait) Sekunden erneut.",
                english: "Too many uploads with this token (at most \(client.ratePerMinute) per minute). Try again in \(wait) seconds.",
                headers: [.retryAfter: "\(wait)"])
        }

        let uploadID = "u-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        let area = StagingArea(folder: staging, uploadID: uploadID)
        defer { area.discard() }
        let received = try await receive(request, into: area)
        if let stored { return try replay(stored, fingerprint: received.fingerprint) }
        let caseID = try caseReference(received.fields["case"], client: client)

        if received.files.count > 1 {
            // The page files as sent are kept unchanged (RESISCAN: every original, hashed); the
            // daemon stores the combined PDF it reads.
            for part in received.files { try await environment.blobs.put(fileAt: part.file) }
        }
        let accepted: Accepted
        if let queue = environment.queue {
            accepted = try await commitToQueue(received, area: area, uploadID: uploadID, client: client, caseID: caseID, key: key, queue: queue)
        } else {
            accepted = try await Self.blocking {
                try self.commit(received, area: area, uploadID: uploadID, client: client, caseID: caseID, key: key)
            }
        }
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .location: "/api/v1/uploads/\(accepted.uploadID)"]
        if accepted.replayed { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        return Response(status: HTTPResponse.Status(code: accepted.status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: accepted.json)))
    }

    private func idempotencyKey(_ request: Request) throws -> String? {
        guard let value = request.headers[HTTPField.Name("Idempotency-Key")!] else { return nil }
        guard (1...255).contains(value.utf8.count), value.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value <= 0x7E }) else {
            throw APIError.badRequest(
                code: "invalid_idempotency_key",
                "The Idempotency-Key must be 1 to 255 visible ASCII characters (e.g. a UUID).",
                "Der Idempotency-Key muss aus 1 bis 255 sichtbaren ASCII-Zeichen bestehen (z. B. eine UUID).")
        }
        return value
    }

    private func replay(_ stored: StoredAPIAnswer, fingerprint: String) throws -> Response {
        guard stored.requestSha256 == fingerprint else {
            throw APIError(
                status: .unprocessableContent, code: "idempotency_key_reused",
                german: "Dieser Idempotency-Key wurde schon für eine andere Sendung benutzt; nehmen Sie für jede neue Sendung einen neuen Schlüssel.",
                english: "This Idempotency-Key was already used for a different upload; use a new key for each new upload.")
        }
        return Response(
            status: HTTPResponse.Status(code: stored.httpStatus),
            headers: [
                .contentType: "application/json; charset=utf-8", .location: "/api/v1/uploads/\(stored.uploadID)",
                HTTPField.Name("Idempotent-Replayed")!: "true",
            ],
            body: .init(byteBuffer: ByteBuffer(string: stored.responseJSON)))
    }

    /// A case-bound token forces its case (naming another is refused); another token's `case` is
    /// passed on as the sidecar's claim, which the daemon trusts only from a trusted channel.
    private func caseReference(_ given: String?, client: APIClientIdentity) throws -> String? {
        let trimmed = given?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let bound = client.caseID {
            if let trimmed, CaseIdentifiers.normalizeAny(trimmed) != CaseIdentifiers.normalizeAny(bound) {
                throw APIError(
                    status: .forbidden, code: "case_not_allowed",
                    german: "Dieser Zugang darf nur an die eigene Bedarfsgemeinschaft senden, nicht an '\(trimmed)'. Lassen Sie das Feld 'case' leer.",
                    english: "This token may only upload to its own household, not to '\(trimmed)'. Leave the 'case' field empty.")
            }
            return bound
        }
        guard let trimmed else { return nil }
        guard trimmed.utf8.count <= 40, trimmed.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || " /-".unicodeScalars.contains($0)) }) else {
            throw APIError.badRequest(
                code: "invalid_case",
                "The case reference must be a BG-Nummer (e.g. 96301BG0012345) or a Kundennummer.",
                "Das Aktenzeichen muss eine BG-Nummer (z. B. 96301BG0012345) oder eine Kundennummer sein.")
        }
        return CaseIdentifiers.normalizeAny(trimmed)
    }

    static let jsonEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// Runs blocking file-system and database work off Swift's cooperative pool.
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

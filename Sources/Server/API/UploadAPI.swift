import Akte
import Classification
import Foundation
import HTTPTypes
import Hummingbird
import Imaging
import SpoolFiles

/// Limits and settings of the upload API (options of `posteingang serve`).
public struct UploadAPIOptions: Sendable {
    /// Largest request body accepted (all page files together); larger → 413.
    public var maxUploadBytes: Int
    /// Most page files in one multipart upload.
    public var maxFiles: Int

    public init(maxUploadBytes: Int = 50 * 1_048_576, maxFiles: Int = 30) {
        self.maxUploadBytes = maxUploadBytes
        self.maxFiles = maxFiles
    }
}

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

    // MARK: Receiving the body

    /// What the body held once it is on disk.
    struct Received {
        var files: [StagedPart]
        var fields: [String: String]

        /// Identifies the request's content independent of how it was framed (a multipart boundary
        /// differs between retries): the files' hashes in order and the fields.
        var fingerprint: String {
            var text = files.map(\.sha256).joined(separator: ",")
            for name in ["case", "channel", "note"] { text += "\n\(name)=\(fields[name] ?? "")" }
            return SHA256Digest.hex(of: Data(text.utf8))
        }
    }

    struct StagedPart {
        var file: URL
        var fileName: String
        var bytes: Int
        var format: FileFormat
        var sha256: String
    }

    static let fileFieldNames: Set<String> = ["file", "files", "file[]", "files[]", "page", "pages"]
    static let textFieldNames: Set<String> = ["case", "channel", "note"]
    static let maxFieldBytes = 2000

    private func receive(_ request: Request, into area: StagingArea) async throws -> Received {
        let contentType = request.headers[.contentType] ?? ""
        var total = 0
        func count(_ n: Int) throws {
            total += n
            if total > options.maxUploadBytes { throw APIError.tooLarge(limit: options.maxUploadBytes) }
        }
        var files: [StagedFileWriter] = []
        var fields: [String: String] = [:]
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            guard let boundary = MultipartReader.boundary(fromContentType: contentType) else {
                throw APIError.malformed(
                    "the Content-Type has no valid boundary parameter", german: "der Content-Type hat keinen gültigen boundary-Parameter")
            }
            var reader = MultipartReader(boundary: boundary)
            var current: (header: MultipartPartHeader, file: StagedFileWriter?, text: [UInt8])?
            do {
                for try await chunk in request.body {
                    try count(chunk.readableBytes)
                    let events = try reader.feed(chunk.readableBytesView)
                    for event in events {
                        switch event {
                        case .partStarted(let header):
                            if Self.fileFieldNames.contains(header.name) || header.fileName != nil {
                                guard files.count < options.maxFiles else {
                                    throw APIError.badRequest(
                                        code: "too_many_files", "At most \(options.maxFiles) page files per upload.",
                                        "Höchstens \(options.maxFiles) Seiten-Dateien pro Sendung.")
                                }
                                let writer = try area.newFile(name: header.fileName)
                                files.append(writer)
                                current = (header, writer, [])
                            } else if Self.textFieldNames.contains(header.name) {
                                guard fields[header.name] == nil else {
                                    throw APIError.malformed(
                                        "the field '\(header.name)' appears twice", german: "das Feld '\(header.name)' kommt zweimal vor")
                                }
                                current = (header, nil, [])
                            } else {
                                throw APIError.malformed(
                                    "unknown field '\(header.name.prefix(40))' (accepted: file, case, channel, note)",
                                    german: "unbekanntes Feld '\(header.name.prefix(40))' (erlaubt: file, case, channel, note)")
                            }
                        case .content(let bytes):
                            guard var part = current else { continue }
                            if let file = part.file {
                                try file.write(bytes)
                            } else {
                                part.text.append(contentsOf: bytes)
                                guard part.text.count <= Self.maxFieldBytes else {
                                    throw APIError.badRequest(
                                        code: "field_too_long", "The field '\(part.header.name)' is longer than \(Self.maxFieldBytes) bytes.",
                                        "Das Feld '\(part.header.name)' ist länger als \(Self.maxFieldBytes) Bytes.")
                                }
                                current = part
                            }
                        case .partEnded:
                            if let part = current, part.file == nil {
                                guard let value = String(validating: part.text, as: UTF8.self) else {
                                    throw APIError.malformed(
                                        "the field '\(part.header.name)' is not valid UTF-8",
                                        german: "das Feld '\(part.header.name)' ist kein gültiges UTF-8")
                                }
                                fields[part.header.name] = value
                            }
                            current = nil
                        }
                    }
                }
                try reader.finish()
            } catch let error as MultipartError {
                throw APIError.malformed(error.reason, german: error.german)
            }
            guard !files.isEmpty else {
                throw APIError.malformed(
                    "no file part (send the pages as fields named 'file' with a filename)",
                    german: "kein Dateiteil (senden Sie die Seiten als Felder namens 'file' mit Dateinamen)")
            }
        } else {
            let query = request.uri.queryParameters
            for name in Self.textFieldNames {
                if let value = query.get(name) {
                    guard value.utf8.count <= Self.maxFieldBytes else {
                        throw APIError.badRequest(
                            code: "field_too_long", "The parameter '\(name)' is longer than \(Self.maxFieldBytes) bytes.",
                            "Der Parameter '\(name)' ist länger als \(Self.maxFieldBytes) Bytes.")
                    }
                    fields[name] = value
                }
            }
            let writer = try area.newFile(name: query.get("filename"))
            files.append(writer)
            for try await chunk in request.body {
                try count(chunk.readableBytes)
                try writer.write(chunk.readableBytesView)
            }
        }
        var parts: [StagedPart] = []
        for writer in files {
            try writer.close()
            let name = writer.clientName ?? "upload"
            guard writer.bytes > 0 else {
                throw APIError.badRequest(
                    code: "empty_file", "The file '\(name)' is empty (0 bytes); send the document as JPEG, PNG, TIFF, WebP, HEIC or PDF.",
                    "Die Datei '\(name)' ist leer (0 Bytes); senden Sie das Dokument als JPEG, PNG, TIFF, WebP, HEIC oder PDF.")
            }
            switch FileFormat.detect(Data(writer.head)) {
            case .success(let format):
                parts.append(StagedPart(
                    file: writer.url, fileName: name, bytes: writer.bytes, format: format,
                    sha256: try SHA256Digest.hex(ofFileAt: writer.url)))
            case .failure(.unsupportedFormat(let detected)):
                throw APIError.unsupportedType(detected: files.count > 1 ? "\(detected) ('\(name)')" : detected)
            case .failure(let error):
                throw APIError(
                    status: .unsupportedMediaType, code: "unsupported_type",
                    german: "Die Datei '\(name)' ist kein lesbares Bild und kein PDF. Angenommen werden JPEG, PNG, TIFF, WebP, HEIC und PDF.",
                    english: "The file '\(name)' is not a readable image or PDF (\(error.description)). Accepted: JPEG, PNG, TIFF, WebP, HEIC and PDF.")
            }
        }
        return Received(files: parts, fields: fields)
    }

    // MARK: Committing to the spool

    struct Accepted {
        var uploadID: String
        var status: Int
        var json: String
        var replayed: Bool
    }

    /// Makes the upload durable in the inbox, records it, and returns the answer. Blocking.
    private func commit(
        _ received: Received, area: StagingArea, uploadID: String, client: APIClientIdentity, caseID: String?, key: String?
    ) throws -> Accepted {
        let (spoolFile, format) = try fileToRead(received, area: area, uploadID: uploadID)
        let sha256 = try SHA256Digest.hex(ofFileAt: spoolFile)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: spoolFile.path)[.size] as? NSNumber)?.intValue ?? 0

        let inboxName = "\(uploadID)-\(Self.fileName(received, format: format))"
        let inboxFile = environment.directory.inbox.appendingPathComponent(inboxName)
        let sidecar = Self.sidecar(received, uploadID: uploadID, client: client, caseID: caseID)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Sidecar first: the daemon takes the file the moment it is renamed into place.
        try DurableFile.write(try encoder.encode(sidecar), to: Sidecar.location(for: inboxFile))
        guard rename(spoolFile.path, inboxFile.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: Sidecar.location(for: inboxFile))
            throw APIError(
                status: .serviceUnavailable, code: "spool_unavailable",
                german: "Die Sendung konnte nicht gespeichert werden; bitte später erneut senden.",
                english: "The upload could not be stored (\(reason)); please send it again later.")
        }
        DurableFile.syncDirectory(environment.directory.inbox)
        area.committed(spoolFile)
        return try recordAccepted(received, uploadID: uploadID, client: client, caseID: caseID, key: key, bytes: bytes, sha256: sha256, acceptedAt: Date())
    }

    /// The one file the daemon will read: the single file sent, or the page files combined into
    /// one PDF; written through to disk. Blocking.
    func fileToRead(_ received: Received, area: StagingArea, uploadID: String) throws -> (URL, FileFormat) {
        let spoolFile: URL
        let format: FileFormat
        if received.files.count == 1 {
            spoolFile = received.files[0].file
            format = received.files[0].format
        } else {
            spoolFile = area.folder.appendingPathComponent("\(getpid())-\(uploadID)-combined.pdf")
            area.track(spoolFile)
            let scratch = area.folder.appendingPathComponent("\(getpid())-\(uploadID)-pages", isDirectory: true)
            area.track(scratch)
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try PageBundle.combine(
                received.files.map { PageBundle.Part(file: $0.file, format: $0.format, fileName: $0.fileName) },
                into: spoolFile, scratch: scratch)
            format = .pdf
        }
        try Self.fsyncFile(spoolFile)
        return (spoolFile, format)
    }

    /// The name the upload is filed under: the client's (made safe), with the detected format's extension.
    static func fileName(_ received: Received, format: FileFormat) -> String {
        let baseName = Self.inboxBaseName(received.files.count == 1 ? received.files[0].fileName : "pages")
        return "\(baseName).\(Self.fileExtension(format))"
    }

    /// What the daemon learns besides the bytes: the household, the client as channel, the sender's note.
    static func sidecar(_ received: Received, uploadID: String, client: APIClientIdentity, caseID: String?) -> Sidecar {
        Sidecar(
            caseReference: caseID, channel: client.client, submitter: received.fields["channel"]?.nilIfEmpty,
            uploadID: uploadID, note: received.fields["note"]?.nilIfEmpty)
    }

    /// Records the accepted upload for the client's status lookups (and its answer under the
    /// Idempotency-Key) and returns the 202. Blocking.
    func recordAccepted(
        _ received: Received, uploadID: String, client: APIClientIdentity, caseID: String?, key: String?, bytes: Int, sha256: String,
        acceptedAt: Date
    ) throws -> Accepted {
        let answer = UploadAnswer(
            uploadID: uploadID, state: .received, reasonCode: nil, files: received.files.count, bytes: bytes,
            sha256: sha256, receivedAt: acceptedAt)
        let json = String(decoding: try Self.jsonEncoder.encode(answer), as: UTF8.self)
        let record = APIUpload(
            uploadID: uploadID, tokenID: client.tokenID, client: client.client, caseID: caseID,
            fileName: received.files.map(\.fileName).joined(separator: ", "), bytes: bytes, sha256: sha256,
            acceptedAt: acceptedAt,
            parts: received.files.map { APIUploadPart(fileName: $0.fileName, format: $0.format.rawValue, bytes: $0.bytes, sha256: $0.sha256) })
        let stored = StoredAPIAnswer(requestSha256: received.fingerprint, uploadID: uploadID, httpStatus: 202, responseJSON: json)
        if let earlier = try environment.akte.recordAPIUpload(record, idempotencyKey: key, answer: key == nil ? nil : stored) {
            // Cannot happen within one server (keys in flight are exclusive); kept for a second server on the same store.
            return Accepted(uploadID: earlier.uploadID, status: earlier.httpStatus, json: earlier.responseJSON, replayed: true)
        }
        return Accepted(uploadID: uploadID, status: 202, json: json, replayed: false)
    }

    static let jsonEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// The client's file name reduced to something safe in the inbox (no extension: the
    /// extension comes from the detected format, so that no name can end in `.json` or `.part`).
    static func inboxBaseName(_ name: String) -> String {
        var base = (name as NSString).deletingPathExtension
        base = String(UploadName.sanitized(base).unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_") ? Character(scalar) : "_"
        })
        while base.hasPrefix("_") || base.hasPrefix("-") { base.removeFirst() }
        base = String(base.prefix(60))
        return base.isEmpty ? "upload" : base
    }

    static func fileExtension(_ format: FileFormat) -> String {
        switch format {
        case .jpeg: return "jpg"
        case .png: return "png"
        case .tiff: return "tif"
        case .webp: return "webp"
        case .heic: return "heic"
        case .pdf: return "pdf"
        }
    }

    static func fsyncFile(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw APIError.spoolUnavailable("cannot open the file to sync it") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw APIError.spoolUnavailable("fsync failed: \(String(cString: strerror(errno)))") }
    }

    /// Runs blocking file-system and database work off Swift's cooperative pool.
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try work() })
            }
        }
    }

    // MARK: - GET /api/v1/uploads/{id}

    func status(_ request: Request, context: ServerRequestContext) async throws -> Response {
        guard let client = context.apiClient else { throw APIError.unauthorized("A token is required.", "Ein Zugangsschlüssel ist nötig.") }
        guard let id = context.parameters.get("id"), id.utf8.count <= 64 else { throw APIError.notFound }
        // Unknown and foreign ids are answered alike, so that ids of other households cannot be probed.
        guard let upload = try environment.akte.apiUpload(id: id), upload.client == client.client,
            client.caseID == nil || upload.caseID == client.caseID
        else { throw APIError.notFound }
        let state: UploadState
        var code: String?
        if let status = try environment.akte.uploadStatus(idOrSha: id) {
            state = status.state
            if state == .refused {
                // Set aside on this host (its quarantine folder), or on any host of the shared queue.
                code = try quarantineCode(uploadID: id) ?? environment.queue?.job(id)?.refusalCode ?? "refused"
            }
        } else if let quarantined = quarantineCode(uploadID: id) {
            state = .refused
            code = quarantined
        } else {
            state = .received
        }
        let body = UploadAnswer(
            uploadID: id, state: state, reasonCode: code, files: upload.parts.count, bytes: upload.bytes,
            sha256: upload.sha256, receivedAt: upload.acceptedAt)
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(data: try Self.jsonEncoder.encode(body))))
    }

    /// The code of the quarantine record `UPLOADID--NAME.error.json`, if the upload was set aside.
    func quarantineCode(uploadID: String) -> String? {
        let prefix = uploadID + "--"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: environment.directory.quarantine.path)) ?? []
        guard let name = names.first(where: { $0.hasPrefix(prefix) && $0.hasSuffix(".error.json") }),
            let data = FileManager.default.contents(atPath: environment.directory.quarantine.appendingPathComponent(name).path)
        else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return (try? decoder.decode(QuarantineRecord.self, from: data))?.code
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

import Foundation
import Hummingbird

/// An answer of the upload API that is not a success: an HTTP status, a stable code for programs,
/// and a message in German and English that says what was wrong and what is accepted.
/// The body is `{"code": "…", "message": {"de": "…", "en": "…"}}`.
struct APIError: Error, HTTPResponseError, CustomStringConvertible {
    var status: HTTPResponse.Status
    var code: String
    var german: String
    var english: String
    var headers: HTTPFields = [:]

    var description: String { "\(status.code) \(code): \(english)" }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(data: body)))
    }

    var body: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(ErrorBody(code: code, message: .init(de: german, en: english)))) ?? Data()
    }

    struct ErrorBody: Codable {
        var code: String
        var message: Message
    }

    /// A text for people, in both languages the Jobcenter answers in.
    struct Message: Codable, Equatable {
        var de: String
        var en: String
    }

    static func unauthorized(_ english: String, _ german: String) -> APIError {
        APIError(
            status: .unauthorized, code: "unauthorized", german: german, english: english,
            headers: [.wwwAuthenticate: #"Bearer realm="posteingang", error="invalid_token""#])
    }

    /// A body that cannot be read as multipart/form-data: the reason in each language.
    static func malformed(_ reason: String, german germanReason: String) -> APIError {
        APIError(
            status: .badRequest, code: "malformed_multipart",
            german: "Der multipart/form-data-Inhalt ist fehlerhaft: \(germanReason). Senden Sie ein oder mehrere Dateifelder 'file' und optional 'case', 'channel', 'note'.",
            english: "The multipart/form-data body is malformed: \(reason). Send one or more 'file' parts and optionally 'case', 'channel', 'note'.")
    }

    static func badRequest(code: String, _ english: String, _ german: String) -> APIError {
        APIError(status: .badRequest, code: code, german: german, english: english)
    }

    static func tooLarge(limit: Int) -> APIError {
        let mib = String(format: "%.1f", Double(limit) / 1_048_576)
        return APIError(
            status: .contentTooLarge, code: "too_large",
            german: "Die Sendung ist größer als erlaubt (höchstens \(mib) MiB). Senden Sie kleinere Dateien, z. B. Seiten einzeln oder mit geringerer Auflösung.",
            english: "The upload is larger than allowed (at most \(mib) MiB). Send smaller files, e.g. pages separately or at a lower resolution.",
            headers: [.connection: "close"])
    }

    static func unsupportedType(detected: String) -> APIError {
        APIError(
            status: .unsupportedMediaType, code: "unsupported_type",
            german: "Dateityp \(detected) wird nicht angenommen. Angenommen werden JPEG, PNG, TIFF, WebP, HEIC und PDF (erkannt am Inhalt der Datei).",
            english: "File type \(detected) is not accepted. Accepted: JPEG, PNG, TIFF, WebP, HEIC and PDF (recognised by the file's content).")
    }

    static func spoolUnavailable(_ detail: String) -> APIError {
        APIError(
            status: .serviceUnavailable, code: "spool_unavailable",
            german: "Die Sendung konnte nicht gespeichert werden; bitte später erneut senden.",
            english: "The upload could not be stored (\(detail)); please send it again later.")
    }

    static let notFound = APIError(
        status: .notFound, code: "not_found",
        german: "Keine Sendung mit dieser Kennung für Ihren Zugang.",
        english: "No upload with this id for your access token.")
}

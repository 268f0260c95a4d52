import Foundation
import Hummingbird
import Imaging

/// Receiving an upload's body: streamed to the staging area, multipart parts and fields checked,
/// each file's type detected by its magic bytes.
extension UploadAPI {
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

    func receive(_ request: Request, into area: StagingArea) async throws -> Received {
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
}

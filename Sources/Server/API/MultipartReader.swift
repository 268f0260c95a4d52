import Foundation

/// A streaming reader of `multipart/form-data` (RFC 7578): bytes go in as they arrive from the
/// network, events come out (a part begins with its headers, a piece of its content, it ends), so
/// that a file part is written to disk as it arrives and never held whole in memory.
///
/// Strict where sloppiness would hide a broken body: the body must start with the boundary line,
/// every part needs a `Content-Disposition: form-data; name="…"` header, headers are limited in
/// size, and the body must end with the closing boundary (`--BOUNDARY--`).
struct MultipartReader {
    enum Event: Equatable {
        case partStarted(MultipartPartHeader)
        case content([UInt8])
        case partEnded
    }

    private enum State {
        /// Before the first boundary line.
        case preamble
        /// Right after a boundary: `\r\n` (a part follows) or `--` (the end).
        case afterBoundary
        case headers
        case content
        case finished
    }

    /// Largest header block of one part.
    static let maxHeaderBytes = 8 * 1024

    private let firstBoundary: [UInt8]
    private let delimiter: [UInt8]
    private var buffer: [UInt8] = []
    private var state = State.preamble

    /// The boundary from a `Content-Type: multipart/form-data; boundary=…` header value, or nil.
    static func boundary(fromContentType value: String) -> String? {
        let parameters = value.split(separator: ";").dropFirst()
        for parameter in parameters {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var boundary = pair[1].trimmingCharacters(in: .whitespaces)
            if boundary.hasPrefix("\""), boundary.hasSuffix("\""), boundary.count >= 2 {
                boundary = String(boundary.dropFirst().dropLast())
            }
            // RFC 2046: 1 to 70 characters.
            guard (1...70).contains(boundary.utf8.count), boundary.allSatisfy({ $0.isASCII && !$0.isNewline }) else {
                return nil
            }
            return boundary
        }
        return nil
    }

    init(boundary: String) {
        firstBoundary = Array("--\(boundary)".utf8)
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    /// Feeds the next bytes of the body; returns what they completed.
    mutating func feed(_ bytes: some Sequence<UInt8>) throws(MultipartError) -> [Event] {
        buffer.append(contentsOf: bytes)
        var events: [Event] = []
        while true {
            switch state {
            case .preamble:
                // The body must begin with the boundary (a preamble is legal but no client sends one;
                // tolerate one only when it ends in CRLF before the boundary).
                if buffer.count < firstBoundary.count { return events }
                if buffer.starts(with: firstBoundary) {
                    buffer.removeFirst(firstBoundary.count)
                    state = .afterBoundary
                } else if let index = Self.find(delimiter, in: buffer) {
                    buffer.removeFirst(index + delimiter.count)
                    state = .afterBoundary
                } else {
                    if buffer.count > 1024 { throw MultipartError(
                        "the body does not start with the boundary given in Content-Type",
                        german: "der Inhalt beginnt nicht mit der im Content-Type angegebenen Grenze (boundary)") }
                    return events
                }
            case .afterBoundary:
                if buffer.count < 2 { return events }
                if buffer[0] == UInt8(ascii: "-"), buffer[1] == UInt8(ascii: "-") {
                    buffer.removeAll()
                    state = .finished
                } else if buffer[0] == 13, buffer[1] == 10 {
                    buffer.removeFirst(2)
                    state = .headers
                } else {
                    // Transport padding (spaces, tabs) may follow a boundary.
                    if buffer[0] == 32 || buffer[0] == 9 {
                        buffer.removeFirst()
                        continue
                    }
                    throw MultipartError(
                        "a boundary line is followed by neither a line break nor '--'",
                        german: "auf eine Grenzzeile folgt weder ein Zeilenumbruch noch '--'")
                }
            case .headers:
                guard let end = Self.find([13, 10, 13, 10], in: buffer) else {
                    if buffer.count > Self.maxHeaderBytes {
                        throw MultipartError(
                            "the headers of a part are longer than \(Self.maxHeaderBytes) bytes",
                            german: "die Kopfzeilen eines Teils sind länger als \(Self.maxHeaderBytes) Bytes")
                    }
                    return events
                }
                if end > Self.maxHeaderBytes {
                    throw MultipartError(
                        "the headers of a part are longer than \(Self.maxHeaderBytes) bytes",
                        german: "die Kopfzeilen eines Teils sind länger als \(Self.maxHeaderBytes) Bytes")
                }
                let header = try MultipartPartHeader(parsing: Array(buffer[..<end]))
                buffer.removeFirst(end + 4)
                events.append(.partStarted(header))
                state = .content
            case .content:
                if let index = Self.find(delimiter, in: buffer) {
                    if index > 0 { events.append(.content(Array(buffer[..<index]))) }
                    events.append(.partEnded)
                    buffer.removeFirst(index + delimiter.count)
                    state = .afterBoundary
                } else {
                    // Everything but a possible start of the delimiter is content.
                    let safe = buffer.count - (delimiter.count - 1)
                    if safe > 0 {
                        events.append(.content(Array(buffer[..<safe])))
                        buffer.removeFirst(safe)
                    }
                    return events
                }
            case .finished:
                // The epilogue after the closing boundary is ignored.
                buffer.removeAll()
                return events
            }
        }
    }

    /// Called at the end of the body: anything but a closed body is malformed.
    func finish() throws(MultipartError) {
        switch state {
        case .finished: return
        case .preamble:
            throw MultipartError(
                "the body holds no part (no boundary line found)", german: "der Inhalt enthält keinen Teil (keine Grenzzeile gefunden)")
        case .content, .headers, .afterBoundary:
            throw MultipartError(
                "the body ends inside a part; the closing boundary '--BOUNDARY--' is missing",
                german: "der Inhalt endet mitten in einem Teil; die schließende Grenze '--BOUNDARY--' fehlt")
        }
    }

    /// Index of the first occurrence of `needle` in `haystack`.
    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        let first = needle[0]
        return haystack.withUnsafeBufferPointer { hay -> Int? in
            needle.withUnsafeBufferPointer { pin -> Int? in
                var start = 0
                let last = hay.count - pin.count
                while start <= last {
                    guard let raw = memchr(hay.baseAddress! + start, Int32(first), last - start + 1) else { return nil }
                    let index = hay.baseAddress!.distance(to: raw.assumingMemoryBound(to: UInt8.self))
                    if memcmp(hay.baseAddress! + index, pin.baseAddress!, pin.count) == 0 { return index }
                    start = index + 1
                }
                return nil
            }
        }
    }
}

/// What the headers of one part say.
struct MultipartPartHeader: Equatable {
    /// The form field's name (`file`, `case`, `channel`, `note`).
    var name: String
    /// The file name the client gave, for file parts.
    var fileName: String?
    var contentType: String?

    init(name: String, fileName: String?, contentType: String?) {
        self.name = name
        self.fileName = fileName
        self.contentType = contentType
    }

    init(parsing bytes: [UInt8]) throws(MultipartError) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw MultipartError(
                "the headers of a part are not valid UTF-8", german: "die Kopfzeilen eines Teils sind kein gültiges UTF-8")
        }
        var disposition: String?
        var type: String?
        for line in text.components(separatedBy: "\r\n") where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw MultipartError(
                    "a part's header line has no ':' (\(line.prefix(60)))",
                    german: "eine Kopfzeile eines Teils hat keinen ':' (\(line.prefix(60)))")
            }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if key == "content-disposition" { disposition = value }
            if key == "content-type" { type = value }
        }
        guard let disposition else {
            throw MultipartError("a part has no Content-Disposition header", german: "ein Teil hat keinen Content-Disposition-Header")
        }
        let parameters = Self.parameters(disposition)
        guard parameters.kind == "form-data", let name = parameters.values["name"], !name.isEmpty else {
            throw MultipartError(
                "a part's Content-Disposition is not 'form-data; name=\"…\"'",
                german: "der Content-Disposition-Header eines Teils lautet nicht 'form-data; name=\"…\"'")
        }
        self.init(name: name, fileName: parameters.values["filename"], contentType: type)
    }

    /// `form-data; name="file"; filename="a.jpg"` → ("form-data", [name: file, filename: a.jpg]).
    static func parameters(_ value: String) -> (kind: String, values: [String: String]) {
        var values: [String: String] = [:]
        let scalars = Array(value)
        var index = 0
        func skipSpaces() { while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 } }
        var kind = ""
        while index < scalars.count, scalars[index] != ";" { kind.append(scalars[index]); index += 1 }
        while index < scalars.count {
            index += 1  // ';'
            skipSpaces()
            var key = ""
            while index < scalars.count, scalars[index] != "=", scalars[index] != ";" { key.append(scalars[index]); index += 1 }
            guard index < scalars.count, scalars[index] == "=" else { continue }
            index += 1
            var item = ""
            if index < scalars.count, scalars[index] == "\"" {
                index += 1
                while index < scalars.count, scalars[index] != "\"" {
                    if scalars[index] == "\\", index + 1 < scalars.count { index += 1 }
                    item.append(scalars[index])
                    index += 1
                }
                index += 1
                while index < scalars.count, scalars[index] != ";" { index += 1 }
            } else {
                while index < scalars.count, scalars[index] != ";" { item.append(scalars[index]); index += 1 }
            }
            values[key.trimmingCharacters(in: .whitespaces).lowercased()] = item.trimmingCharacters(in: .whitespaces)
        }
        return (kind.trimmingCharacters(in: .whitespaces).lowercased(), values)
    }
}

/// A multipart body that cannot be read; the API answers 400 with the reason.
struct MultipartError: Error, Equatable, CustomStringConvertible {
    /// In English.
    var reason: String
    /// The same in German.
    var german: String
    init(_ reason: String, german: String) {
        self.reason = reason
        self.german = german
    }
    var description: String { "malformed multipart body: \(reason)" }
}

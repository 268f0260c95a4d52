import Foundation
import PosteingangTestKit

/// A real HTTP client: curl, as a citizen's app, a scanning centre's script or a browser (with a
/// cookie jar, `WebClient`) would call the server. Redirects are not followed, so that each
/// answer can be checked.
enum HTTP {
    struct Answer {
        var status: Int
        /// In the order sent; a name may come more than once (`Set-Cookie`).
        var headers: [(String, String)]
        var body: Data

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        func headers(_ name: String) -> [String] {
            headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
        }

        /// The value of the hidden CSRF field in the page.
        var csrfToken: String? {
            guard let range = text.range(of: "name=\"csrf\" value=\"") else { return nil }
            return String(text[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    static func get(_ url: String, token: String? = nil) throws -> Answer {
        try curl([url] + auth(token))
    }

    /// Multipart upload of `files` with optional fields (curl picks its own boundary each time).
    static func postMultipart(
        _ url: String, token: String?, files: [URL], fields: [String: String] = [:], headers: [String: String] = [:]
    ) throws -> Answer {
        var arguments = [url, "-X", "POST"] + auth(token)
        for file in files { arguments += ["-F", "file=@\(file.path)"] }
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) { arguments += ["-F", "\(name)=\(value)"] }
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        return try curl(arguments)
    }

    /// Raw upload: the file is the body.
    static func postRaw(
        _ url: String, token: String?, file: URL, contentType: String, headers: [String: String] = [:]
    ) throws -> Answer {
        var arguments = [url, "-X", "POST", "--data-binary", "@\(file.path)", "-H", "Content-Type: \(contentType)"] + auth(token)
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        return try curl(arguments)
    }

    static func auth(_ token: String?) -> [String] {
        token.map { ["-H", "Authorization: Bearer \($0)"] } ?? []
    }

    /// Runs curl with `arguments` (the URL among them); `cookies`: a jar read and written.
    static func curl(_ arguments: [String], cookies: URL? = nil) throws -> Answer {
        let folder = FileManager.default.temporaryDirectory
        let bodyFile = folder.appendingPathComponent("curl-body-\(UUID().uuidString)")
        let headerFile = folder.appendingPathComponent("curl-head-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: bodyFile)
            try? FileManager.default.removeItem(at: headerFile)
        }
        let jar = cookies.map { ["-b", $0.path, "-c", $0.path] } ?? []
        let result = try TestKit.run(
            "curl", ["-s", "-S", "--max-time", "120", "-o", bodyFile.path, "-D", headerFile.path, "-w", "%{http_code}"] + jar + arguments)
        guard result.status == 0, let status = Int(result.stdout), status > 0 else {
            throw TestKitError("curl \(arguments.joined(separator: " ")) got no answer (exit \(result.status)): \(result.stderr)")
        }
        let head = (try? String(contentsOf: headerFile, encoding: .utf8)) ?? ""
        let headers: [(String, String)] = head.components(separatedBy: "\r\n").compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return Answer(status: status, headers: headers, body: (try? Data(contentsOf: bodyFile)) ?? Data())
    }
}

import Foundation

/// The committed fixtures, reached through one accessor.
enum Fixtures {
    static let root: URL = {
        if let override = ProcessInfo.processInfo.environment["POSTEINGANG_FIXTURES"] {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.appendingPathComponent("fixtures", isDirectory: true)
            }
        }
        fatalError("fixtures not found above \(#filePath)")
    }()

    static func url(_ path: String) -> URL { root.appendingPathComponent(path) }
    static func data(_ path: String) throws -> Data { try Data(contentsOf: url(path)) }

    /// The truth text of a fixture from truth.jsonl.
    static func truthText(_ path: String) throws -> String {
        let lines = try String(contentsOf: url("truth.jsonl"), encoding: .utf8).split(separator: "\n")
        for line in lines {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["file"] as? String == path else { continue }
            return object["text"] as? String ?? ""
        }
        throw CocoaError(.fileNoSuchFile)
    }
}

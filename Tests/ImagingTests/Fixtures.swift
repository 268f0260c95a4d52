import Foundation
import Imaging
import OCR

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

    /// Page 1 of a fixture read the whole way (decode, prepare, OCR) by a fresh engine that
    /// `configure` may set up first (to switch a step on or off).
    static func recognizeFirstPage(_ path: String, configure: (TesseractEngine) -> Void = { _ in }) throws -> PageRecognition {
        let engine = try TesseractEngine()
        configure(engine)
        let document = try DocumentDecoder().decode(fileAt: url(path))
        guard case .image(let image) = document.pages[0].content else { throw CocoaError(.fileReadCorruptFile) }
        let (prepared, report) = try PagePreparer().prepare(image, orientationCheck: engine.orientation(of:))
        return try engine.recognize(prepared, resolution: report.resolution)
    }
}

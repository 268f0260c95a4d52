import Foundation

/// A labelled text for the fixture-based checks (the `text` of `truth.jsonl`, no OCR needed).
public struct RuleCheckSample: Sendable {
    public var text: String
    public var label: String
    public var origin: String

    public init(text: String, label: String, origin: String) {
        self.text = text
        self.label = label
        self.origin = origin
    }
}

/// A word as Tesseract read it, with where it stands and how sure the engine was.
public struct RecognizedWord: Sendable, Codable, Equatable {
    public var text: String
    /// 0…100 as reported by Tesseract.
    public var confidence: Float
    /// Bounding box in the prepared page's pixels.
    public var x: Int, y: Int, width: Int, height: Int

    public init(text: String, confidence: Float, x: Int, y: Int, width: Int, height: Int) {
        self.text = text
        self.confidence = confidence
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

/// What OCR produced for one page.
public struct PageRecognition: Sendable, Codable {
    public var text: String
    public var words: [RecognizedWord]
    /// Mean word confidence (0…100), or 0 for a page without words.
    public var meanConfidence: Float
}

/// Why OCR failed.
public enum OCRError: Error, Sendable, CustomStringConvertible {
    case engineUnavailable(language: String, detail: String)
    case recognitionFailed(detail: String)
    case deadlineExceeded(seconds: Double)
    case poolShutDown

    public var description: String {
        switch self {
        case .engineUnavailable(let language, let detail):
            return "Tesseract could not start with language '\(language)': \(detail) (install tesseract-ocr-\(language))"
        case .recognitionFailed(let detail):
            return "OCR failed: \(detail)"
        case .deadlineExceeded(let seconds):
            return "OCR took longer than the limit of \(Int(seconds)) s for one page"
        case .poolShutDown:
            return "the OCR engines are shutting down"
        }
    }
}

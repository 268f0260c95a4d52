import CTesseract
import Foundation

/// Tesseract's PDF renderer: the straightened page images with an invisible text layer, so a
/// caseworker can search and copy text. Used on the worker thread that owns the engine.
public final class SearchablePDF {
    private let renderer: OpaquePointer
    private let outputBase: String
    private var pages = 0
    private var ended = false

    /// Starts a PDF written to `outputBase + ".pdf"`.
    public init(outputBase: String, engine: TesseractEngine, title: String) throws {
        guard let renderer = TessPDFRendererCreate(outputBase, engine.dataPath, 0) else {
            throw OCRError.recognitionFailed(detail: "cannot create the PDF renderer (is pdf.ttf in \(engine.dataPath)?)")
        }
        guard TessResultRendererBeginDocument(renderer, title) != 0 else {
            TessDeleteResultRenderer(renderer)
            throw OCRError.recognitionFailed(detail: "cannot start the PDF \(outputBase).pdf")
        }
        self.renderer = renderer
        self.outputBase = outputBase
    }

    deinit {
        if !ended { TessResultRendererEndDocument(renderer) }
        TessDeleteResultRenderer(renderer)
    }

    /// Adds the page the engine has just recognised (call right after `recognize`, before the
    /// engine reads another page).
    public func addLastRecognisedPage(of engine: TesseractEngine) throws {
        guard engine.withHandle({ TessResultRendererAddImage(renderer, $0) }) != 0 else {
            throw OCRError.recognitionFailed(detail: "cannot add page \(pages + 1) to the PDF")
        }
        pages += 1
    }

    /// Finishes the file and returns where it is.
    public func finish() throws -> URL {
        ended = true
        guard TessResultRendererEndDocument(renderer) != 0 else {
            throw OCRError.recognitionFailed(detail: "cannot finish \(outputBase).pdf")
        }
        return URL(fileURLWithPath: outputBase + ".pdf")
    }
}

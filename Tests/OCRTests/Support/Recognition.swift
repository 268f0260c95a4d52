import Foundation
import Imaging
import OCR
import PosteingangTestKit

/// A fixture's page read the whole way, as the daemon reads it.
enum Recognition {
    /// The clean scan most OCR tests read (page 1 of scan/mietvertrag_05.png).
    static func scanPage() throws -> PageImage {
        let document = try DocumentDecoder().decode(fileAt: TestKit.fixture("scan/mietvertrag_05.png"))
        guard case .image(let image) = document.pages[0].content else { throw CocoaError(.fileReadCorruptFile) }
        return image
    }

    /// Page 1 of a fixture read the whole way (decode, prepare, OCR) by a fresh engine that
    /// `configure` may set up first (to switch a step on or off).
    static func firstPage(_ path: String, configure: (TesseractEngine) -> Void = { _ in }) throws -> PageRecognition {
        let engine = try TesseractEngine()
        configure(engine)
        let document = try DocumentDecoder().decode(fileAt: TestKit.fixture(path))
        guard case .image(let image) = document.pages[0].content else { throw CocoaError(.fileReadCorruptFile) }
        let (prepared, report) = try PagePreparer().prepare(image, orientationCheck: engine.orientation(of:))
        return try engine.recognize(prepared, resolution: report.resolution)
    }
}

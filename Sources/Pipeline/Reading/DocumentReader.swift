import Foundation
import Imaging
import OCR

/// One page of a read document.
public struct ReadPage: Sendable, Codable {
    public enum Source: String, Sendable, Codable {
        /// Read by Tesseract from the prepared image.
        case ocr
        /// Taken from a born-digital PDF's text layer.
        case textLayer = "text_layer"
    }

    public var number: Int
    public var source: Source
    public var text: String
    public var words: [RecognizedWord]
    public var meanConfidence: Float?
    public var preparation: PreparationReport?
    public var barcodes: [String]
    public var notes: [String]
    /// From decoding (`DecodedPage.reviewReasons`): what a person must check, in German.
    public var reviewReasons: [String] = []
    /// Size in pixels of the prepared page the word boxes are measured on (OCR pages only).
    public var width: Int? = nil
    public var height: Int? = nil
}

/// An upload after decoding and OCR, before classification.
public struct ReadDocument: Sendable {
    public var format: FileFormat
    public var pages: [ReadPage]
    /// Milliseconds per stage: decode, prepare, ocr, barcode.
    public var timings: [String: Double]
    /// The straightened page images, kept only when asked for (thumbnails, tests).
    public var preparedImages: [PageImage]
    /// The searchable PDF of the OCRed pages, when one was asked for and a page needed OCR.
    public var archivePDF: URL?

    /// All pages' text, pages separated by form feed.
    public var text: String { pages.map(\.text).joined(separator: "\u{0C}") }
}

/// Decodes, prepares and OCRs an upload on a worker thread of the engine pool.
public struct DocumentReader: Sendable {
    public var decoder: DocumentDecoder
    public var preparer: PagePreparer
    public var readBarcodes: Bool
    /// Also search each page for Data Matrix codes (BA forms), within the reader's time budget.
    public var dataMatrix: DataMatrixReader?
    public var keepPreparedImages: Bool

    public init(
        decoder: DocumentDecoder = DocumentDecoder(), preparer: PagePreparer = PagePreparer(),
        readBarcodes: Bool = true, dataMatrix: DataMatrixReader? = DataMatrixReader(), keepPreparedImages: Bool = false
    ) {
        self.decoder = decoder
        self.preparer = preparer
        self.readBarcodes = readBarcodes
        self.dataMatrix = dataMatrix
        self.keepPreparedImages = keepPreparedImages
    }

    /// Reads the file on a worker thread. With `archiveBase`, the OCRed pages are also written
    /// as a searchable PDF to `archiveBase + ".pdf"`.
    public func read(fileAt url: URL, archiveBase: String? = nil, using pool: EnginePool) async throws -> ReadDocument {
        let reader = self
        return try await pool.run { engine in try reader.readBlocking(fileAt: url, archiveBase: archiveBase, engine: engine) }
    }

    /// The same work on the calling thread, for callers that own an engine.
    public func readBlocking(fileAt url: URL, archiveBase: String? = nil, engine: TesseractEngine) throws -> ReadDocument {
        var clock = StageClock()
        let decoded = try decoder.decode(fileAt: url)
        clock.lap("decode")
        var pages: [ReadPage] = []
        var images: [PageImage] = []
        var archive: SearchablePDF?
        for page in decoded.pages {
            switch page.content {
            case .text(let text):
                pages.append(
                    ReadPage(number: page.number, source: .textLayer, text: text, words: [], meanConfidence: nil,
                             preparation: nil, barcodes: [], notes: page.notes, reviewReasons: page.reviewReasons))
            case .image(let image):
                let (read, prepared) = try readImagePage(
                    page, image: image, engine: engine, clock: &clock, archive: &archive, archiveBase: archiveBase, title: url.lastPathComponent)
                if keepPreparedImages { images.append(prepared) }
                pages.append(read)
            }
        }
        let archiveURL = try archive?.finish()
        return ReadDocument(format: decoded.format, pages: pages, timings: clock.laps, preparedImages: images, archivePDF: archiveURL)
    }
}

extension DocumentReader {
    /// One page image's steps, in order: straightened and scaled (`PagePreparer`, asking
    /// Tesseract's orientation detection where its own test is unsure), barcodes on the
    /// prepared page, Data Matrix codes on the page as decoded, read (`TesseractEngine.recognize`,
    /// whose own steps `RecognitionSteps` lists), the page added to the archive PDF, and the text
    /// repairs (IBANs with letters for digits, debit markers glued to amounts).
    func readImagePage(
        _ page: DecodedPage, image: PageImage, engine: TesseractEngine, clock: inout StageClock,
        archive: inout SearchablePDF?, archiveBase: String?, title: String
    ) throws -> (ReadPage, PageImage) {
        let (prepared, report) = try preparer.prepare(image, orientationCheck: engine.orientation(of:))
        clock.lap("prepare")
        var codes = readBarcodes ? ((try? BarcodeReader().read(prepared)) ?? []) : []
        clock.lap("barcode")
        if readBarcodes, let dataMatrix {
            // On the page as decoded: libdmtx finds a form's code there in a fifth of the
            // time it needs on the prepared page (whose stretched contrast adds edges).
            for payload in (try? dataMatrix.read(image)) ?? [] where !codes.contains(payload) {
                codes.append(payload)
            }
            clock.lap("datamatrix")
        }
        let recognition = try engine.recognize(prepared, resolution: report.resolution)
        clock.lap("ocr")
        if let archiveBase {
            if archive == nil {
                archive = try SearchablePDF(outputBase: archiveBase, engine: engine, title: title)
            }
            try archive?.addLastRecognisedPage(of: engine)
            clock.lap("archive")
        }
        let text = DebitMarkerRepair.repaired(IBANTextRepair.repaired(recognition.text))
        let read = ReadPage(
            number: page.number, source: .ocr, text: text, words: recognition.words,
            meanConfidence: recognition.meanConfidence, preparation: report, barcodes: codes,
            notes: page.notes, reviewReasons: page.reviewReasons, width: prepared.width, height: prepared.height)
        return (read, prepared)
    }
}

/// Adds up elapsed milliseconds per named stage.
struct StageClock {
    private var last = DispatchTime.now().uptimeNanoseconds
    private(set) var laps: [String: Double] = [:]

    mutating func lap(_ stage: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        laps[stage, default: 0] += Double(now - last) / 1_000_000
        last = now
    }
}

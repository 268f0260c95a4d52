import CLeptonica
import CTesseractSpeedups
import CTesseract
import Foundation
import Imaging

/// One libtesseract engine. Not thread-safe: each worker thread owns exactly one
/// (see `EnginePool`). The engine is ended when this object goes.
public final class TesseractEngine {
    private let handle: OpaquePointer
    public let language: String
    /// Longest time one page may take before recognition is cancelled.
    public var pageDeadline: Double
    /// The steps of a page's reading, in order (`RecognitionSteps`).
    public var steps: RecognitionSteps
    /// How many brick openings and closings ran in DWA code on this thread so far (for tests).
    public static var dwaMorphologyOnThisThread: Int { posteingang_dwa_morphology_count() }
    /// How many line images this thread has written uncompressed so far (for tests: whether
    /// the faster path is in use at all).
    public static var fastLineImagesOnThisThread: Int { posteingang_line_images_fast_count() }

    /// How Tesseract cuts a page into blocks.
    public enum PageSegmentation: UInt32, Sendable, Equatable {
        /// Tesseract's default: find columns and blocks.
        case automatic = 3
        /// One column of text of varying sizes: keeps a form's label and value on one line,
        /// which field extraction relies on. Our default (measured: fields 76% → 87% on the fixtures).
        case singleColumn = 4
        /// One uniform block.
        case singleBlock = 6
    }

    /// Creates and initialises an engine for `language` (e.g. "deu").
    public init(
        language: String = "deu", dataPath: String? = nil, pageDeadline: Double = 120, steps: RecognitionSteps = .standard
    ) throws {
        guard let handle = TessBaseAPICreate() else {
            throw OCRError.engineUnavailable(language: language, detail: "could not allocate the engine")
        }
        let status = dataPath.withOptionalCString { path in TessBaseAPIInit3(handle, path, language) }
        guard status == 0 else {
            TessBaseAPIDelete(handle)
            throw OCRError.engineUnavailable(language: language, detail: "language data not found")
        }
        // Keep the engine quiet and free of debug files.
        _ = TessBaseAPISetVariable(handle, "debug_file", "/dev/null")
        // No search for fixed-pitch (typewriter) rows: the LSTM reads proportional and fixed
        // pitch alike, and the pitch search took ~2% of a page's CPU (perf). eval over all 81
        // fixtures: the same figures to the last digit with and without it.
        _ = TessBaseAPISetVariable(handle, "textord_all_prop", "1")
        self.handle = handle
        self.steps = steps
        self.language = language
        self.pageDeadline = pageDeadline
    }

    deinit {
        TessBaseAPIEnd(handle)
        TessBaseAPIDelete(handle)
        if let osd {
            TessBaseAPIEnd(osd)
            TessBaseAPIDelete(osd)
        }
        if let blockReader {
            TessBaseAPIEnd(blockReader)
            TessBaseAPIDelete(blockReader)
        }
    }

    /// A second engine for orientation and script detection (`osd.traineddata`, Tesseract's
    /// legacy classifier), made on first use: most pages never need it.
    private var osd: OpaquePointer?
    private var osdUnavailable = false

    /// Tesseract's orientation detection (OSD) on `page`: the clockwise quarter turn (0, 90,
    /// 180, 270) that makes its text upright, or nil when the OSD model is missing, the page has
    /// too little text, or the answer is unsure. Costs about a second of CPU on a full page, so
    /// preparation asks only where its own cheap test is unsure.
    public func uprightTurn(of page: PageImage) -> Int? { orientation(of: page)?.turn }

    /// `uprightTurn(of:)` with OSD's confidence, for `PagePreparer.prepare(_:orientationCheck:)`.
    public func orientation(of page: PageImage) -> OrientationGuess? {
        if osd == nil && !osdUnavailable {
            guard let created = TessBaseAPICreate() else { osdUnavailable = true; return nil }
            let status = TessBaseAPIInit2(created, dataPath, "osd", OEM_TESSERACT_ONLY)
            guard status == 0 else {
                TessBaseAPIDelete(created)
                osdUnavailable = true
                return nil
            }
            _ = TessBaseAPISetVariable(created, "debug_file", "/dev/null")
            TessBaseAPISetPageSegMode(created, PSM_OSD_ONLY)
            osd = created
        }
        guard let osd else { return nil }
        TessBaseAPISetImage2(osd, page.unsafePix)
        TessBaseAPISetSourceResolution(osd, 300)
        defer { TessBaseAPIClear(osd) }
        var degrees: Int32 = 0, confidence: Float = 0, scriptConfidence: Float = 0
        var script: UnsafePointer<CChar>?
        guard TessBaseAPIDetectOrientationScript(osd, &degrees, &confidence, &script, &scriptConfidence) != 0,
              confidence >= Self.minimumOSDConfidence
        else { return nil }
        // OSD names the page's orientation; the turn that corrects it goes the other way.
        return OrientationGuess(turn: (360 - Int(degrees)) % 360, confidence: Double(confidence))
    }

    /// Below this OSD confidence the answer is treated as a guess and the page left as it is.
    static let minimumOSDConfidence: Float = 2

    /// The folder of the language data (also holds `pdf.ttf` for the PDF renderer).
    public var dataPath: String { String(cString: TessBaseAPIGetDatapath(handle)) }

    /// For the renderers in this module, which need the engine's handle.
    func withHandle<R>(_ body: (OpaquePointer) -> R) -> R { body(handle) }

    /// The version of the linked libtesseract.
    public static var version: String { String(cString: TessVersion()) }

    /// The engine of the second pass over text the page's reading left out (made on first use).
    private var blockReader: OpaquePointer?
    private var blockReaderUnavailable = false

    /// Reads one prepared page with `steps` in their order. `resolution` is the page's pixels per inch.
    public func recognize(_ page: PageImage, resolution: Int) throws -> PageRecognition {
        var copy = ReadingCopy(page: page)
        for step in steps.copySteps { step.apply(to: &copy) }
        try read(copy, resolution: resolution, with: steps.recognize)
        var text = ""
        if let raw = TessBaseAPIGetUTF8Text(handle) {
            text = String(cString: raw)
            TessDeleteText(raw)
        }
        let (words, placed) = collectWords()
        var read = PageWords(text: text, words: words, placed: placed)
        let binary = steps.needThresholdedImage ? TessBaseAPIGetThresholdedImage(handle) : nil
        defer { var owned: UnsafeMutablePointer<PIX>? = binary; pixDestroy(&owned) }
        let context = WordStepContext(engine: self, page: page, gray: copy.gray, binary: binary)
        for step in steps.wordSteps { step.apply(to: &read, in: context) }
        if copy.changed, let original = pixClone(page.unsafePix) {
            TessBaseAPISetInputImage(handle, original)  // Tesseract takes this reference; the archive shows the page
        }
        let mean = read.words.isEmpty ? 0 : read.words.map(\.confidence).reduce(0, +) / Float(read.words.count)
        return PageRecognition(text: read.text, words: read.words, meanConfidence: mean)
    }

    /// Step 5: Tesseract reads the copy, finding the layout on its binary image where step 2
    /// made one (its LSTM takes the line images from the grey input image, which has the
    /// binary image's size).
    private func read(_ copy: ReadingCopy, resolution: Int, with step: Recognize) throws {
        TessBaseAPISetPageSegMode(handle, TessPageSegMode(rawValue: step.segmentation.rawValue))
        if let layoutBinary = copy.layoutBinary {
            TessBaseAPISetImage2(handle, layoutBinary.unsafePix)
            if let input = pixClone(copy.gray.unsafePix) { TessBaseAPISetInputImage(handle, input) }
        } else {
            TessBaseAPISetImage2(handle, copy.gray.unsafePix)
        }
        TessBaseAPISetSourceResolution(handle, Int32(resolution))
        let monitor = TessMonitorCreate()
        defer { TessMonitorDelete(monitor) }
        TessMonitorSetDeadlineMSecs(monitor, Int32(pageDeadline * 1000))
        let started = Date()
        posteingang_tesseract_speedups(step.fastLineImages ? 1 : 0, step.fastMorphology ? 1 : 0)
        let status = TessBaseAPIRecognize(handle, monitor)
        posteingang_tesseract_speedups(0, 0)
        guard status == 0 else {
            if Date().timeIntervalSince(started) >= pageDeadline * 0.98 {
                throw OCRError.deadlineExceeded(seconds: pageDeadline)
            }
            throw OCRError.recognitionFailed(detail: "Tesseract returned an error for a \(copy.page.width)x\(copy.page.height) page")
        }
    }

    /// Reads the rectangle x0..<x1, y0..<y1 of `gray`, enlarged by `scale`, with the second
    /// engine in page segmentation `mode`: its lines of words, boxes in page pixels. With
    /// `binarize` the clip is read as black and white (Otsu's threshold over the clip alone).
    func readClip(
        of gray: PageImage, x0: Int, y0: Int, x1: Int, y1: Int, scale: Double, mode: TessPageSegMode, binarize: Bool = false
    ) -> [[(word: RecognizedWord, placed: GlyphRepair.Word)]] {
        guard gray.depth == 8, x1 > x0, y1 > y0, let reader = makeBlockReader() else { return [] }
        TessBaseAPISetPageSegMode(reader, mode)
        var clip = boxCreate(Int32(x0), Int32(y0), Int32(x1 - x0), Int32(y1 - y0))
        defer { boxDestroy(&clip) }
        var piece = pixClipRectangle(gray.unsafePix, clip, nil)
        defer { pixDestroy(&piece) }
        guard let piece else { return [] }
        var enlarged = scale > 1.05 ? pixScale(piece, Float(scale), Float(scale)) : pixClone(piece)
        defer { pixDestroy(&enlarged) }
        if binarize, let grey = enlarged {
            var black: UnsafeMutablePointer<PIX>?
            let width = pixGetWidth(grey), height = pixGetHeight(grey)
            guard pixOtsuAdaptiveThreshold(grey, width, height, 0, 0, 0.1, nil, &black) == 0, let black else { return [] }
            pixDestroy(&enlarged)
            enlarged = black
        }
        guard let enlarged else { return [] }
        TessBaseAPISetImage2(reader, enlarged)
        TessBaseAPISetSourceResolution(reader, 300)
        defer { TessBaseAPIClear(reader) }
        let monitor = TessMonitorCreate()
        defer { TessMonitorDelete(monitor) }
        TessMonitorSetDeadlineMSecs(monitor, 10_000)
        guard TessBaseAPIRecognize(reader, monitor) == 0, let iterator = TessBaseAPIGetIterator(reader) else { return [] }
        defer { TessResultIteratorDelete(iterator) }
        let pageIterator = TessResultIteratorGetPageIterator(iterator)
        var lines: [[(word: RecognizedWord, placed: GlyphRepair.Word)]] = []
        repeat {
            if TessPageIteratorIsAtBeginningOf(pageIterator, RIL_TEXTLINE) != 0 || lines.isEmpty { lines.append([]) }
            guard let raw = TessResultIteratorGetUTF8Text(iterator, RIL_WORD) else { continue }
            let text = String(cString: raw).trimmingCharacters(in: .whitespacesAndNewlines)
            TessDeleteText(raw)
            guard !text.isEmpty else { continue }
            var left: Int32 = 0, top: Int32 = 0, right: Int32 = 0, bottom: Int32 = 0
            _ = TessPageIteratorBoundingBox(pageIterator, RIL_WORD, &left, &top, &right, &bottom)
            let x = x0 + Int(Double(left) / scale), y = y0 + Int(Double(top) / scale)
            let w = Int(Double(right - left) / scale), h = Int(Double(bottom - top) / scale)
            let confidence = TessResultIteratorConfidence(iterator, RIL_WORD)
            lines[lines.count - 1].append((
                RecognizedWord(text: text, confidence: confidence, x: x, y: y, width: w, height: h),
                GlyphRepair.Word(text: text, box: (x, y, w, h), line: 0, baseline: nil)))
        } while TessResultIteratorNext(iterator, RIL_WORD) != 0
        return lines
    }

    /// The second pass's engine: the same language, one uniform block of text.
    func makeBlockReader() -> OpaquePointer? {
        if let blockReader { return blockReader }
        guard !blockReaderUnavailable else { return nil }
        guard let created = TessBaseAPICreate() else { blockReaderUnavailable = true; return nil }
        guard TessBaseAPIInit3(created, dataPath, language) == 0 else {
            TessBaseAPIDelete(created)
            blockReaderUnavailable = true
            return nil
        }
        _ = TessBaseAPISetVariable(created, "debug_file", "/dev/null")
        _ = TessBaseAPISetVariable(created, "textord_all_prop", "1")
        TessBaseAPISetPageSegMode(created, PSM_SINGLE_BLOCK)
        blockReader = created
        return created
    }

    /// The words in reading order, and for the glyph repair the same words with their text
    /// line and the baseline under them.
    private func collectWords() -> ([RecognizedWord], [GlyphRepair.Word]) {
        guard let iterator = TessBaseAPIGetIterator(handle) else { return ([], []) }
        defer { TessResultIteratorDelete(iterator) }
        let pageIterator = TessResultIteratorGetPageIterator(iterator)
        var words: [RecognizedWord] = []
        var placed: [GlyphRepair.Word] = []
        var line = -1
        repeat {
            if TessPageIteratorIsAtBeginningOf(pageIterator, RIL_TEXTLINE) != 0 { line += 1 }
            guard let raw = TessResultIteratorGetUTF8Text(iterator, RIL_WORD) else { continue }
            let text = String(cString: raw)
            TessDeleteText(raw)
            var left: Int32 = 0, top: Int32 = 0, right: Int32 = 0, bottom: Int32 = 0
            _ = TessPageIteratorBoundingBox(pageIterator, RIL_WORD, &left, &top, &right, &bottom)
            words.append(
                RecognizedWord(
                    text: text, confidence: TessResultIteratorConfidence(iterator, RIL_WORD),
                    x: Int(left), y: Int(top), width: Int(right - left), height: Int(bottom - top)))
            var x1: Int32 = 0, y1: Int32 = 0, x2: Int32 = 0, y2: Int32 = 0
            var baseline: Double?
            if TessPageIteratorBaseline(pageIterator, RIL_WORD, &x1, &y1, &x2, &y2) != 0 {
                baseline = (Double(y1) + Double(y2)) / 2
            }
            placed.append(GlyphRepair.Word(
                text: text, box: (Int(left), Int(top), Int(right - left), Int(bottom - top)), line: max(line, 0), baseline: baseline))
        } while TessResultIteratorNext(iterator, RIL_WORD) != 0
        return (words, placed)
    }
}

extension Optional where Wrapped == String {
    fileprivate func withOptionalCString<R>(_ body: (UnsafePointer<CChar>?) -> R) -> R {
        switch self {
        case .some(let string): return string.withCString { body($0) }
        case .none: return body(nil)
        }
    }
}

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
    /// Which of the page's reading steps run (see `RecognitionOptions` for their order).
    public var options: RecognitionOptions
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
        language: String = "deu", dataPath: String? = nil, pageDeadline: Double = 120, options: RecognitionOptions = .standard
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
        TessBaseAPISetPageSegMode(handle, TessPageSegMode(rawValue: options.segmentation.rawValue))
        self.handle = handle
        self.options = options
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

    /// Reads one prepared page. `resolution` is the page's pixels per inch.
    public func recognize(_ page: PageImage, resolution: Int) throws -> PageRecognition {
        // Tesseract reads a copy without rules and frames; the archive PDF shows the page.
        let cleaned = options.eraseRules ? RuleEraser().erased(page) : nil
        var gray = cleaned ?? page
        var layoutBinary = options.ownBinary ? OtsuBinary.of(gray) : nil
        var despeckled = false
        if options.removeSpeckle, gray.depth == 8 {
            let probe = layoutBinary ?? pixConvertTo1(gray.unsafePix, 128).map { PageImage.adopting($0) }
            if let probe {
                let despeckle = Despeckle()
                // `layoutBinary` is this page's own copy: the specks are cleared in it too.
                if let whitened = despeckle.whiten(despeckle.specks(in: probe), gray: gray, binary: layoutBinary) {
                    gray = whitened
                    despeckled = true
                }
            }
        }
        if !options.ownBinary { layoutBinary = nil }
        if let layoutBinary {
            // Tesseract finds the layout on this binary image, the same one it would make itself
            // (`OtsuBinary`) at a fraction of the cost, and its LSTM still reads the grey page: it
            // takes the line images from the input image (SetInputImage) where that has the
            // binary image's size.
            TessBaseAPISetImage2(handle, layoutBinary.unsafePix)
            if let input = pixClone(gray.unsafePix) { TessBaseAPISetInputImage(handle, input) }
        } else {
            TessBaseAPISetImage2(handle, gray.unsafePix)
        }
        TessBaseAPISetSourceResolution(handle, Int32(resolution))
        let monitor = TessMonitorCreate()
        defer { TessMonitorDelete(monitor) }
        TessMonitorSetDeadlineMSecs(monitor, Int32(pageDeadline * 1000))
        let started = Date()
        posteingang_tesseract_speedups(options.fastLineImages ? 1 : 0, options.fastMorphology ? 1 : 0)
        let status = TessBaseAPIRecognize(handle, monitor)
        posteingang_tesseract_speedups(0, 0)
        guard status == 0 else {
            if Date().timeIntervalSince(started) >= pageDeadline * 0.98 {
                throw OCRError.deadlineExceeded(seconds: pageDeadline)
            }
            throw OCRError.recognitionFailed(detail: "Tesseract returned an error for a \(page.width)x\(page.height) page")
        }
        var text = ""
        if let raw = TessBaseAPIGetUTF8Text(handle) {
            text = String(cString: raw)
            TessDeleteText(raw)
        }
        var (words, placed) = collectWords()
        let binary = (options.repairGlyphs || options.removeSpeckle || options.readUncoveredText) ? TessBaseAPIGetThresholdedImage(handle) : nil
        defer { var owned: UnsafeMutablePointer<PIX>? = binary; pixDestroy(&owned) }
        if options.repairGlyphs, let binary {
            let decisions = GlyphRepair.decide(words: placed, binary: binary, trace: options.traceGlyphs)
            if let repaired = GlyphRepair.apply(decisions, to: text, words: placed) {
                text = repaired
                for decision in decisions {
                    words[decision.index].text = decision.to
                    placed[decision.index].text = decision.to
                }
            }
        }
        if options.removeSpeckle, let binary {
            let drops = GlyphRepair.specks(words: placed, binary: binary, trace: options.traceGlyphs)
            if !drops.isEmpty, let kept = GlyphRepair.removing(drops, from: text, words: placed) {
                text = kept
                for index in drops.reversed() {
                    words.remove(at: index)
                    placed.remove(at: index)
                }
            }
        }
        if options.readWeakLinesAgain {
            rereadWeakLines(text: &text, words: &words, placed: &placed, gray: gray)
        }
        if options.readUncoveredText, let binary {
            let blocks = UncoveredText.readingOrder(UncoveredText.blocks(binary: binary, words: placed.map(\.box)))
            var newLines: [[GlyphRepair.Word]] = []
            var newWords: [[RecognizedWord]] = []
            for block in blocks {
                for line in readBlock(block, of: gray) {
                    newLines.append(line.map(\.placed))
                    newWords.append(line.map(\.word))
                }
            }
            if !newLines.isEmpty {
                let nextLine = (placed.map(\.line).max() ?? 0) + 1
                for k in newLines.indices { for w in newLines[k].indices { newLines[k][w].line = nextLine + k } }
                let (inserted, positions) = UncoveredText.inserting(newLines, into: text, words: placed)
                text = inserted
                // Insert from the back so that earlier positions stay valid; lines for one position in order.
                for k in newLines.indices.sorted(by: { (positions[$0], $0) > (positions[$1], $1) }) {
                    placed.insert(contentsOf: newLines[k], at: positions[k])
                    words.insert(contentsOf: newWords[k], at: positions[k])
                }
            }
        }
        if options.sideBlocksAfterAddress,
           let reordered = ReadingOrder.separatingSideBlocks(text: text, words: placed, pageWidth: page.width, pageHeight: page.height) {
            text = reordered
        }
        if cleaned != nil || layoutBinary != nil || despeckled, let original = pixClone(page.unsafePix) {
            TessBaseAPISetInputImage(handle, original)  // Tesseract takes this reference
        }
        let mean = words.isEmpty ? 0 : words.map(\.confidence).reduce(0, +) / Float(words.count)
        return PageRecognition(text: text, words: words, meanConfidence: mean)
    }

    /// Reads one block of text the page's reading left out: cropped from `gray` with a mark
    /// height of paper around, enlarged so its marks are ~30 px high (small type comes out at
    /// ~14 px on a prepared page), read as one uniform block. Lines kept: those with a word of
    /// three letters or digits and a mean confidence of 60 or more (a logo, a signature, a
    /// barcode read as text come out with less). Boxes in page pixels.
    private func readBlock(_ block: UncoveredText.Block, of gray: PageImage) -> [[(word: RecognizedWord, placed: GlyphRepair.Word)]] {
        let pad = Int(block.markHeight.rounded(.up))
        let x0 = max(0, block.x - pad), y0 = max(0, block.y - pad)
        let x1 = min(gray.width, block.x + block.width + pad), y1 = min(gray.height, block.y + block.height + pad)
        let scale = min(3, max(1, 30 / max(1, block.markHeight)))
        let lines = readClip(of: gray, x0: x0, y0: y0, x1: x1, y1: y1, scale: scale, mode: PSM_SINGLE_BLOCK)
        let kept = lines.filter { line in
            guard !line.isEmpty else { return false }
            let mean = line.map(\.word.confidence).reduce(0, +) / Float(line.count)
            let wordy = line.contains { $0.word.text.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.count >= 3 }
            return wordy && mean >= 60
        }
        if options.traceGlyphs {
            let summary = "second pass block \(block.x),\(block.y) \(block.width)x\(block.height) marks \(block.markHeight) scale \(String(format: "%.2f", scale)): "
                + lines.map { l in l.map(\.word.text).joined(separator: " ") + String(format: " [%.0f]", l.isEmpty ? 0 : l.map(\.word.confidence).reduce(0, +) / Float(l.count)) }.joined(separator: " | ") + "\n"
            FileHandle.standardError.write(Data(summary.utf8))
        }
        return kept
    }

    /// Reads the rectangle x0..<x1, y0..<y1 of `gray`, enlarged by `scale`, with the second
    /// engine in page segmentation `mode`: its lines of words, boxes in page pixels.
    func readClip(
        of gray: PageImage, x0: Int, y0: Int, x1: Int, y1: Int, scale: Double, mode: TessPageSegMode
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

import CLeptonica
import Foundation

/// What preparation did to a page, kept in the document's record so that a caseworker or
/// operator can see why a page looks as it does.
public struct PreparationReport: Sendable, Codable, Equatable {
    /// Size of the decoded page before preparation.
    public var originalWidth: Int
    public var originalHeight: Int
    /// The region of the original kept as the page (x, y, width, height), when the sheet was
    /// found against a darker background (photos); nil when the whole image is the page.
    public var pageRegion: [Int]?
    /// The sheet's corners in the original (top-left, top-right, bottom-right, bottom-left;
    /// x, y in pixels), when a four-sided sheet was found and warped flat; nil otherwise.
    public var pageCorners: [[Double]]?
    /// Width and height of the flat page at the photo's resolution (from the quad's sides),
    /// when warped; the prepared page is this times `scale` (warped to that size in one pass).
    public var flatSize: [Int]?
    /// Median height of text-like marks in the original, in pixels (0 when none were found);
    /// for a warped photo, on the flat page at the photo's resolution (`flatSize`).
    public var textHeight: Double
    /// Clockwise rotation applied to make the text upright (0, 90, 180, 270), found from the text.
    public var rotation: Int
    /// Which test decided the rotation: "text lines" (Leptonica's ascender/descender count),
    /// "tesseract osd" (asked where the first was unsure), "unsure" (neither; left as it was).
    public var orientationFoundBy: String?
    /// Confidence of the text-line test (Leptonica's score; 0 without text).
    public var orientationConfidence: Double?
    /// Residual skew found and removed, in degrees.
    public var skewDegrees: Double
    /// Scale factor applied so that text reaches a good size for Tesseract.
    public var scale: Double
    /// Whether uneven light was flattened.
    public var backgroundNormalised: Bool
    /// Resolution passed to Tesseract.
    public var resolution: Int
}

/// Straightens and cleans a page before OCR: grey conversion, the sheet cut out of a photo's
/// background, scaling so that text has the height Tesseract reads best, background
/// normalisation for shadows and uneven light, upright orientation and deskew. Blocking.
public struct PagePreparer: Sendable {
    /// Median height of text marks to scale to, in pixels (between x-height and cap height).
    /// Tesseract's LSTM scales every text line to its own height anyway; what grows with the
    /// pixels is its layout analysis and our image steps. Measured on the fixtures (A/B in one
    /// run): 27 px read the photos as well as 30 px with a fifth fewer pixels; 26 px reads
    /// slightly better again (eval fields 292 → 294 of 299, photos order-free CER 1.83 → 1.64%;
    /// the photos at 12 MP: fields 124 → 127 of 131) with ~7% fewer pixels (`read` of 10 photos
    /// ~3% less CPU) and the same batch splits and codes; 25 px loses fields; 24 px loses the
    /// QR codes on photographed cover sheets (zbar reads the page at half size); 20 px reads worse.
    public var targetTextHeight: Double
    /// Upper bound of the prepared page's longer side, to bound memory and time.
    public var maxLongSide: Int

    /// Grey level at and above which a normalised page counts as paper and becomes white
    /// (normalisation sets paper to 200). At 190 the faint parts of small marks (umlaut dots,
    /// the middle dot ·) went white with the paper; 225 keeps them (word recall on the photo
    /// fixtures 96.1% → 96.7%); 245 leaves a grey haze and reads worse.
    static let paperWhite: Int32 = 225

    /// The text heights a page can sensibly be scaled to (`read --option text-height=…`).
    public static let targetTextHeights: ClosedRange<Double> = 8...80

    public init(targetTextHeight: Double = 26, maxLongSide: Int = 5000) {
        precondition(Self.targetTextHeights.contains(targetTextHeight), "text height \(targetTextHeight) outside \(Self.targetTextHeights)")
        self.targetTextHeight = targetTextHeight
        self.maxLongSide = maxLongSide
    }

    /// Prepares one page. `orientationCheck` is asked for the clockwise turn that makes the
    /// page upright where Leptonica's cheap text-line test is unsure (e.g. Tesseract's OSD,
    /// `TesseractEngine.orientation(of:)`), with its confidence; it returns nil when it is unsure too.
    public func prepare(_ page: PageImage, orientationCheck: ((PageImage) -> OrientationGuess?)? = nil) throws -> (PageImage, PreparationReport) {
        Leptonica.silence()
        // Every step below makes a new image; a grey page is shared, not copied (a 12 MP photo
        // is 12 MB), and copied at the end only if no step changed it.
        guard let gray = Leptonica.gray8Shared(page.pix) else { throw ImagingError.internalFailure(operation: "convert to grey") }
        var current = PageImage(owning: gray)
        var report = PreparationReport(
            originalWidth: page.width, originalHeight: page.height, pageRegion: nil, pageCorners: nil,
            flatSize: nil, textHeight: 0, rotation: 0, orientationFoundBy: nil, orientationConfidence: nil,
            skewDegrees: 0, scale: 1, backgroundNormalised: false, resolution: 300)

        // The sheet: its four corners and a perspective warp to a flat rectangle where a
        // four-sided sheet stands out from the background; else the axis-aligned bounding box
        // of the largest light region; else the whole image (scans).
        var quad = PageQuadDetector().detect(in: current)
        if let found = quad, let height = Self.flatTextHeight(of: current, quad: found) {
            let flat = found.flatSize
            report.pageCorners = found.corners.map { [($0.x * 10).rounded() / 10, ($0.y * 10).rounded() / 10] }
            report.flatSize = [flat.width, flat.height]
            report.textHeight = height
        } else {
            quad = nil
            // Measure on a small copy: where the sheet is, and how tall the text is.
            let probe = Probe(current)
            if let region = probe.pageRegion() {
                let box = boxCreate(Int32(region[0]), Int32(region[1]), Int32(region[2]), Int32(region[3]))
                defer { var b = box; boxDestroy(&b) }
                if let cropped = pixClipRectangle(current.pix, box, nil) {
                    current = PageImage(owning: cropped)
                    report.pageRegion = region
                }
            }
            report.textHeight = probe.medianTextHeight(in: report.pageRegion)
        }

        // Scale: by text height where text was measured, else to an A4-like page size.
        let pageSize: (width: Int, height: Int) = report.flatSize.map { ($0[0], $0[1]) } ?? (current.width, current.height)
        let longSide = Double(max(pageSize.width, pageSize.height))
        var factor: Double
        if report.textHeight >= 4 {
            factor = targetTextHeight / report.textHeight
        } else {
            factor = 3300 / longSide
        }
        factor = min(max(factor, 0.25), 3.0)
        factor = min(factor, Double(maxLongSide) / longSide)
        if abs(factor - 1) <= 0.1 { factor = 1 }
        report.scale = factor

        if let quad {
            // One resampling from the photo straight to the final size, then the light. (The
            // light flattened on the whole photo before the warp, fewer pixels where text is
            // enlarged, read worse: photos CER 4.64 → 4.72, order-free 2.94 → 3.11, a field lost.)
            guard let flat = Self.flatPage(of: current, quad: quad, scale: factor, areaMapBelow: 0.75) else {
                throw ImagingError.internalFailure(operation: "warp the page flat")
            }
            current = flat
            normaliseLight(&current, report: &report)
        } else {
            // Light (shadows and uneven illumination flattened) and scale, the light on
            // whichever of the two sizes is smaller: its cost grows with the pixels.
            let lightFirst = factor > 1
            if lightFirst { normaliseLight(&current, report: &report) }
            if factor != 1 {
                let f = Float(factor)
                let scaled = factor < 1 ? AreaMap.reduce(current.pix, scale: f) : pixScaleGrayLI(current.pix, f, f)
                guard let scaled else { throw ImagingError.internalFailure(operation: "scale the page") }
                current = PageImage(owning: scaled)
            }
            if !lightFirst { normaliseLight(&current, report: &report) }
        }

        // Skew and orientation are measured on binary copies. Leptonica's orientation test
        // wants straight lines, so deskew first; a page turned sideways shows no line skew
        // until it is upright, so deskew once more after a quarter turn.
        // One binary copy (and its half-size reduction) serves both tests while the page stays.
        var binary = BinaryCopies(of: current)
        if let rotated = deskewed(current, binary: binary, report: &report) {
            current = rotated
            binary = BinaryCopies(of: current)
        }
        var turn: Int?, scores: (up: Double, left: Double)?
        (turn, report.orientationConfidence, scores) = binary.map(Self.textLineOrientation(of:)) ?? (nil, 0, nil)
        report.orientationFoundBy = turn == nil ? "unsure" : "text lines"
        if turn == nil, let orientationCheck, let guess = orientationCheck(current) {
            turn = guess.turn
            report.orientationFoundBy = "tesseract osd"
            // OSD (built for running text) can take a page of capitals and MRZ chevrons (an ID
            // card) for upside down, with little confidence. Where it is that unsure and the
            // text-line test, unsure overall, still scored clearly for the opposite way on the
            // axis OSD answers on, that score is kept: a 12 MP ID card photo came out upside
            // down (word recall 0.16; OSD 180° at confidence 2.9 against an up score of 6).
            // A confident OSD stands: on a real statement it said 0° at 8.5 against an up
            // score of -18 (tables of figures mislead the text-line test), and was right.
            if guess.confidence < Self.weakOSD, let scores, let settled = Self.overrule(osd: guess.turn, scores: scores) {
                turn = settled
                report.orientationFoundBy = "text lines (tesseract osd said \(guess.turn)° with little confidence)"
            }
        }
        if let turn, turn != 0 {
            current = try Orientation.rotate(current, clockwiseDegrees: turn)
            report.rotation = turn
        }
        if report.rotation % 180 != 0 && report.skewDegrees == 0,
           let rotated = deskewed(current, binary: BinaryCopies(of: current), report: &report) {
            current = rotated
        }
        // With text scaled to a known height, the resolution follows from it: a median mark of
        // 26 px (between x-height and cap height, ~0.6 em) is 10–11 pt text at ~290 dpi.
        // Tesseract is told 300 (measured with it; its thresholds for noise and lines use it).
        report.resolution = 300
        if current.pix == page.pix, let copy = pixCopy(nil, page.pix) { current = PageImage(owning: copy) }
        pixSetResolution(current.pix, Int32(report.resolution), Int32(report.resolution))
        return (current, report)
    }

    /// The page inside `quad` warped flat to `quad.flatSize` × `scale` in one resampling; where
    /// the page shrinks below `areaMapBelow`, the photo is first reduced by area mapping
    /// (bilinear interpolation reads only 2×2 pixels and would skip detail). Nil when too small.
    static func flatPage(of gray: PageImage, quad: PageQuad, scale: Double, areaMapBelow: Double) -> PageImage? {
        let flat = quad.flatSize
        var source = gray, sourceQuad = quad
        if scale < areaMapBelow {
            // Only the sheet's bounding box is reduced: the table around it costs as much per
            // pixel and is never read (~40% of a photo's pixels).
            let xs = quad.corners.map(\.x), ys = quad.corners.map(\.y)
            let left = max(0, Int(xs.min()!.rounded(.down)) - 2), top = max(0, Int(ys.min()!.rounded(.down)) - 2)
            let right = min(gray.width, Int(xs.max()!.rounded(.up)) + 2), bottom = min(gray.height, Int(ys.max()!.rounded(.up)) + 2)
            var sheet = (x: 0, y: 0, width: gray.width, height: gray.height)
            if right - left > 16, bottom - top > 16, (right - left) * (bottom - top) < gray.width * gray.height {
                sheet = (left, top, right - left, bottom - top)
            }
            let (dx, dy) = (Double(sheet.x), Double(sheet.y))
            if let reduced = AreaMap.reduce(gray.pix, scale: Float(scale), region: sheet) {
                let f = Double(pixGetWidth(reduced)) / Double(sheet.width)
                sourceQuad = PageQuad(corners: quad.corners.map { PageQuad.Point(x: ($0.x - dx) * f, y: ($0.y - dy) * f) })
                source = PageImage(owning: reduced)
            }
        }
        let width = Int((Double(flat.width) * scale).rounded())
        let height = Int((Double(flat.height) * scale).rounded())
        return sourceQuad.warp(source, width: width, height: height)
    }

    /// The median height of text marks on the flat page, in pixels of the photo's resolution
    /// (`quad.flatSize`), measured on a small flat copy (the page's longer side about 1600 px,
    /// the photo area-mapped down first, as the probe always was). Nil when the warp fails.
    static func flatTextHeight(of gray: PageImage, quad: PageQuad) -> Double? {
        let flat = quad.flatSize
        let reduction = min(1, 1600 / Double(max(flat.width, flat.height)))
        guard let small = flatPage(of: gray, quad: quad, scale: reduction, areaMapBelow: 1) else { return nil }
        return Probe(small).medianTextHeight(in: nil) * Double(flat.width) / Double(small.width)
    }

    /// Flattens shadows and uneven light (Leptonica's background normalisation, which sets the
    /// paper to grey 200), then stretches the grey scale so that paper is white and ink keeps
    /// its shades (the halo around text disappears in the white).
    private func normaliseLight(_ page: inout PageImage, report: inout PreparationReport) {
        guard let normalised = pixBackgroundNormSimple(page.pix, nil, nil) else { return }
        page = PageImage(owning: normalised)
        report.backgroundNormalised = true
        pixGammaTRC(page.pix, page.pix, 1.0, 40, Self.paperWhite)
    }

    /// Leptonica's orientation test (ascenders and descenders of Latin text, counted with
    /// hit-miss patterns): the clockwise turn that makes the text upright, nil when unsure, and
    /// the confidence of the decision (the larger of the up/down and left/right scores). First
    /// on the binary copy reduced by 2 (text at the target height is still well formed there,
    /// and the test costs a quarter as much); where that is unsure, on the full-size copy, whose
    /// finer shapes decide most such pages: on the fixtures all 10 pages unsure at half size
    /// (2 photos, 8 scan pages; each then cost a Tesseract OSD run of 340–620 ms) were
    /// decided at full size, correctly, in ~40 ms.
    static func textLineOrientation(of binary: BinaryCopies) -> (turn: Int?, confidence: Double, scores: (up: Double, left: Double)?) {
        var result: (turn: Int?, confidence: Double, scores: (up: Double, left: Double)?) = (nil, 0, nil)
        for copy in [binary.half, binary.full] {
            var upConfidence: Float = 0, leftConfidence: Float = 0, orientation: Int32 = 0
            guard pixOrientDetect(copy.pix, &upConfidence, &leftConfidence, 0, 0) == 0,
                  makeOrientDecision(upConfidence, leftConfidence, 0, 0, &orientation, 0) == 0
            else { continue }
            let confidence = Double(max(abs(upConfidence), abs(leftConfidence)))
            switch Int(orientation) {
            case L_TEXT_ORIENT_UP: return (0, confidence, nil)
            case L_TEXT_ORIENT_LEFT: return (90, confidence, nil)
            case L_TEXT_ORIENT_DOWN: return (180, confidence, nil)
            case L_TEXT_ORIENT_RIGHT: return (270, confidence, nil)
            default:
                // The full-size copy's scores are the ones kept (it comes last).
                result.confidence = max(result.confidence, confidence)
                result.scores = (Double(upConfidence), Double(leftConfidence))
            }
        }
        return result
    }

    /// The turn to take instead of OSD's `osd` when the text-line test's score on the same axis
    /// (up/down for 0° and 180°, left/right for 90° and 270°) is at least `minimumScore` for the
    /// opposite way; nil when OSD stands. Leptonica's scores: up > 0 upright, < 0 upside down;
    /// left > 0 turned so that a 90° clockwise turn makes it upright, < 0 the other way.
    static func overrule(osd: Int, scores: (up: Double, left: Double)) -> Int? {
        let score = osd % 180 == 0 ? scores.up : scores.left
        guard abs(score) >= minimumScore else { return nil }
        let theirs = osd % 180 == 0 ? (score > 0 ? 0 : 180) : (score > 0 ? 90 : 270)
        return theirs == osd ? nil : theirs
    }

    /// The least text-line score that outweighs a weak OSD answer on the same axis.
    static let minimumScore = 3.0
    /// Below this OSD confidence (Tesseract's own scale; answers below 2 are not taken at all)
    /// a clear text-line score for the other way outweighs it.
    static let weakOSD = 4.0

    /// The page turned by its residual skew, or nil where there is none to remove (found with
    /// confidence, more than 0.1°). The sweep runs on the half-size binary copy at a further
    /// reduction of 2, the fine search on the half-size copy itself.
    private func deskewed(_ page: PageImage, binary: BinaryCopies?, report: inout PreparationReport) -> PageImage? {
        guard let binary else { return nil }
        var angle: Float = 0, confidence: Float = 0
        // Phone photos are often turned by more than the default ±7° search: sweep ±15°.
        guard pixFindSkewSweepAndSearch(binary.half.pix, &angle, &confidence, 2, 1, 15, 1, 0.01) == 0,
              confidence > 2.5, abs(angle) > 0.1, abs(angle) < 15
        else { return nil }
        let radians = Float(Double(angle) * .pi / 180)
        guard let rotated = pixRotate(page.pix, radians, Int32(L_ROTATE_AREA_MAP), Int32(L_BRING_IN_WHITE), 0, 0)
        else { return nil }
        report.skewDegrees = Double(angle)
        return PageImage(owning: rotated)
    }
}

/// A grey page thresholded at 160, at full size and reduced by 2 (rank 1: a pixel is ink where
/// any of its four is), for the skew and orientation tests.
struct BinaryCopies {
    let full: PageImage
    let half: PageImage

    init?(of page: PageImage) {
        guard let full = pixConvertTo1(page.pix, 160) else { return nil }
        self.full = PageImage(owning: full)
        guard let half = pixReduceRankBinary2(full, 1, nil) else { return nil }
        self.half = PageImage(owning: half)
    }
}

/// Cheap measurements on a reduced copy of a grey page.
struct Probe {
    let small: PageImage
    /// small pixels × factor = original pixels
    let factor: Double
    let originalWidth: Int, originalHeight: Int

    init(_ gray: PageImage) {
        originalWidth = gray.width
        originalHeight = gray.height
        let reduction = min(1, 1600 / Double(max(gray.width, gray.height)))
        if reduction < 1, let reduced = AreaMap.reduce(gray.pix, scale: Float(reduction)) {
            small = PageImage(owning: reduced)
        } else {
            small = gray
        }
        factor = Double(gray.width) / Double(small.width)
    }

    /// The sheet in a photo: the largest light region, when it covers between a quarter and
    /// 92% of the image (a scan's page fills the frame; nothing to cut then). Original pixels.
    func pageRegion() -> [Int]? {
        var binary: UnsafeMutablePointer<PIX>?
        guard pixOtsuAdaptiveThreshold(small.pix, Int32(small.width), Int32(small.height), 0, 0, 0.1, nil, &binary) == 0,
              let binary, let light = pixInvert(nil, binary)
        else { return nil }
        defer { Leptonica.destroy(binary); Leptonica.destroy(light) }
        guard let boxes = pixConnCompBB(light, 4) else { return nil }
        defer { var b: UnsafeMutablePointer<BOXA>? = boxes; boxaDestroy(&b) }
        var best: (x: Int32, y: Int32, w: Int32, h: Int32) = (0, 0, 0, 0)
        for index in 0..<boxaGetCount(boxes) {
            var x: Int32 = 0, y: Int32 = 0, w: Int32 = 0, h: Int32 = 0
            boxaGetBoxGeometry(boxes, index, &x, &y, &w, &h)
            if Int(w) * Int(h) > Int(best.w) * Int(best.h) { best = (x, y, w, h) }
        }
        let share = Double(Int(best.w) * Int(best.h)) / Double(small.width * small.height)
        guard share > 0.25, share < 0.92 else { return nil }
        let margin = 4.0
        let x = max(0, (Double(best.x) - margin) * factor), y = max(0, (Double(best.y) - margin) * factor)
        let w = min(Double(originalWidth) - x, (Double(best.w) + 2 * margin) * factor)
        let h = min(Double(originalHeight) - y, (Double(best.h) + 2 * margin) * factor)
        return [Int(x), Int(y), Int(w), Int(h)]
    }

    /// Median height (original pixels) of dark marks shaped like letters inside `region`.
    func medianTextHeight(in region: [Int]?) -> Double {
        guard let normalised = pixBackgroundNormSimple(small.pix, nil, nil) else { return 0 }
        defer { Leptonica.destroy(normalised) }
        guard let binary = pixThresholdToBinary(normalised, 140) else { return 0 }
        defer { Leptonica.destroy(binary) }
        guard let boxes = pixConnCompBB(binary, 8) else { return 0 }
        defer { var b: UnsafeMutablePointer<BOXA>? = boxes; boxaDestroy(&b) }
        let limits = region.map { r in (Double(r[0]) / factor, Double(r[1]) / factor, Double(r[0] + r[2]) / factor, Double(r[1] + r[3]) / factor) }
        var heights: [Int32] = []
        for index in 0..<boxaGetCount(boxes) {
            var x: Int32 = 0, y: Int32 = 0, w: Int32 = 0, h: Int32 = 0
            boxaGetBoxGeometry(boxes, index, &x, &y, &w, &h)
            guard h >= 3, h <= 80, w >= 1, w <= 3 * h else { continue }
            if let l = limits, Double(x) < l.0 || Double(y) < l.1 || Double(x + w) > l.2 || Double(y + h) > l.3 { continue }
            heights.append(h)
        }
        guard heights.count >= 20 else { return 0 }
        return Despeckle.letterMedian(heights) * factor
    }
}

/// A second opinion on a page's orientation (Tesseract's OSD): the clockwise quarter turn that
/// makes its text upright, and how sure the one asked is, on its own scale.
public struct OrientationGuess: Sendable, Equatable {
    public var turn: Int
    public var confidence: Double
    public init(turn: Int, confidence: Double) { self.turn = turn; self.confidence = confidence }
}

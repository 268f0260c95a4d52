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
    /// Width and height of the page after the perspective warp (before scaling), when warped.
    public var flatSize: [Int]?
    /// Median height of text-like marks in the original, in pixels (0 when none were found).
    public var textHeight: Double
    /// Clockwise rotation applied to make the text upright (0, 90, 180, 270), found from the text.
    public var rotation: Int
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
    /// Median height of text marks to scale to, in pixels (between x-height and cap height;
    /// Tesseract reads best with an x-height of about 20–30 px).
    public var targetTextHeight: Double
    /// Upper bound of the prepared page's longer side, to bound memory and time.
    public var maxLongSide: Int

    public init(targetTextHeight: Double = 30, maxLongSide: Int = 5000) {
        self.targetTextHeight = targetTextHeight
        self.maxLongSide = maxLongSide
    }

    public func prepare(_ page: PageImage) throws -> (PageImage, PreparationReport) {
        Leptonica.silence()
        guard let gray = Leptonica.gray8(page.pix) else { throw ImagingError.internalFailure(operation: "convert to grey") }
        var current = PageImage(owning: gray)
        var report = PreparationReport(
            originalWidth: page.width, originalHeight: page.height, pageRegion: nil, pageCorners: nil,
            flatSize: nil, textHeight: 0, rotation: 0,
            skewDegrees: 0, scale: 1, backgroundNormalised: false, resolution: 300)

        // The sheet: its four corners and a perspective warp to a flat rectangle where a
        // four-sided sheet stands out from the background; else the axis-aligned bounding box
        // of the largest light region; else the whole image (scans).
        if let quad = PageQuadDetector().detect(in: current), let flat = quad.warp(current) {
            current = flat
            report.pageCorners = quad.corners.map { [($0.x * 10).rounded() / 10, ($0.y * 10).rounded() / 10] }
            report.flatSize = [flat.width, flat.height]
            report.textHeight = Probe(current).medianTextHeight(in: nil)
        } else {
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
        var factor: Double
        if report.textHeight >= 4 {
            factor = targetTextHeight / report.textHeight
        } else {
            factor = 3300 / Double(max(current.width, current.height))
        }
        factor = min(max(factor, 0.25), 3.0)
        factor = min(factor, Double(maxLongSide) / Double(max(current.width, current.height)))
        if abs(factor - 1) > 0.1 {
            let f = Float(factor)
            let scaled = factor < 1 ? pixScaleAreaMap(current.pix, f, f) : pixScaleGrayLI(current.pix, f, f)
            if let scaled { current = PageImage(owning: scaled); report.scale = factor }
        }

        // Light: flatten shadows and uneven illumination.
        if let normalised = pixBackgroundNormSimple(current.pix, nil, nil) {
            current = PageImage(owning: normalised)
            report.backgroundNormalised = true
            // Normalisation sets the paper to grey 200; stretch so that paper is white and
            // ink keeps its shades (the halo around text disappears in the white).
            pixGammaTRC(current.pix, current.pix, 1.0, 40, 190)
        }

        // Skew and orientation are measured on binary copies. Leptonica's orientation test
        // wants straight lines, so deskew first; a page turned sideways shows no line skew
        // until it is upright, so deskew once more after a quarter turn.
        current = deskewed(current, report: &report)
        if let binary = pixConvertTo1(current.pix, 160) {
            defer { Leptonica.destroy(binary) }
            var upconf: Float = 0, leftconf: Float = 0, rotation: Int32 = 0
            if let upright = pixOrientCorrect(binary, 0, 0, &upconf, &leftconf, &rotation, 0) {
                Leptonica.destroy(upright)
                if rotation != 0 {
                    current = try Orientation.rotate(current, clockwiseDegrees: Int(rotation))
                    report.rotation = Int(rotation)
                }
            }
        }
        if report.rotation % 180 != 0 && report.skewDegrees == 0 {
            current = deskewed(current, report: &report)
        }
        // With text scaled to a known height, the resolution follows from it: 30 px for text
        // of 11 pt (cap height ≈ 0.7 em) is about 300 dpi.
        report.resolution = 300
        pixSetResolution(current.pix, Int32(report.resolution), Int32(report.resolution))
        return (current, report)
    }

    private func deskewed(_ page: PageImage, report: inout PreparationReport) -> PageImage {
        if let binary = pixConvertTo1(page.pix, 160) {
            defer { Leptonica.destroy(binary) }
            var angle: Float = 0, confidence: Float = 0
            // Phone photos are often turned by more than the default ±7° search: sweep ±15°.
            if pixFindSkewSweepAndSearch(binary, &angle, &confidence, 4, 2, 15, 1, 0.01) == 0,
               confidence > 2.5, abs(angle) > 0.1, abs(angle) < 15 {
                let radians = Float(Double(angle) * .pi / 180)
                if let rotated = pixRotate(page.pix, radians, Int32(L_ROTATE_AREA_MAP), Int32(L_BRING_IN_WHITE), 0, 0) {
                    report.skewDegrees = Double(angle)
                    return PageImage(owning: rotated)
                }
            }
        }
        return page
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
        if reduction < 1, let reduced = pixScaleAreaMap(gray.pix, Float(reduction), Float(reduction)) {
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
        heights.sort()
        return Double(heights[heights.count / 2]) * factor
    }
}

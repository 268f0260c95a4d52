import CLeptonica
import Foundation

/// Makes the copy of a prepared page that Tesseract reads: ruled lines, the frames of form
/// fields and solid blocks (blacked-out lines, filled logos) painted white. Tesseract reads a
/// frame's sides as `|` or `[`, a rule as dashes, and drops a row next to a black bar. The
/// prepared page itself stays as it is, for barcodes and the archive PDF.
public struct RuleEraser: Sendable {
    /// The unit of the sizes below, in pixels: a rule is 3 units long, a block 1 unit square.
    /// Pages come scaled to 26 px text (`PagePreparer.targetTextHeight`); the unit stays at 30
    /// (rules ≥ 90 px), the value measured on the fixtures.
    public var textHeight: Double

    public init(textHeight: Double = 30) { self.textHeight = textHeight }

    /// A cleaned copy of an 8 bpp page, or nil when there is nothing to erase.
    /// A line is a thin run of ink longer than any stroke of a letter: 3× the text height
    /// across, 2× down; a block is solid over a text height square.
    public func erased(_ page: PageImage) -> PageImage? {
        // Frames are often printed light and thin: found at a light threshold; blocks at mid-grey.
        let lightThreshold: Int32 = 190
        guard page.depth == 8, let binary = pixConvertTo1(page.pix, 128), let faint = pixConvertTo1(page.pix, lightThreshold) else { return nil }
        defer { Leptonica.destroy(binary); Leptonica.destroy(faint) }
        let across = Int32(3 * textHeight), down = Int32(2 * textHeight), side = Int32(textHeight)
        // Composite bricks with DWA code: the same openings as plain bricks of these sizes at a
        // fraction of the cost (measured: the eraser took ~9% of a photo's page time before).
        guard let horizontal = pixOpenCompBrickExtendDwa(nil, faint, across, 1),
              let vertical = pixOpenCompBrickExtendDwa(nil, faint, 1, down),
              let solid = pixOpenCompBrickExtendDwa(nil, binary, side, side)
        else { return nil }
        defer { Leptonica.destroy(horizontal); Leptonica.destroy(vertical); Leptonica.destroy(solid) }
        // A rule is thin for its length; the stem of a large bold heading is not. Runs next to
        // a solid block belong to a barcode or a logo: the block goes, they stay.
        guard let nearSolid = pixDilateCompBrickExtendDwa(nil, solid, side, side) else { return nil }
        defer { Leptonica.destroy(nearSolid) }
        for mask in [horizontal, vertical] {
            Self.keepThin(mask, across: mask == horizontal, ink: faint, band: max(4, side / 3))
            if let seed = pixAnd(nil, mask, nearSolid) {
                if let touching = pixSeedfillBinary(nil, seed, mask, 8) {
                    pixSubtract(mask, mask, touching)
                    Leptonica.destroy(touching)
                }
                Leptonica.destroy(seed)
            }
        }
        guard let lines = pixOr(nil, horizontal, vertical) else { return nil }
        defer { Leptonica.destroy(lines) }
        pixOr(lines, lines, solid)
        var count: Int32 = 0
        pixCountPixels(lines, &count, nil)
        guard count > 0, let mask = pixDilateBrick(nil, lines, 3, 3), let copy = pixCopy(nil, page.pix) else { return nil }
        defer { Leptonica.destroy(mask) }
        Self.whiten(copy, where: mask)
        return PageImage(owning: copy)
    }

    /// Sets the pixels of an 8 bpp image to white where the same-sized 1 bpp `mask` is on: what
    /// pixPaintThroughMask(page, mask, 0, 0, 255) does, but skipping the mask's empty words (a
    /// page's rules cover a few percent of it; Leptonica's loop reads every bit: ~1% of a page).
    static func whiten(_ page: UnsafeMutablePointer<PIX>, where mask: UnsafeMutablePointer<PIX>) {
        let width = Int(pixGetWidth(page)), height = Int(min(pixGetHeight(page), pixGetHeight(mask)))
        guard pixGetDepth(page) == 8, pixGetDepth(mask) == 1, Int(pixGetWidth(mask)) == width,
              let pageData = pixGetData(page), let maskData = pixGetData(mask)
        else {
            pixPaintThroughMask(page, mask, 0, 0, 255)
            return
        }
        let pageStride = Int(pixGetWpl(page)) * 4, maskWords = Int(pixGetWpl(mask))
        let bytes = UnsafeMutableRawPointer(pageData).assumingMemoryBound(to: UInt8.self)
        for y in 0..<height {
            let maskRow = maskData + y * maskWords
            let pageRow = bytes + y * pageStride
            for w in 0..<maskWords {
                var word = maskRow[w]
                // Leptonica's bits run from the most significant one: pixel 32·w + k is bit 31 − k.
                while word != 0 {
                    let k = word.leadingZeroBitCount
                    let x = 32 * w + k
                    if x < width { pageRow[x ^ 3] = 255 }  // bytes of a word in little-endian order
                    word &= ~(UInt32(0x8000_0000) >> UInt32(k))
                }
            }
        }
    }

    /// Share of set pixels of `pix` in a rectangle (clipped to the image; 0 when empty).
    private static func inkShare(_ pix: UnsafeMutablePointer<PIX>, _ x: Int32, _ y: Int32, _ w: Int32, _ h: Int32) -> Double {
        let top = max(0, y), bottom = min(pixGetHeight(pix), y + h)
        guard bottom > top, w > 0, let box = boxCreate(x, top, w, bottom - top) else { return 0 }
        defer { var b: UnsafeMutablePointer<BOX>? = box; boxDestroy(&b) }
        guard let part = pixClipRectangle(pix, box, nil) else { return 0 }
        defer { Leptonica.destroy(part) }
        var count: Int32 = 0
        pixCountPixels(part, &count, nil)
        return Double(count) / Double(w * (bottom - top))
    }

    /// Clears the connected pieces of `mask` thicker than a twelfth of their length, and
    /// runs across with ink on both sides.
    private static func keepThin(_ mask: UnsafeMutablePointer<PIX>, across: Bool, ink: UnsafeMutablePointer<PIX>, band: Int32) {
        guard let boxes = pixConnCompBB(mask, 8) else { return }
        defer { var b: UnsafeMutablePointer<BOXA>? = boxes; boxaDestroy(&b) }
        for index in 0..<boxaGetCount(boxes) {
            guard let box = boxaGetBox(boxes, index, Int32(L_CLONE)) else { continue }
            defer { var b: UnsafeMutablePointer<BOX>? = box; boxDestroy(&b) }
            var x: Int32 = 0, y: Int32 = 0, w: Int32 = 0, h: Int32 = 0
            boxGetGeometry(box, &x, &y, &w, &h)
            let (length, thickness) = across ? (w, h) : (h, w)
            if thickness > max(4, length / 12) { pixClearInRect(mask, box); continue }
            // A rule has blank paper on one side at least; the serifs of a bold line that run
            // together along its baseline have letters above and below.
            if across {
                let above = Self.inkShare(ink, x, y - band, w, band), below = Self.inkShare(ink, x, y + h, w, band)
                if min(above, below) > 0.15 { pixClearInRect(mask, box) }
            } else {
                // The same across a line: a frame's side has paper beside it; the stem of a letter
                // in large type (a receipt's, enlarged) has letters left and right.
                let left = Self.inkShare(ink, x - band, y, band, h), right = Self.inkShare(ink, x + w, y, band, h)
                if min(left, right) > 0.15 { pixClearInRect(mask, box) }
            }
        }
    }
}

import CLeptonica
import Foundation

/// Makes the copy of a prepared page that Tesseract reads: ruled lines, the frames of form
/// fields and solid blocks (blacked-out lines, filled logos) painted white. Tesseract reads a
/// frame's sides as `|` or `[`, a rule as dashes, and drops a row next to a black bar. The
/// prepared page itself stays as it is, for barcodes and the archive PDF.
public struct RuleEraser: Sendable {
    /// The height of text marks the page was scaled to (see `PagePreparer.targetTextHeight`).
    public var textHeight: Double

    public init(textHeight: Double = 30) { self.textHeight = textHeight }

    /// A cleaned copy of an 8 bpp page, or nil when there is nothing to erase.
    /// A line is a thin run of ink longer than any stroke of a letter: 3× the text height
    /// across, 2× down; a block is solid over a text height square.
    public func erased(_ page: PageImage) -> PageImage? {
        guard page.depth == 8, let binary = pixConvertTo1(page.pix, 128) else { return nil }
        defer { Leptonica.destroy(binary) }
        let across = Int32(3 * textHeight), down = Int32(2 * textHeight), side = Int32(textHeight)
        guard let horizontal = pixOpenBrick(nil, binary, across, 1),
              let vertical = pixOpenBrick(nil, binary, 1, down),
              let solid = pixOpenBrick(nil, binary, side, side)
        else { return nil }
        defer { Leptonica.destroy(horizontal); Leptonica.destroy(vertical); Leptonica.destroy(solid) }
        // A rule is thin for its length; the stem of a large bold heading is not.
        Self.keepThin(horizontal, across: true)
        Self.keepThin(vertical, across: false)
        guard let lines = pixOr(nil, horizontal, vertical) else { return nil }
        defer { Leptonica.destroy(lines) }
        pixOr(lines, lines, solid)
        var count: Int32 = 0
        pixCountPixels(lines, &count, nil)
        guard count > 0, let mask = pixDilateBrick(nil, lines, 3, 3), let copy = pixCopy(nil, page.pix) else { return nil }
        defer { Leptonica.destroy(mask) }
        pixPaintThroughMask(copy, mask, 0, 0, 255)
        return PageImage(owning: copy)
    }

    /// Clears the connected pieces of `mask` thicker than a twelfth of their length.
    private static func keepThin(_ mask: UnsafeMutablePointer<PIX>, across: Bool) {
        guard let boxes = pixConnCompBB(mask, 8) else { return }
        defer { var b: UnsafeMutablePointer<BOXA>? = boxes; boxaDestroy(&b) }
        for index in 0..<boxaGetCount(boxes) {
            guard let box = boxaGetBox(boxes, index, Int32(L_CLONE)) else { continue }
            defer { var b: UnsafeMutablePointer<BOX>? = box; boxDestroy(&b) }
            var x: Int32 = 0, y: Int32 = 0, w: Int32 = 0, h: Int32 = 0
            boxGetGeometry(box, &x, &y, &w, &h)
            let (length, thickness) = across ? (w, h) : (h, w)
            if thickness > max(4, length / 12) { pixClearInRect(mask, box) }
        }
    }
}

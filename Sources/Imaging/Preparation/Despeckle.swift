import CLeptonica
import Foundation

/// Removes scanner speckle (specks of dust, toner, noise) before OCR: small marks that stand
/// alone on the paper, far from any other ink.
///
/// Tesseract makes a word of a speck: "·", ":", ";" or "." in the margin or at a line's end
/// (on the scan fixtures of the second family one word in nine read was such a mark). A speck
/// is told from punctuation by where it is, not only by its size (a speck can be as large as a
/// full stop): every mark of real text has other ink close by, a full stop or a comma the letter
/// before it, a middle dot the words a space to each side, the dot of an i its stem, an umlaut's
/// dots their letter. A mark no larger than `maximumSize` text heights with no other ink within
/// `isolation` text heights around it is painted white.
public struct Despeckle: Sendable {
    /// Largest side of a speck, in text heights (a full stop is ~0.2, a bullet ~0.5).
    public var maximumSize: Double = 0.4
    /// Paper around a speck, in text heights (words on a line are ~0.4 apart, lines ~0.6).
    public var isolation: Double = 1.0

    public init() {}

    /// The boxes (x, y, width, height) of the lone small marks of `binary` (1 bpp, ink = 1).
    /// `textHeight` is the page's median mark height; nil measures it from the marks.
    public func specks(in binary: PageImage, textHeight: Double? = nil) -> [(x: Int, y: Int, width: Int, height: Int)] {
        specks(among: Self.marks(of: binary), width: binary.width, height: binary.height, textHeight: textHeight)
    }

    /// The same, from the page's marks (`marks(of:)`) already found, on a page `width` × `height`.
    public func specks(
        among boxes: [(x: Int, y: Int, width: Int, height: Int)], width: Int, height pageHeight: Int, textHeight: Double? = nil
    ) -> [(x: Int, y: Int, width: Int, height: Int)] {
        guard !boxes.isEmpty else { return [] }
        let height = textHeight ?? Self.medianMarkHeight(boxes)
        guard height >= 6 else { return [] }
        let largest = maximumSize * height, reach = Int((isolation * height).rounded(.up))
        // Every mark into the cells of a grid of `reach`-sized cells that its box covers; a speck
        // looks at the cells within `reach` of its box.
        let cell = max(8, reach)
        let columns = width / cell + 1, rows = pageHeight / cell + 1
        var grid = [[Int32]](repeating: [], count: columns * rows)
        for (index, box) in boxes.enumerated() {
            let c0 = max(0, box.x / cell), c1 = min(columns - 1, (box.x + box.width - 1) / cell)
            let r0 = max(0, box.y / cell), r1 = min(rows - 1, (box.y + box.height - 1) / cell)
            for r in r0...r1 { for c in c0...c1 { grid[r * columns + c].append(Int32(index)) } }
        }
        var result: [(x: Int, y: Int, width: Int, height: Int)] = []
        for (index, box) in boxes.enumerated() where Double(max(box.width, box.height)) <= largest {
            let c0 = max(0, (box.x - reach) / cell), c1 = min(columns - 1, (box.x + box.width + reach) / cell)
            let r0 = max(0, (box.y - reach) / cell), r1 = min(rows - 1, (box.y + box.height + reach) / cell)
            var alone = true
            search: for r in r0...r1 {
                for c in c0...c1 {
                    for other in grid[r * columns + c] where Int(other) != index {
                        let o = boxes[Int(other)]
                        let dx = max(0, max(o.x - (box.x + box.width), box.x - (o.x + o.width)))
                        let dy = max(0, max(o.y - (box.y + box.height), box.y - (o.y + o.height)))
                        if max(dx, dy) < reach { alone = false; break search }
                    }
                }
            }
            if alone { result.append(box) }
        }
        return result
    }

    /// Paints `boxes` white in an 8 bpp copy of `gray` and clears them in `binary` (changed in
    /// place; it is the caller's own copy). Returns the cleaned grey copy.
    public func whiten(_ boxes: [(x: Int, y: Int, width: Int, height: Int)], gray: PageImage, binary: PageImage?) -> PageImage? {
        guard !boxes.isEmpty, gray.depth == 8, let copy = pixCopy(nil, gray.pix) else { return nil }
        for box in boxes {
            // One pixel around: the speck's blurred edge is lighter than the threshold.
            var rect: UnsafeMutablePointer<BOX>? = boxCreate(Int32(box.x - 1), Int32(box.y - 1), Int32(box.width + 2), Int32(box.height + 2))
            guard rect != nil else { continue }
            pixSetInRect(copy, rect)
            if let binary { pixClearInRect(binary.pix, rect) }
            boxDestroy(&rect)
        }
        return PageImage(owning: copy)
    }

    /// The boxes of the marks (8-connected components) of `binary` (1 bpp, ink = 1).
    public static func marks(of binary: PageImage) -> [(x: Int, y: Int, width: Int, height: Int)] {
        guard binary.depth == 1, let found = pixConnCompBB(binary.pix, 8) else { return [] }
        var boxa: UnsafeMutablePointer<BOXA>? = found
        defer { boxaDestroy(&boxa) }
        let count = Int(boxaGetCount(found))
        var boxes = [(x: Int, y: Int, width: Int, height: Int)]()
        boxes.reserveCapacity(count)
        for index in 0..<count {
            var x: Int32 = 0, y: Int32 = 0, w: Int32 = 0, h: Int32 = 0
            boxaGetBoxGeometry(found, Int32(index), &x, &y, &w, &h)
            boxes.append((Int(x), Int(y), Int(w), Int(h)))
        }
        return boxes
    }

    /// The median height of the marks that may be letters (at least 4 px high, not long lines).
    /// Where small marks are a third of all or more (a form's dot leaders: hundreds of dots
    /// beside a few dozen letters) they are left out: marks under 0.4 of the tall letters'
    /// height (the 90th percentile) are a tenth to a fifth of a page of text (full stops,
    /// commas, the dots of i), and the median stays a letter's.
    static func medianMarkHeight(_ boxes: [(x: Int, y: Int, width: Int, height: Int)]) -> Double {
        letterMedian(boxes.lazy.filter { $0.height >= 4 && $0.width <= 4 * $0.height && $0.height <= 200 }.map(\.height))
    }

    /// The median of mark heights, small marks left out where they are a third of all or more.
    public static func letterMedian<Heights: Sequence>(_ heights: Heights) -> Double where Heights.Element: BinaryInteger {
        var sorted = heights.map { Double($0) }.sorted()
        guard !sorted.isEmpty else { return 0 }
        let small = 0.4 * sorted[sorted.count * 9 / 10]
        let smallCount = sorted.firstIndex { $0 >= small } ?? sorted.count
        if 3 * smallCount >= sorted.count { sorted.removeFirst(smallCount) }
        return sorted[sorted.count / 2]
    }
}

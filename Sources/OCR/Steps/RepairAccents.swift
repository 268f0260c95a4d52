import CLeptonica
import CTesseract
import Foundation

/// Step 7 of `RecognitionSteps`: accents the deu model cannot write read back from their ink.
///
/// The model's 116 characters have no é, è, ê or ë, so "Café Sonne UG" comes out as "Cafe Sonne
/// UG" and a name is silently wrong. Tesseract's box of the letter it read as "e" still holds
/// the accent's ink: where that box reaches well above the x-height of the line's other small
/// letters, the ink above the x-height inside it is looked at in Tesseract's binary image. One
/// separate stroke that leans right is an acute (é), one that leans left a grave (è), two dots
/// side by side a diaeresis (ë); a circumflex (ê) is too like a speck or a rule's stub on a photo
/// to be told apart and stays e. Ink that joins the letters below (an f's hook, a T's bar) or reaches out of the letter's
/// box is not an accent, nor is a mark far above the letter or off its middle. The model also
/// writes "&" for an é set tight ("Caf&"): an & glued to a small letter is looked at the same way.
public struct RepairAccents: Sendable, Equatable, WordStep {
    /// The letter's box must reach this share of the x-height above the line's x-height.
    public var minimumRise = 0.2
    /// An accent mark is at least this share of the x-height high or wide (twice as many dots of a
    /// diaeresis; an acute or grave stroke 1.6 times as high).
    public var minimumMark = 0.12
    /// How clearly an acute or grave stroke leans: the slope of its ink (x against y) at least this.
    public var minimumLean = 0.6
    /// Print each decision to standard error (calibration).
    public var trace = false

    public init() {}

    var needsThresholdedImage: Bool { true }

    /// Letters of the x-height without ascender, descender or dot: the line's x-height is measured on them.
    private static let xHeightLetters = Set("acemnorsuvwxz")

    func apply(to page: inout PageWords, in context: WordStepContext) {
        guard let binary = context.binary else { return }
        let symbols = context.engine.symbolBoxes()
        guard symbols.count == page.words.count else { return }
        // The x-height of each line: median top and bottom of its plain small letters.
        var tops: [Int: [Int]] = [:], bottoms: [Int: [Int]] = [:]
        for (index, word) in page.placed.enumerated() {
            for symbol in symbols[index] where symbol.character != "e" && Self.xHeightLetters.contains(symbol.character) {
                tops[word.line, default: []].append(symbol.top)
                bottoms[word.line, default: []].append(symbol.bottom)
            }
        }
        let width = Int(pixGetWidth(binary)), height = Int(pixGetHeight(binary))
        var decisions: [GlyphRepair.Decision] = []
        for (index, word) in page.placed.enumerated() where (word.text.contains("e") || word.text.contains("&"))
            && word.text.count == symbols[index].count
        {
            guard var lineTops = tops[word.line], var lineBottoms = bottoms[word.line], lineTops.count >= 2 else { continue }
            lineTops.sort()
            lineBottoms.sort()
            let xTop = lineTops[lineTops.count / 2], xBottom = lineBottoms[lineBottoms.count / 2]
            let xHeight = Double(xBottom - xTop)
            guard xHeight >= 6 else { continue }
            var characters = Array(word.text)
            var changed = false
            // An e, or an & glued to a small letter before it ("Caf&": the model's guess for é;
            // "H&M" keeps its sign).
            for (k, symbol) in symbols[index].enumerated()
            where symbol.character == "e" || (symbol.character == "&" && k > 0 && characters[k - 1].isLowercase) {
                guard Double(xTop - symbol.top) >= minimumRise * xHeight else { continue }
                // "Straße", "Große": the ß's arch reaches over the e on photos ("Straßè"); no
                // German or French word has "ßé".
                guard k == 0 || characters[k - 1] != "ß" else { continue }
                guard let accent = accent(
                    above: symbol, xTop: xTop, xHeight: xHeight, binary: binary, width: width, height: height)
                else { continue }
                characters[k] = accent
                changed = true
            }
            guard changed else { continue }
            let repaired = String(characters)
            if trace {
                FileHandle.standardError.write(Data("accent: \(word.text) -> \(repaired)\n".utf8))
            }
            decisions.append(GlyphRepair.Decision(index: index, from: word.text, to: repaired))
        }
        guard !decisions.isEmpty, let repaired = GlyphRepair.apply(decisions, to: page.text, words: page.placed) else { return }
        page.text = repaired
        for decision in decisions {
            page.words[decision.index].text = decision.to
            page.placed[decision.index].text = decision.to
        }
    }

    /// The accented letter the ink above `symbol`'s x-height makes, or nil.
    private func accent(
        above symbol: TesseractEngine.SymbolBox, xTop: Int, xHeight: Double, binary: UnsafeMutablePointer<PIX>, width: Int, height: Int
    ) -> Character? {
        // The letter's box from its top to a little below the x-height, a pixel wider on each
        // side. A mark of its own lies wholly above the x-height; what touches the band's
        // bottom (the letter itself, an f's stem) or its sides (the neighbours) is not one.
        let x0 = max(0, symbol.left - 1), x1 = min(width, symbol.right + 2)
        let y0 = max(0, symbol.top - 1), y1 = min(height, xTop + max(2, Int((0.15 * xHeight).rounded())))
        guard x1 - x0 >= 3, y1 - y0 >= 3 else { return nil }
        var clip = boxCreate(Int32(x0), Int32(y0), Int32(x1 - x0), Int32(y1 - y0))
        defer { boxDestroy(&clip) }
        var band = pixClipRectangle(binary, clip, nil)
        defer { pixDestroy(&band) }
        guard let band else { return nil }
        var pieces: UnsafeMutablePointer<PIXA>?
        var found = pixConnComp(band, &pieces, 8)
        defer { boxaDestroy(&found); pixaDestroy(&pieces) }
        guard let found, let pieces else { return nil }
        let bandWidth = x1 - x0, bandHeight = y1 - y0
        let smallest = minimumMark * xHeight
        var marks: [(x: Int, y: Int, w: Int, h: Int, index: Int32)] = []
        for index in 0..<boxaGetCount(found) {
            var x: Int32 = 0, y: Int32 = 0, w: Int32 = 0, h: Int32 = 0
            boxaGetBoxGeometry(found, index, &x, &y, &w, &h)
            guard Double(max(w, h)) >= smallest else { continue }
            if Int(y + h) >= bandHeight || x == 0 || Int(x + w) >= bandWidth { continue }
            // Wholly above the x-height (a pixel of overlap allowed) and close to it, no larger
            // than an accent, over the letter's middle.
            let bottom = y0 + Int(y + h)
            guard bottom <= xTop + 1, Double(xTop - bottom) <= 0.5 * xHeight,
                Double(h) <= 0.8 * xHeight, Double(w) <= 1.0 * xHeight
            else { continue }
            let centre = Double(x0 + Int(x) + Int(w) / 2), middle = Double(symbol.left + symbol.right) / 2
            guard abs(centre - middle) <= 0.4 * Double(max(1, symbol.right - symbol.left)) else { continue }
            marks.append((Int(x), Int(y), Int(w), Int(h), index))
        }
        if marks.count == 2 {
            // Two dots of about one size, level, side by side.
            let (a, b) = (marks[0], marks[1])
            let dot = { (m: (x: Int, y: Int, w: Int, h: Int, index: Int32)) in
                Double(min(m.w, m.h)) >= 2 * self.minimumMark * xHeight && Double(max(m.w, m.h)) <= 0.4 * xHeight
            }
            let level = abs((a.y + a.h / 2) - (b.y + b.h / 2)) <= max(a.h, b.h) / 2
            return dot(a) && dot(b) && level && abs(a.x - b.x) >= max(a.w, b.w) ? "ë" : nil
        }
        guard marks.count == 1, let mark = marks.first, let piece = pixaGetPix(pieces, mark.index, Int32(L_CLONE)) else { return nil }
        var owned: UnsafeMutablePointer<PIX>? = piece
        defer { pixDestroy(&owned) }
        // How the mark leans: the covariance of its ink's x and y (y down).
        var count = 0.0, sumX = 0.0, sumY = 0.0, sumXY = 0.0, sumXX = 0.0
        for y in 0..<mark.h {
            for x in 0..<mark.w {
                var value: UInt32 = 0
                pixGetPixel(piece, Int32(x), Int32(y), &value)
                guard value != 0 else { continue }
                count += 1
                sumX += Double(x); sumY += Double(y)
                sumXY += Double(x * y); sumXX += Double(x * x)
            }
        }
        guard count >= 3 else { return nil }
        let covariance = sumXY / count - (sumX / count) * (sumY / count)
        let varianceX = sumXX / count - (sumX / count) * (sumX / count)
        let slope = varianceX > 0 ? covariance / varianceX : 0
        // An accent is a stroke of some size that leans clearly; a round or flat mark (a speck,
        // a rule's stub, a circumflex, which German hardly writes) is left alone.
        guard Double(mark.h) >= minimumMark * xHeight * 1.6, count >= 0.03 * xHeight * xHeight else { return nil }
        if slope <= -minimumLean { return "é" }
        if slope >= minimumLean { return "è" }
        return nil
    }
}

extension TesseractEngine {
    /// One character of a word as Tesseract read it, with its box in page pixels.
    struct SymbolBox {
        var character: Character
        var left: Int, top: Int, right: Int, bottom: Int
    }

    /// The characters of every word of the last page read, in the order `collectWords` gives the words.
    func symbolBoxes() -> [[SymbolBox]] {
        withHandle { handle in
            guard let iterator = TessBaseAPIGetIterator(handle) else { return [] }
            defer { TessResultIteratorDelete(iterator) }
            var words: [[SymbolBox]] = []
            repeat {
                guard let raw = TessResultIteratorGetUTF8Text(iterator, RIL_WORD) else { continue }
                TessDeleteText(raw)
                var symbols: [SymbolBox] = []
                if let copy = TessResultIteratorCopy(iterator) {
                    let symbolPage = TessResultIteratorGetPageIterator(copy)
                    repeat {
                        if let text = TessResultIteratorGetUTF8Text(copy, RIL_SYMBOL) {
                            let string = String(cString: text)
                            TessDeleteText(text)
                            var left: Int32 = 0, top: Int32 = 0, right: Int32 = 0, bottom: Int32 = 0
                            _ = TessPageIteratorBoundingBox(symbolPage, RIL_SYMBOL, &left, &top, &right, &bottom)
                            for character in string {
                                symbols.append(SymbolBox(character: character, left: Int(left), top: Int(top), right: Int(right), bottom: Int(bottom)))
                            }
                        }
                        if TessPageIteratorIsAtFinalElement(symbolPage, RIL_WORD, RIL_SYMBOL) != 0 { break }
                    } while TessResultIteratorNext(copy, RIL_SYMBOL) != 0
                    TessResultIteratorDelete(copy)
                }
                words.append(symbols)
            } while TessResultIteratorNext(iterator, RIL_WORD) != 0
            return words
        }
    }
}

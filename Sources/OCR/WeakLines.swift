import CLeptonica
import CTesseract
import Foundation
import Imaging

/// Lines the page's reading was unsure of, read again on their own.
///
/// In a full page Tesseract sometimes loses a short line it would read without fault alone: a
/// form's value in a monospaced printer font under its label ("06.06.25" came out as "25," at
/// 36% confidence, read alone it is right at 90%+). Such a line is cut from the page Tesseract
/// read (rules erased) with a quarter of its height of paper around and read as one line by the
/// second engine; the second reading replaces the first when it is clearly surer.
enum WeakLines {
    /// A line whose words' mean confidence is below this is read again.
    static let confidenceBelow: Float = 50
    /// The second reading must be this much surer (mean word confidence) and at least `accepted`.
    static let gain: Float = 20
    static let accepted: Float = 65
    /// At most this many lines per page are read again (the least sure first).
    static let maximumPerPage = 6

    /// Lines worth a second reading, as ranges of `placed` (one line's words are consecutive):
    /// unsure, with at least two letters or digits (not a stray mark), least sure first.
    static func candidates(
        _ words: [RecognizedWord], _ placed: [GlyphRepair.Word], confidenceBelow: Float = WeakLines.confidenceBelow, maximum: Int = WeakLines.maximumPerPage
    ) -> [Range<Int>] {
        let weak = lines(placed).filter { line in
            let alphanumerics = words[line].map { $0.text.filter { $0.isLetter || $0.isNumber }.count }.reduce(0, +)
            return alphanumerics >= 2 && mean(words[line]) < confidenceBelow
        }
        return Array(weak.sorted { mean(words[$0]) < mean(words[$1]) }.prefix(maximum))
    }

    /// The page's lines as ranges of `placed` (one line's words are consecutive).
    static func lines(_ placed: [GlyphRepair.Word]) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        var start = 0
        for index in placed.indices where index > 0 && placed[index].line != placed[index - 1].line {
            lines.append(start..<index)
            start = index
        }
        if !placed.isEmpty { lines.append(start..<placed.count) }
        return lines
    }

    /// The rectangle around a line's words with a quarter of its height of paper around (at
    /// least 3 px), inside a page of `width` x `height`; nil for words without height.
    static func clip(around words: ArraySlice<RecognizedWord>, width: Int, height: Int) -> (x0: Int, y0: Int, x1: Int, y1: Int)? {
        let lineHeight = words.map(\.height).max() ?? 0
        guard lineHeight > 0 else { return nil }
        let pad = max(3, lineHeight / 4)
        return (
            max(0, words.map(\.x).min()! - pad), max(0, words.map(\.y).min()! - pad),
            min(width, words.map { $0.x + $0.width }.max()! + pad), min(height, words.map { $0.y + $0.height }.max()! + pad))
    }

    /// Replaces the words of `line` by a second reading of that line, in the words and in the
    /// text (the new words keep the line's index); false when the old line is not exactly one
    /// line of the text.
    static func replace(_ line: Range<Int>, of page: inout PageWords, with read: [(word: RecognizedWord, placed: GlyphRepair.Word)]) -> Bool {
        let oldLine = page.words[line].map(\.text).joined(separator: " ")
        let newLine = read.map(\.word.text).joined(separator: " ")
        guard let replaced = replacing(line: oldLine, with: newLine, in: page.text) else { return false }
        page.text = replaced
        let lineIndex = page.placed[line.lowerBound].line
        page.words.replaceSubrange(line, with: read.map(\.word))
        page.placed.replaceSubrange(line, with: read.map { item in
            var word = item.placed
            word.line = lineIndex
            return word
        })
        return true
    }

    static func mean(_ words: ArraySlice<RecognizedWord>) -> Float {
        words.isEmpty ? 0 : words.map(\.confidence).reduce(0, +) / Float(words.count)
    }

    /// Where an unsure line jumps a column gap (Tesseract joined the address window's line
    /// with the information block beside it, whose lines stand at other heights: "Krise 5 Feel"
    /// for "Kirchstraße 5" beside "Steuerklasse 1" and "Kinderfreibeträge 0,5"): the index in
    /// `words` (left to right) of the first word right of the widest gap, when that gap is
    /// wider than `columnGapHeights` word heights.
    static func columnSplit(_ words: [RecognizedWord]) -> Int? {
        guard words.count >= 2 else { return nil }
        let heights = words.map(\.height).sorted()
        let height = heights[heights.count / 2]
        guard height > 0 else { return nil }
        var best: (index: Int, gap: Int)?
        for index in 1..<words.count {
            let gap = words[index].x - (words[index - 1].x + words[index - 1].width)
            if gap > (best?.gap ?? 0) { best = (index, gap) }
        }
        guard let best, best.gap > columnGapHeights * height else { return nil }
        return best.index
    }

    /// A gap between two words of a line wider than this many word heights parts two columns.
    static let columnGapHeights = 6
    /// Of a column's second reading, lines with a lower mean word confidence are left out.
    static let keptLine: Float = 60

    /// The text with the one line that reads `old` replaced by `new`; nil when `old` is not
    /// exactly one line of it.
    static func replacing(line old: String, with new: String, in text: String) -> String? {
        var lines = text.components(separatedBy: "\n")
        let matches = lines.indices.filter { lines[$0].trimmingCharacters(in: .whitespaces) == old }
        guard matches.count == 1 else { return nil }
        lines[matches[0]] = new
        return lines.joined(separator: "\n")
    }
}

extension ReadWeakLines: WordStep {
    /// Reads the page's unsure lines again (see `WeakLines`), updating text and words.
    func apply(to page: inout PageWords, in context: WordStepContext) {
        let engine = context.engine, gray = context.gray
        // From the back, so that the ranges of earlier lines stay valid when a line's word count changes.
        let candidates = WeakLines.candidates(page.words, page.placed, confidenceBelow: confidenceBelow, maximum: maximumPerPage)
        for line in candidates.sorted(by: { $0.lowerBound > $1.lowerBound }) {
            let old = page.words[line]
            guard let (x0, y0, x1, y1) = WeakLines.clip(around: old, width: gray.width, height: gray.height) else { continue }
            // A line that jumps a column gap is read as two columns; where that changes
            // nothing, it is read again as one line like any other.
            if let split = WeakLines.columnSplit(Array(old)),
                rereadColumns(line: line, split: split, page: &page, engine: engine, gray: gray, y0: y0, y1: y1)
            {
                continue
            }
            let read = engine.readClip(of: gray, x0: x0, y0: y0, x1: x1, y1: y1, scale: 1, mode: PSM_SINGLE_LINE).flatMap { $0 }
            guard !read.isEmpty else { continue }
            let newWords = read.map(\.word)
            let before = WeakLines.mean(old), after = WeakLines.mean(newWords[...])
            guard after >= accepted, after >= before + gain else { continue }
            _ = WeakLines.replace(line, of: &page, with: read)
        }
    }

    /// Reads the two sides of an unsure line that jumps a column gap as blocks of their own,
    /// each as high as the whole line (the side block's lines may stand between the address
    /// lines) and the right one out to the page's text edge (its values may lie outside every
    /// word Tesseract made of it). The line becomes the left side's lines, then the right's;
    /// pieces of the neighbouring lines the clips cut through are read unsurely and left out.
    /// Whether the line was replaced.
    private func rereadColumns(
        line: Range<Int>, split: Int, page: inout PageWords, engine: TesseractEngine, gray: PageImage, y0: Int, y1: Int
    ) -> Bool {
        let old = Array(page.words[line])
        let height = old.map(\.height).sorted()[old.count / 2]
        let pad = max(3, height / 2)
        let textEdge = page.words.map { $0.x + $0.width }.max() ?? gray.width
        let left = old[..<split], right = old[split...]
        let leftRead = engine.readClip(
            of: gray, x0: max(0, left.map(\.x).min()! - pad), y0: y0, x1: min(gray.width, left.map { $0.x + $0.width }.max()! + pad),
            y1: y1, scale: 1, mode: PSM_SINGLE_BLOCK)
        let rightRead = engine.readClip(
            of: gray, x0: max(0, right.map(\.x).min()! - pad), y0: y0,
            x1: min(gray.width, max(textEdge, right.map { $0.x + $0.width }.max()!) + pad), y1: y1, scale: 1, mode: PSM_SINGLE_BLOCK)
        // The clips cut into the lines above and below: what is kept is read surely. Each side
        // must keep a line, or the second reading would drop what the first had of that side
        // (a handwritten amount beside its printed label).
        let sure = { (read: [(word: RecognizedWord, placed: GlyphRepair.Word)]) in
            WeakLines.mean(read.map(\.word)[...]) >= WeakLines.keptLine
                && read.contains { $0.word.text.filter { $0.isLetter || $0.isNumber }.count >= 2 }
        }
        let leftLines = leftRead.filter(sure), rightLines = rightRead.filter(sure)
        guard !leftLines.isEmpty, !rightLines.isEmpty else { return false }
        let lines = leftLines + rightLines
        let newWords = lines.flatMap { $0.map(\.word) }
        guard !newWords.isEmpty else { return false }
        let before = WeakLines.mean(old[...]), after = WeakLines.mean(newWords[...])
        guard after >= accepted, after >= before + gain else { return false }
        let oldLine = old.map(\.text).joined(separator: " ")
        let newText = lines.map { $0.map(\.word.text).joined(separator: " ") }.joined(separator: "\n")
        guard let replaced = WeakLines.replacing(line: oldLine, with: newText, in: page.text) else { return false }
        page.text = replaced
        let lineIndex = page.placed[line.lowerBound].line
        let fresh = (page.placed.map(\.line).max() ?? 0) + 1
        var newPlaced: [GlyphRepair.Word] = []
        for (k, read) in lines.enumerated() {
            for item in read {
                var word = item.placed
                word.line = k == 0 ? lineIndex : fresh + k - 1
                newPlaced.append(word)
            }
        }
        page.words.replaceSubrange(line, with: newWords)
        page.placed.replaceSubrange(line, with: newPlaced)
        return true
    }
}

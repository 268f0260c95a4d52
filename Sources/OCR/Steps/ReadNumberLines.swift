import CTesseract
import Imaging

/// Step 9 of `RecognitionSteps`: short lines of figures (a form's dates, numbers, amounts) read
/// again alone, in black and white, by the second engine; the second reading replaces the first
/// when it is clearly surer.
///
/// Thin monospaced printer type (the dates of a sick note, "12.01.25") is read by the deu model
/// in the grey page as "1220 7225" at 73 % confidence: the full stops become digits. The same
/// line cut out and thresholded reads "12.01.25" at 91 %. Lines of words are left to
/// `ReadWeakLines`: only lines of at most `maximumWords` words whose characters are mostly
/// digits are read again.
public struct ReadNumberLines: Sendable, Equatable, WordStep {
    /// A line is read again when it has at most this many words …
    public var maximumWords = 4
    /// … at least this many digits …
    public var minimumDigits = 6
    /// … and this share of its characters (spaces not counted) are digits.
    public var minimumDigitShare = 0.6
    /// The second reading must be this much surer (mean word confidence) …
    public var gain: Float = 10
    /// … and at least this sure.
    public var accepted: Float = 80
    /// At most this many lines per page are read again (the least sure first).
    public var maximumPerPage = 8

    public init() {}

    var needsThresholdedImage: Bool { false }

    /// The lines worth a second reading, as ranges of the page's words, least sure first.
    func candidates(_ page: PageWords) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        var start = 0
        for index in page.placed.indices where index > 0 && page.placed[index].line != page.placed[index - 1].line {
            lines.append(start..<index)
            start = index
        }
        if !page.placed.isEmpty { lines.append(start..<page.placed.count) }
        let figures = lines.filter { line in
            guard line.count <= maximumWords else { return false }
            let characters = page.words[line].flatMap(\.text).filter { !$0.isWhitespace }
            let digits = characters.filter(\.isNumber).count
            return digits >= minimumDigits && Double(digits) >= minimumDigitShare * Double(characters.count)
        }
        return Array(figures.sorted { WeakLines.mean(page.words[$0]) < WeakLines.mean(page.words[$1]) }.prefix(maximumPerPage))
    }

    func apply(to page: inout PageWords, in context: WordStepContext) {
        let gray = context.gray
        // From the back, so that the ranges of earlier lines stay valid when a line's word count changes.
        for line in candidates(page).sorted(by: { $0.lowerBound > $1.lowerBound }) {
            let old = page.words[line]
            let height = old.map(\.height).max() ?? 0
            guard height > 0 else { continue }
            let pad = max(3, height / 4)
            let x0 = max(0, old.map(\.x).min()! - pad), y0 = max(0, old.map(\.y).min()! - pad)
            let x1 = min(gray.width, old.map { $0.x + $0.width }.max()! + pad)
            let y1 = min(gray.height, old.map { $0.y + $0.height }.max()! + pad)
            let read = context.engine.readClip(
                of: gray, x0: x0, y0: y0, x1: x1, y1: y1, scale: 1, mode: PSM_SINGLE_LINE, binarize: true
            ).flatMap { $0 }
            guard !read.isEmpty else { continue }
            let newWords = read.map(\.word)
            let before = WeakLines.mean(old), after = WeakLines.mean(newWords[...])
            guard after >= accepted, after >= before + gain else { continue }
            let oldLine = old.map(\.text).joined(separator: " ")
            let newLine = newWords.map(\.text).joined(separator: " ")
            // The second reading must still be the line of figures it replaces.
            guard newLine != oldLine, newLine.filter(\.isNumber).count >= minimumDigits else { continue }
            guard let replaced = WeakLines.replacing(line: oldLine, with: newLine, in: page.text) else { continue }
            page.text = replaced
            let lineIndex = page.placed[line.lowerBound].line
            page.words.replaceSubrange(line, with: newWords)
            page.placed.replaceSubrange(line, with: read.map { item in
                var word = item.placed
                word.line = lineIndex
                return word
            })
        }
    }
}

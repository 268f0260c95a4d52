import CTesseract
import Imaging

/// Step 10 of `RecognitionSteps`: short lines of figures (a form's dates, numbers, amounts) read
/// again alone, in black and white, by the second engine; the second reading replaces the first
/// when it is clearly surer.
///
/// Thin monospaced printer type (the dates of a sick note, "12.01.25") is read by the deu model
/// in the grey page as "1220 7225" at 73 % confidence: the full stops become digits. The same
/// line cut out and thresholded reads "12.01.25" at 91 %; on a scan two such dates in
/// neighbouring cells came out as "20.0225 ZONE" and one as "2m) 2425" (half digits, four of
/// them), alone "20.01.25 20.01.25" and "02.02.25". Lines of words are left to
/// `ReadWeakLines`: only lines of at most `maximumWords` words whose characters are mostly
/// digits are read again.
public struct ReadNumberLines: Sendable, Equatable, WordStep {
    /// A line is read again when it has at most this many words …
    public var maximumWords = 4
    /// … at least this many digits …
    public var minimumDigits = 4
    /// … and this share of its characters (spaces not counted) are digits.
    public var minimumDigitShare = 0.5
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
        let figures = WeakLines.lines(page.placed).filter { line in
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
            guard let (x0, y0, x1, y1) = WeakLines.clip(around: old, width: gray.width, height: gray.height) else { continue }
            let read = context.engine.readClip(
                of: gray, x0: x0, y0: y0, x1: x1, y1: y1, scale: 1, mode: PSM_SINGLE_LINE, binarize: true
            ).flatMap { $0 }
            guard !read.isEmpty else { continue }
            let before = WeakLines.mean(old), after = WeakLines.mean(read.map(\.word)[...])
            guard after >= accepted, after >= before + gain else { continue }
            // The second reading must still be the line of figures it replaces.
            let newLine = read.map(\.word.text).joined(separator: " ")
            guard newLine != old.map(\.text).joined(separator: " "), newLine.filter(\.isNumber).count >= minimumDigits else { continue }
            _ = WeakLines.replace(line, of: &page, with: read)
        }
    }
}

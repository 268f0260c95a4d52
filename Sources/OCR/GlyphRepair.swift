import CLeptonica
import Foundation

/// Reads back the punctuation that Tesseract's German model cannot write.
///
/// The LSTM model of `tesseract-ocr-deu` has 116 characters; the middle dot `·` (U+00B7, the
/// separator of German letterheads and footers: "Neumarkt 10 · 42103 Wuppertal") and the en
/// dash `–` (U+2013, "– im Folgenden „Mieter“ genannt –") are not among them (check with
/// `combine_tessdata -u deu.traineddata deu.` and the `deu.lstm-unicharset` it writes). So the
/// engine writes `-`, `:`, `»` or `—` for them, and no setting can change that: on the photo
/// fixtures they were 110 of the 155 words missed.
///
/// This looks at the ink of every stand-alone punctuation token instead: one small round mark
/// half an x-height above the baseline is a middle dot; one flat bar is a hyphen, en dash or em
/// dash by its length. Sizes are measured against the line's own letters (their mean width per
/// character), so headings, body text and small footers are judged alike. A token whose ink
/// is anything else (two marks, a tall mark, nothing) keeps what Tesseract read.
struct GlyphRepair {
    /// One word as read, with where its line's baseline runs under it.
    struct Word {
        var text: String
        var box: (x: Int, y: Int, width: Int, height: Int)
        /// Index of the text line (reading order) the word belongs to.
        var line: Int
        /// y of the baseline at the word's horizontal centre (image pixels, y down), if known.
        var baseline: Double?
    }

    /// What the ink of a token was read as, for the record and for tests.
    struct Decision: Equatable {
        var index: Int
        var from: String
        var to: String
    }


    /// Tokens that may stand for a dot or a dash: punctuation only, at most three characters.
    static func isCandidate(_ word: String) -> Bool {
        let text = word.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 3 else { return false }
        return text.unicodeScalars.allSatisfy { candidateScalars.contains($0) }
    }

    private static let candidateScalars = Set("-‐‑‒–—―−:;.,·•∙⋅»«=~_*+'`´^°".unicodeScalars)

    /// The middle dot and the dashes as read from `binary` (1 bpp, the image Tesseract read,
    /// ink = 1): the repaired texts of `words` by index. `trace`: print each measured token to
    /// standard error (for calibration).
    static func decide(words: [Word], binary: UnsafeMutablePointer<PIX>, trace: Bool = false) -> [Decision] {
        var decisions: [Decision] = []
        let imageWidth = Int(pixGetWidth(binary)), imageHeight = Int(pixGetHeight(binary))
        for (index, word) in words.enumerated() where isCandidate(word.text) {
            guard let baseline = word.baseline, let em = emEstimate(around: index, in: words),
                  let ink = singleMark(in: word.box, of: binary, width: imageWidth, height: imageHeight, em: em)
            else { continue }
            let centreAbove = baseline - (Double(ink.y) + Double(ink.height) / 2)
            let w = Double(ink.width), h = Double(ink.height)
            // In em units of this estimate, measured on the generator's fonts (DejaVu Sans/Serif/
            // Condensed, Nimbus Sans, C059): middle dot 0.10–0.13 square (up to 0.16 in photos);
            // hyphen 0.22–0.26 (a blurred one 0.24 × 0.13, so the dot must be near square),
            // en dash 0.36–0.58, em dash 0.79–1.02 long; all centred 0.2–0.35 above the baseline.
            var reading: String?
            if centreAbove >= 0.12 * em, centreAbove <= 0.45 * em {
                if w / h >= 0.6, w / h <= 1.5, max(w, h) <= 0.18 * em {
                    reading = "·"
                } else if w / h >= 2.2, h <= 0.16 * em {
                    reading = w < 0.31 * em ? "-" : (w < 0.7 * em ? "–" : "—")
                }
            }
            if trace {
                let line = String(format: "glyph %@ em %.1f ink %dx%d above %.2f em: w %.2f h %.2f em -> %@\n",
                                  word.text, em, ink.width, ink.height, centreAbove / em, w / em, h / em, reading ?? "(kept)")
                FileHandle.standardError.write(Data(line.utf8))
            }
            if let reading, reading != word.text {
                decisions.append(Decision(index: index, from: word.text, to: reading))
            }
        }
        return decisions
    }

    /// Marks that speckle is read as when it stands alone: dots, commas, colons, ticks. Dashes,
    /// slashes and signs are not among them (a lone "-" or "/" is often real).
    private static let dotLikeScalars = Set(".,:;·•∙⋅'`´^°¨\"„“”‚‘’_~*".unicodeScalars)

    /// Whether `word` is one or two dot-like marks and nothing else.
    static func isLoneDotMark(_ word: String) -> Bool {
        let text = word.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 2 else { return false }
        return text.unicodeScalars.allSatisfy { dotLikeScalars.contains($0) }
    }

    /// The indices of `words` that are specks read as punctuation: a word of one or two dot-like
    /// marks ("·", ":", ";", ".") is kept only where its ink is really there at text size, next
    /// to text: its line has words of letters or digits (`emEstimate`), its box holds ink whose
    /// largest mark is at least `minimumMark` em (a full stop is ~0.1 em, a middle dot 0.10–0.16),
    /// and the nearest word on its line is within 1.5 em (a separator stands a space from its
    /// neighbours; a full stop or colon read apart, right after its word). No real text of the
    /// fixtures has a lone full stop, colon or semicolon; the middle dots of footers and
    /// letterheads pass all three tests.
    static func specks(words: [Word], binary: UnsafeMutablePointer<PIX>, trace: Bool = false) -> [Int] {
        let imageWidth = Int(pixGetWidth(binary)), imageHeight = Int(pixGetHeight(binary))
        var drops: [Int] = []
        for (index, word) in words.enumerated() where isLoneDotMark(word.text) {
            guard let em = emEstimate(around: index, in: words) else { drops.append(index); continue }
            let largest = largestMark(in: word.box, of: binary, width: imageWidth, height: imageHeight, em: em)
            var nearest = Int.max
            for other in words where other.line == word.line && !isLoneDotMark(other.text) {
                let gap = max(other.box.x - (word.box.x + word.box.width), word.box.x - (other.box.x + other.box.width), 0)
                nearest = min(nearest, gap)
            }
            let keep = largest >= minimumMark * em && Double(nearest) <= 1.5 * em
            if trace {
                let line = String(format: "speck? %@ em %.1f mark %.2f em nearest %.2f em -> %@\n",
                                  word.text, em, largest / em, Double(nearest) / em, keep ? "kept" : "dropped")
                FileHandle.standardError.write(Data(line.utf8))
            }
            if !keep { drops.append(index) }
        }
        return drops
    }

    /// Smallest largest side of a lone punctuation word's ink, in em of its line.
    static let minimumMark = 0.07

    /// The largest side of the largest mark inside `box` (0 for none; specks under 0.4% of an
    /// em squared not counted).
    private static func largestMark(
        in box: (x: Int, y: Int, width: Int, height: Int), of binary: UnsafeMutablePointer<PIX>,
        width: Int, height: Int, em: Double
    ) -> Double {
        let x0 = max(0, box.x - 1), y0 = max(0, box.y - 1)
        let x1 = min(width, box.x + box.width + 1), y1 = min(height, box.y + box.height + 1)
        guard x1 > x0, y1 > y0 else { return 0 }
        var clip = boxCreate(Int32(x0), Int32(y0), Int32(x1 - x0), Int32(y1 - y0))
        defer { boxDestroy(&clip) }
        var piece = pixClipRectangle(binary, clip, nil)
        defer { pixDestroy(&piece) }
        guard let piece else { return 0 }
        var found = pixConnCompBB(piece, 8)
        defer { boxaDestroy(&found) }
        guard let marks = found else { return 0 }
        var largest = 0.0
        for index in 0..<boxaGetCount(marks) {
            var x: Int32 = 0, y: Int32 = 0, w: Int32 = 0, h: Int32 = 0
            boxaGetBoxGeometry(marks, index, &x, &y, &w, &h)
            guard Double(w) * Double(h) >= 0.004 * em * em else { continue }
            largest = max(largest, Double(max(w, h)))
        }
        return largest
    }

    /// `text` without the words at `indices` (and the space before or after each); a line left
    /// empty goes with its line break. Nil when the words do not match the text.
    static func removing(_ indices: [Int], from text: String, words: [Word]) -> String? {
        guard !indices.isEmpty else { return text }
        let marker = "\u{FFFF}"
        let decisions = indices.map { Decision(index: $0, from: words[$0].text, to: marker) }
        guard let marked = apply(decisions, to: text, words: words) else { return nil }
        var lines: [String] = []
        for line in marked.components(separatedBy: "\n") {
            guard line.contains(marker) else { lines.append(line); continue }
            let kept = line.components(separatedBy: " ").filter { $0 != marker }
            let joined = kept.joined(separator: " ")
            if joined.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            lines.append(joined)
        }
        return lines.joined(separator: "\n")
    }

    /// The size of an em on the token's line: the mean width per character of the line's words
    /// of three or more letters or digits, over 0.5 (a typical Latin character's advance is about
    /// half an em). Nil when the line has no such word.
    static func emEstimate(around index: Int, in words: [Word]) -> Double? {
        let line = words[index].line
        var perCharacter: [Double] = []
        for word in words where word.line == line {
            let alphanumerics = word.text.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.count
            guard alphanumerics >= 3, alphanumerics >= word.text.count - 1 else { continue }
            perCharacter.append(Double(word.box.width) / Double(word.text.count))
        }
        guard !perCharacter.isEmpty else { return nil }
        perCharacter.sort()
        return perCharacter[perCharacter.count / 2] / 0.5
    }

    /// The one mark inside `box` (specks under 0.4% of an em squared ignored), nil for none or several.
    private static func singleMark(
        in box: (x: Int, y: Int, width: Int, height: Int), of binary: UnsafeMutablePointer<PIX>,
        width: Int, height: Int, em: Double
    ) -> (x: Int, y: Int, width: Int, height: Int)? {
        let x0 = max(0, box.x - 1), y0 = max(0, box.y - 1)
        let x1 = min(width, box.x + box.width + 1), y1 = min(height, box.y + box.height + 1)
        guard x1 > x0, y1 > y0 else { return nil }
        var clip = boxCreate(Int32(x0), Int32(y0), Int32(x1 - x0), Int32(y1 - y0))
        defer { boxDestroy(&clip) }
        var piece = pixClipRectangle(binary, clip, nil)
        defer { pixDestroy(&piece) }
        guard let piece else { return nil }
        var found8 = pixConnCompBB(piece, 8)
        defer { boxaDestroy(&found8) }
        guard let marks = found8 else { return nil }
        let minimumArea = 0.004 * em * em
        var found: (x: Int, y: Int, width: Int, height: Int)?
        for index in 0..<boxaGetCount(marks) {
            var x: Int32 = 0, y: Int32 = 0, w: Int32 = 0, h: Int32 = 0
            boxaGetBoxGeometry(marks, index, &x, &y, &w, &h)
            guard Double(w) * Double(h) >= minimumArea else { continue }
            if found != nil { return nil }
            found = (x0 + Int(x), y0 + Int(y), Int(w), Int(h))
        }
        return found
    }

    /// `text` with the decided tokens replaced. The page text holds the words in the iterator's
    /// order separated by white space; if a word is not where it should be, the text is left
    /// as it is (nil).
    static func apply(_ decisions: [Decision], to text: String, words: [Word]) -> String? {
        guard !decisions.isEmpty else { return text }
        let replacements = Dictionary(uniqueKeysWithValues: decisions.map { ($0.index, $0.to) })
        var output = ""
        output.reserveCapacity(text.utf8.count + 16)
        var position = text.startIndex
        for (index, word) in words.enumerated() {
            while position < text.endIndex, text[position].isWhitespace {
                output.append(text[position])
                position = text.index(after: position)
            }
            // Tesseract sometimes gives a word a leading or trailing space of its own.
            let token = word.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if token.isEmpty { continue }
            guard text[position...].hasPrefix(token) else { return nil }
            let end = text.index(position, offsetBy: token.count)
            output += replacements[index] ?? token
            position = end
        }
        output += text[position...]
        return output
    }
}

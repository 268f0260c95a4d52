import Foundation

/// Puts a letter's information block after the address beside it.
///
/// German letters are laid out by DIN 5008: the address field on the left, and beside it, on the
/// right, the information block ("Aktenzeichen: …", "Datum: …", "Telefon: …"). Tesseract reads
/// the page as one column (`PageSegmentation.singleColumn`, which keeps a form's label and value
/// on one line), so it runs across the gap and interleaves the two: "Frau Datum: 09.01.2025",
/// "Julia Becker Telefon: 0800 1546330". The name of the person and the date end up on one line,
/// and the address is broken up by the block's entries.
///
/// This finds such a side block from the words' positions and writes the lines beside it (and the
/// lines of the same block right under them) first, then the block's entries, each whole. It
/// only moves text that is clearly a side block: at least two lines whose right-hand part stands
/// far apart, starts at the same place in the right half of the page, in its upper half, and
/// begins with a label ("Datum:"); the left-hand part must not end in a colon (then the right-hand
/// part is its value, as in a form: "Kaltmiete:        450,00 EUR"). Next to such a run, the
/// block's heading ("Postbank Direkt-Service:") and a line whose left part is a stray mark go
/// with it. Everything else keeps Tesseract's order, character for character.
enum ReadingOrder {
    /// One word as read, with its line (reading order) and box in page pixels: the words the
    /// glyph repair measures, after its repairs.
    typealias Word = GlyphRepair.Word

    /// A text line of Tesseract's output and its words; `split` is the index of the first word of
    /// the right-hand part when the line runs across a side block's gap.
    private struct Line {
        var index: Int  // in the text's lines
        var words: [Word]
        var split: Int?
        var left: Int { words.first!.x }
        var top: Int { words.map(\.y).min()! }
        var height: Int { words.map { $0.y + $0.height }.max()! - top }
        func text(_ range: Range<Int>) -> String { words[range].map(\.text).joined(separator: " ") }
    }

    /// `text` with side blocks moved after the lines beside them, or nil when nothing moved (or the
    /// words do not match the text line by line, when nothing is touched).
    static func separatingSideBlocks(text: String, words: [Word], pageWidth: Int, pageHeight: Int) -> String? {
        guard pageWidth > 0, pageHeight > 0 else { return nil }
        var textLines = text.components(separatedBy: "\n")
        // The words of each text line, in order; every non-empty line of the text must be exactly
        // its words joined by spaces (as Tesseract writes them), else the text is left alone.
        var groups: [[Word]] = []
        for word in words where !word.text.trimmingCharacters(in: .whitespaces).isEmpty {
            if groups.isEmpty || groups[groups.count - 1][0].line != word.line { groups.append([]) }
            var trimmed = word
            trimmed.text = word.text.trimmingCharacters(in: .whitespaces)
            groups[groups.count - 1].append(trimmed)
        }
        var lines: [Line] = []
        var next = 0
        for (index, textLine) in textLines.enumerated() where !textLine.trimmingCharacters(in: .whitespaces).isEmpty {
            guard next < groups.count,
                  groups[next].map(\.text).joined(separator: " ") == textLine.trimmingCharacters(in: .whitespaces)
            else { return nil }
            lines.append(Line(index: index, words: groups[next], split: nil))
            next += 1
        }
        guard next == groups.count else { return nil }

        for i in lines.indices { lines[i].split = sideSplit(of: lines[i], pageWidth: pageWidth) }

        // Runs of split lines whose right-hand parts start at the same x; the left column goes on
        // below the run as long as lines start where its lines start and stay clear of the block.
        var moves: [(first: Int, last: Int, left: [String], right: [String])] = []
        var i = 0
        var consumed = -1  // the last line already moved
        while i < lines.count {
            guard let split = lines[i].split, lines[i].top < pageHeight / 2 else { i += 1; continue }
            let column = lines[i].words[split].x
            let height = lines[i].words.map(\.height).sorted()[lines[i].words.count / 2]
            let tolerance = max(2 * height, pageWidth / 60)
            var j = i
            var left = [lines[i].text(0..<split)], right = [lines[i].text(split..<lines[i].words.count)]
            var leftStart = lines[i].left
            var splitLines = 1
            var last = lines[i]
            while j + 1 < lines.count {
                let candidate = lines[j + 1]
                // Lines of the block follow closely; another line across the gap may come after a
                // little more paper (the sender's line above the address field, a blank line).
                let paper = candidate.top - (last.top + last.height), lineHeight = max(height, last.height)
                guard paper < 4 * lineHeight else { break }
                if let s = candidate.split ?? splitAt(column: column, tolerance: tolerance, in: candidate),
                   abs(candidate.words[s].x - column) <= tolerance,
                   abs(candidate.left - leftStart) <= tolerance || isStrayMark(candidate, before: s) {
                    left.append(candidate.text(0..<s))
                    right.append(candidate.text(s..<candidate.words.count))
                    splitLines += 1
                } else if paper > lineHeight {
                    break
                } else if candidate.split == nil, abs(candidate.left - column) <= tolerance {
                    right.append(candidate.text(0..<candidate.words.count))  // the block alone
                } else if candidate.split == nil, abs(candidate.left - leftStart) <= tolerance,
                          candidate.words.last!.right < column - tolerance {
                    left.append(candidate.text(0..<candidate.words.count))  // the address alone
                    leftStart = min(leftStart, candidate.left)
                } else {
                    break
                }
                last = candidate
                j += 1
            }
            do {
                // Lines above the run may reach across too, closer to the block than the widest-gap
                // test allows (a long sender's line over the address field, the block's heading):
                // taken where they have a part starting at the block's column with a label; lines
                // of the block alone just above it go with it.
                var first = i
                while first - 1 > consumed {
                    let above = lines[first - 1]
                    let paper = lines[first].top - (above.top + above.height), lineHeight = max(height, above.height)
                    if let s = splitAt(column: column, tolerance: tolerance, in: above),
                       abs(above.left - leftStart) <= tolerance || isStrayMark(above, before: s), paper < 4 * lineHeight {
                        left.insert(above.text(0..<s), at: 0)
                        right.insert(above.text(s..<above.words.count), at: 0)
                        splitLines += 1
                    } else if abs(above.left - column) <= tolerance, paper < 2 * lineHeight {
                        right.insert(above.text(0..<above.words.count), at: 0)
                    } else {
                        break
                    }
                    first -= 1
                }
                if splitLines >= 2 {
                    moves.append((lines[first].index, lines[j].index, left, right))
                    consumed = j
                }
            }
            i = j + 1
        }
        guard !moves.isEmpty else { return nil }
        for move in moves.reversed() {
            textLines.replaceSubrange(move.first...move.last, with: move.left + move.right)
        }
        return textLines.joined(separator: "\n")
    }

    /// Where a line next to a side block reaches across into it: the word starting at the block's
    /// `column` (within `tolerance`), with a text height of paper before it, a label within its
    /// part's first three words (or a heading of up to four words ending in one: "Postbank
    /// Direkt-Service:"), and no colon ending the part before.
    private static func splitAt(column: Int, tolerance: Int, in line: Line) -> Int? {
        guard let k = line.words.indices.dropFirst().first(where: { abs(line.words[$0].x - column) <= tolerance }) else { return nil }
        let height = line.words.map(\.height).sorted()[line.words.count / 2]
        guard line.words[k].x - line.words[k - 1].right > height, isLabelled(line, from: k, heading: true) else { return nil }
        return k
    }

    /// Whether the part of `line` from word `k` on starts with a word and has a label ("Datum:")
    /// within its first three words, with something after it (or, with `heading`, is a label of
    /// up to four words on its own); and the part before does not end with a colon.
    private static func isLabelled(_ line: Line, from k: Int, heading: Bool = false) -> Bool {
        guard !line.words[k - 1].text.hasSuffix(":"), line.words[k].text.first?.isLetter == true else { return false }
        if heading, line.words.count - k <= 4, let last = line.words.last, last.text.count >= 2, last.text.hasSuffix(":") {
            return true
        }
        guard let label = line.words[k...].prefix(3).firstIndex(where: { $0.text.count >= 2 && $0.text.hasSuffix(":") }) else { return false }
        return label < line.words.count - 1
    }

    /// Whether the part of `line` before word `k` is only a stray mark (a dot, a bullet, a speck
    /// read as "1" or "·" in the margin of the address field), not a line of the address.
    private static func isStrayMark(_ line: Line, before k: Int) -> Bool {
        k == 1 && line.words[0].text.count <= 1
    }

    /// Where a line runs across the gap to a side block: the widest gap between two words, if it
    /// is wider than a twelfth of the page (the address field and the information block of DIN
    /// 5008 stand at least 20 mm apart on a 210 mm page; words on a line, a few millimetres), the
    /// part after it starts in the right half of the page with a label ("Datum:", "Unser
    /// Zeichen:") within its first three words, and the part before it does not end in a colon.
    private static func sideSplit(of line: Line, pageWidth: Int) -> Int? {
        guard line.words.count >= 2 else { return nil }
        var widest = 0, at = 0
        for k in 1..<line.words.count {
            let gap = line.words[k].x - line.words[k - 1].right
            if gap > widest { (widest, at) = (gap, k) }
        }
        guard widest > pageWidth / 12, line.words[at].x > pageWidth * 45 / 100, isLabelled(line, from: at) else { return nil }
        return at
    }
}

extension GlyphRepair.Word {
    var x: Int { box.x }
    var y: Int { box.y }
    var height: Int { box.height }
    var right: Int { box.x + box.width }
}

import Foundation

/// A document's OCR text prepared once for classification, extraction and case matching.
///
/// Pages are separated by form feed (`\f`); each page break also ends a line.
struct DocumentText: Sendable {
    /// All lines, numbered from 1 across pages.
    let lines: [FoldedLine]
    /// Page number (from 1) of each line, same indices as `lines`.
    let pageOfLine: [Int]
    /// Folded lines joined by `\n`; configured patterns run on this.
    let folded: String
    /// UTF-16 offset in `folded` where each line starts.
    private let foldedLineStarts: [Int]
    /// Folded text without whitespace and hyphens; phrases are searched in this.
    let compact: String
    /// UTF-8 offset in `compact` where each line starts.
    private let compactLineStarts: [Int]

    /// Longest text examined (characters); longer input is cut to keep analysis bounded.
    static let maximumLength = 200_000

    init(_ text: String) {
        let bounded = text.count > Self.maximumLength ? String(text.prefix(Self.maximumLength)) : text
        var lines: [FoldedLine] = []
        var pages: [Int] = []
        var page = 1
        var current = ""
        func finishLine() {
            lines.append(FoldedLine(number: lines.count + 1, raw: current))
            pages.append(page)
            current = ""
        }
        for character in bounded {
            switch character {
            case "\n", "\r\n", "\r":
                finishLine()
            case "\u{0C}":
                finishLine()
                page += 1
            default:
                current.append(character)
            }
        }
        finishLine()

        var folded = ""
        var foldedStarts: [Int] = []
        var compact = ""
        var compactStarts: [Int] = []
        var foldedLength = 0
        for line in lines {
            foldedStarts.append(foldedLength)
            let lineText = line.foldedString
            folded += lineText
            folded += "\n"
            foldedLength += lineText.utf16.count + 1
            compactStarts.append(compact.utf8.count)
            compact += TextFolding.compact(line.raw)
        }
        self.lines = lines
        self.pageOfLine = pages
        self.folded = folded
        self.foldedLineStarts = foldedStarts
        self.compact = compact
        self.compactLineStarts = compactStarts
    }

    /// Line number (from 1) containing the UTF-16 offset `offset` of `folded`.
    func lineNumber(forFoldedOffset offset: Int) -> Int {
        Self.lastIndex(in: foldedLineStarts, notAfter: offset) + 1
    }

    /// Line number (from 1) containing the UTF-8 offset `offset` of `compact`.
    func lineNumber(forCompactOffset offset: Int) -> Int {
        Self.lastIndex(in: compactLineStarts, notAfter: offset) + 1
    }

    private static func lastIndex(in starts: [Int], notAfter offset: Int) -> Int {
        var low = 0
        var high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return max(0, low)
    }
}

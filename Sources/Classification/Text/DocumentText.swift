import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A document's OCR text prepared once for classification, extraction and case matching.
///
/// Pages are separated by form feed (`\f`); each page break also ends a line.
struct DocumentText: Sendable {
    /// All lines, numbered from 1 across pages.
    let lines: [FoldedLine]
    /// Page number (from 1) of each line, same indices as `lines`.
    let pageOfLine: [Int]
    /// Raw lines joined by `\n`; case number patterns run on this.
    let raw: String
    /// UTF-16 offset in `raw` where each line starts.
    private let rawLineStarts: [Int]
    /// Folded lines joined by `\n`; configured patterns run on this.
    let folded: String
    /// UTF-16 offset in `folded` where each line starts.
    private let foldedLineStarts: [Int]
    /// Folded text without whitespace and hyphens; phrases are searched in this.
    let compact: String
    /// UTF-8 bytes of `compact`, searched with `memmem`.
    private let compactBytes: [UInt8]
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
        var lastWasNewline = false
        func finishLine() {
            lines.append(FoldedLine(number: lines.count + 1, raw: current))
            pages.append(page)
            current = ""
        }
        for character in bounded {
            switch character {
            case "\n", "\r\n", "\r":
                finishLine()
                lastWasNewline = true
                continue
            case "\u{0C}":
                // Tesseract ends a page with "\n\f": that is one line break, not two.
                if !(lastWasNewline && current.isEmpty) { finishLine() }
                page += 1
            default:
                current.append(character)
            }
            lastWasNewline = false
        }
        finishLine()

        var raw = ""
        var rawStarts: [Int] = []
        var rawLength = 0
        var folded = ""
        var foldedStarts: [Int] = []
        var compact = ""
        var compactStarts: [Int] = []
        var foldedLength = 0
        for line in lines {
            rawStarts.append(rawLength)
            raw += line.raw
            raw += "\n"
            rawLength += line.raw.utf16.count + 1
            foldedStarts.append(foldedLength)
            let lineText = line.foldedString
            folded += lineText
            folded += "\n"
            foldedLength += lineText.utf16.count + 1
            compactStarts.append(compact.utf8.count)
            compact += String(line.folded.filter { $0 != " " && $0 != "-" && $0 != "\u{00AD}" })
        }
        self.lines = lines
        self.raw = raw
        self.rawLineStarts = rawStarts
        self.pageOfLine = pages
        self.folded = folded
        self.foldedLineStarts = foldedStarts
        self.compact = compact
        self.compactBytes = Array(compact.utf8)
        self.compactLineStarts = compactStarts
    }

    /// UTF-8 offset of the first occurrence of `needle` in `compact` (`memchr` for the
    /// first byte, `memcmp` for the rest: fast even in debug builds).
    func compactOffset(of needle: [UInt8]) -> Int? {
        guard let first = needle.first, needle.count <= compactBytes.count else { return nil }
        return compactBytes.withUnsafeBytes { haystack -> Int? in
            needle.withUnsafeBytes { pattern -> Int? in
                guard let base = haystack.baseAddress, let patternBase = pattern.baseAddress else { return nil }
                var start = 0
                let lastStart = haystack.count - pattern.count
                while start <= lastStart {
                    guard let hit = memchr(base + start, Int32(first), lastStart - start + 1) else { return nil }
                    let offset = UnsafeRawPointer(hit) - base
                    if memcmp(base + offset, patternBase, pattern.count) == 0 { return offset }
                    start = offset + 1
                }
                return nil
            }
        }
    }

    /// Line number (from 1) containing the UTF-16 offset `offset` of `raw`.
    func lineNumber(forRawOffset offset: Int) -> Int {
        Self.lastIndex(in: rawLineStarts, notAfter: offset) + 1
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

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
    /// UTF-8 bytes of `compact` plus a terminating NUL, searched with `strstr`.
    private let compactBytes: [UInt8]
    /// UTF-8 offset in `compact` where each line starts.
    private let compactLineStarts: [Int]

    /// Longest text examined (characters); longer input is cut to keep analysis bounded.
    static let maximumLength = 200_000
    /// Longest line examined (characters); a printed A4 line has fewer than 200.
    static let maximumLineLength = 1_000

    init(_ text: String) {
        let bounded = text.count > Self.maximumLength ? String(text.prefix(Self.maximumLength)) : text
        var lines: [FoldedLine] = []
        var pages: [Int] = []
        var page = 1
        var current = ""
        var lastWasNewline = false
        func finishLine() {
            // A line longer than any printed line is noise (or an attack): keep its start.
            if current.utf8.count > Self.maximumLineLength { current = String(current.prefix(Self.maximumLineLength)) }
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
            case "\u{0}":
                continue
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
        // NUL-terminated for strstr; a NUL inside OCR text is dropped.
        self.compactBytes = compact.utf8.filter { $0 != 0 } + [0]
        self.compactLineStarts = compactStarts
    }

    /// UTF-8 offset of the first occurrence of `needle` in `compact` at or after `origin`
    /// (C `strstr`: linear and vectorised, fast even in debug builds).
    func compactOffset(of needle: [UInt8], from origin: Int = 0) -> Int? {
        guard !needle.isEmpty, origin >= 0, needle.count <= compactBytes.count - 1 - origin else { return nil }
        let terminated = needle.contains(0) ? needle.filter { $0 != 0 } + [0] : needle + [0]
        return compactBytes.withUnsafeBufferPointer { haystack -> Int? in
            terminated.withUnsafeBufferPointer { pattern -> Int? in
                guard let base = haystack.baseAddress, let patternBase = pattern.baseAddress else { return nil }
                let start = UnsafeRawPointer(base + origin).assumingMemoryBound(to: CChar.self)
                let wanted = UnsafeRawPointer(patternBase).assumingMemoryBound(to: CChar.self)
                guard let found = strstr(start, wanted) else { return nil }
                return UnsafeRawPointer(found) - UnsafeRawPointer(base)
            }
        }
    }

    /// Phrases at least this long (bytes) are also found with one OCR error.
    static let fuzzyPhraseMinimumLength = 10

    /// First place in `compact` where `needle` stands with at most one insertion, deletion
    /// or substitution. One half of the needle must be intact (pigeonhole), so only
    /// places where a half occurs are compared: fast on any text.
    func fuzzyCompactMatch(of needle: [UInt8]) -> (offset: Int, length: Int)? {
        guard needle.count >= Self.fuzzyPhraseMinimumLength else { return nil }
        let half = needle.count / 2
        let head = Array(needle[..<half])
        let tail = Array(needle[half...])
        var best: (offset: Int, length: Int)?
        func consider(start: Int, length: Int) {
            guard start >= 0, length > 0, start + length <= compactBytes.count - 1 else { return }
            if let best, best.offset <= start { return }
            if EditDistance.isWithinOne(compactBytes[start..<(start + length)], needle[...]) {
                best = (start, length)
            }
        }
        var occurrences = 0
        var from = 0
        while occurrences < 64, let position = compactOffset(of: head, from: from) {
            for length in [needle.count, needle.count - 1, needle.count + 1] { consider(start: position, length: length) }
            occurrences += 1
            from = position + 1
        }
        occurrences = 0
        from = 0
        while occurrences < 64, let position = compactOffset(of: tail, from: from) {
            let end = position + tail.count
            for length in [needle.count, needle.count - 1, needle.count + 1] { consider(start: end - length, length: length) }
            occurrences += 1
            from = position + 1
        }
        return best
    }

    /// Text of `compact` at a UTF-8 range, for explanations.
    func compactText(offset: Int, length: Int) -> String {
        String(decoding: compactBytes[offset..<min(compactBytes.count - 1, offset + length)], as: UTF8.self)
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

/// The document's lines as extraction numbers them (`ExtractedField.line` counts in this
/// list from 1): each line's text and the page (from 1) it stands on.
public enum DocumentLines {
    public static func of(_ text: String) -> [(page: Int, text: String)] {
        let document = DocumentText(text)
        return zip(document.pageOfLine, document.lines).map { ($0, $1.raw) }
    }
}

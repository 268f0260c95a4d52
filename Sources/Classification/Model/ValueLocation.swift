import Foundation

/// One value of a field type in a document, with what surrounds it: the words before it on its
/// line (or in the cell above it), the words after it, and its place on the page. The learner
/// describes corrected values this way, the finder compares candidates with what it learned.
struct ValueLocation {
    var value: ParsedValue
    /// Line number (from 1, across pages).
    var line: Int
    /// Up to `labelWordCount` folded words before the value, after any earlier figure on the line;
    /// when there are none, those of the cell above (`above`).
    var label: [String]
    /// The label's text as printed.
    var labelText: String
    var above: Bool
    /// Up to two folded words after the value, before any further figure.
    var neighbours: [String]
    var lineShare: Double
    var columnShare: Double

    /// A signature of where the value stands, for grouping agreeing examples.
    var signature: String {
        label.isEmpty ? "position" : (above ? "above:" : "line:") + label.joined(separator: " ")
    }
}

/// Describes a document's values and layout for the field location learner.
enum ValueLocator {
    /// Label words kept before a value.
    static let labelWordCount = 3
    /// Non-empty lines of the first page whose words identify the layout.
    static let headerLineCount = 6

    /// Folded words of at least four letters in the first non-empty lines of the first page:
    /// letterhead, sender, title.
    static func layoutWords(_ document: DocumentText) -> Set<String> {
        var words = Set<String>()
        var seen = 0
        for (index, line) in document.lines.enumerated() where document.pageOfLine[index] == 1 && !line.folded.isEmpty {
            for word in Self.words(line.foldedText) where word.count >= 4 { words.insert(word) }
            seen += 1
            if seen == headerLineCount { break }
        }
        return words
    }

    /// Letter words of folded text (digits and punctuation separate words).
    static func words(_ folded: String) -> [String] {
        folded.split { !$0.isLetter }.map(String.init).filter { $0.count >= 2 }
    }

    /// Every value of `type` in the document with its surroundings.
    static func locations(of type: FieldType, in document: DocumentText) -> [ValueLocation] {
        let pages = pageGeometry(document)
        var found: [ValueLocation] = []
        for (index, line) in document.lines.enumerated() {
            let matches = ValueFinder.all(type, in: line.raw)
            guard !matches.isEmpty else { continue }
            let geometry = pages[document.pageOfLine[index]] ?? PageGeometry(first: index, count: 1, width: 1)
            for match in matches {
                found.append(location(of: match, lineIndex: index, in: document, geometry: geometry))
            }
        }
        return found
    }

    struct PageGeometry {
        var first: Int
        var count: Int
        /// Longest line of the page (UTF-16 units).
        var width: Int
    }

    static func pageGeometry(_ document: DocumentText) -> [Int: PageGeometry] {
        var pages: [Int: PageGeometry] = [:]
        for (index, line) in document.lines.enumerated() {
            let page = document.pageOfLine[index]
            var geometry = pages[page] ?? PageGeometry(first: index, count: 0, width: 1)
            geometry.count += 1
            geometry.width = max(geometry.width, line.raw.utf16.count)
            pages[page] = geometry
        }
        return pages
    }

    private static func location(of match: ValueMatch, lineIndex: Int, in document: DocumentText, geometry: PageGeometry)
        -> ValueLocation
    {
        let line = document.lines[lineIndex]
        let units = Array(line.raw.utf16)
        let start = min(match.range.lowerBound, units.count)
        let end = min(match.range.upperBound, units.count)
        let before = String(decoding: units[..<start], as: UTF16.self)
        let after = String(decoding: units[end...], as: UTF16.self)
        // Words before the value, after the last figure before it (a table row's earlier cell).
        let ownLabel = afterLastFigure(before)
        var label = Array(words(TextFolding.fold(ownLabel)).suffix(labelWordCount))
        var labelText = ownLabel.trimmingCharacters(in: .whitespaces)
        var above = false
        if label.isEmpty, let cell = cellAbove(lineIndex: lineIndex, column: start, in: document) {
            label = Array(words(TextFolding.fold(cell)).suffix(labelWordCount))
            labelText = cell.trimmingCharacters(in: .whitespaces)
            above = !label.isEmpty
        }
        if label.isEmpty { labelText = "" }
        let neighbours = Array(words(TextFolding.fold(beforeFirstFigure(after))).prefix(2))
        let lineShare = geometry.count > 1 ? Double(lineIndex - geometry.first) / Double(geometry.count - 1) : 0
        let columnShare = min(1, Double(start) / Double(max(geometry.width, 1)))
        return ValueLocation(
            value: match.value, line: line.number, label: label, labelText: labelText, above: above, neighbours: neighbours,
            lineShare: lineShare, columnShare: columnShare)
    }

    /// The text after the last digit of `text` (all of it when it has none).
    private static func afterLastFigure(_ text: String) -> String {
        guard let last = text.lastIndex(where: \.isNumber) else { return text }
        return String(text[text.index(after: last)...])
    }

    private static func beforeFirstFigure(_ text: String) -> String {
        guard let first = text.firstIndex(where: \.isNumber) else { return text }
        return String(text[..<first])
    }

    /// The cell of the nearest non-empty line above (same page) whose start is nearest to
    /// `column`; cells are separated by two or more spaces. Nil when that cell holds a figure
    /// (a row of values, not of labels).
    private static func cellAbove(lineIndex: Int, column: Int, in document: DocumentText) -> String? {
        var index = lineIndex - 1
        while index >= 0, document.pageOfLine[index] == document.pageOfLine[lineIndex] {
            let raw = document.lines[index].raw
            if raw.trimmingCharacters(in: .whitespaces).isEmpty {
                index -= 1
                continue
            }
            let cells = self.cells(raw)
            guard let nearest = cells.min(by: { abs($0.start - column) < abs($1.start - column) }) else { return nil }
            return nearest.text.contains(where: \.isNumber) ? nil : nearest.text
        }
        return nil
    }

    /// Pieces of a line separated by runs of two or more spaces (or tabs), with their UTF-16 start.
    static func cells(_ raw: String) -> [(start: Int, text: String)] {
        var cells: [(start: Int, text: String)] = []
        var current = ""
        var currentStart = 0
        var spaces = 0
        var offset = 0
        for character in raw {
            let width = character.utf16.count
            defer { offset += width }
            if character == " " || character == "\t" || character == "\u{00A0}" {
                spaces += character == "\t" ? 2 : 1
                continue
            }
            if spaces >= 2 || current.isEmpty {
                if !current.isEmpty { cells.append((currentStart, current)) }
                current = ""
                currentStart = offset
            } else if spaces == 1 {
                current.append(" ")
            }
            spaces = 0
            current.append(character)
        }
        if !current.isEmpty { cells.append((currentStart, current)) }
        return cells
    }
}

import Foundation

/// Free-text values: trimmed of the separators that follow a label and of the marks OCR
/// makes of table rules and logos (`|`, `—`, `=`), single spaces.
public enum TextValue {
    /// Characters stripped from both ends: label separators, OCR'd ruling lines and stray marks.
    static let edgeJunk: Set<Character> = [":", "-", "–", "—", "|", "=", "_", "~", "«", "»", "“", "”", "\"", "'", ";", ",", "·", "•", "®", "©", ">", "<", "&"]

    /// `text` without leading and trailing separators and marks, inner whitespace collapsed;
    /// nil when no letter or digit is left.
    public static func normalize(_ text: String) -> String? {
        var words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        // Whole words that are only marks (a ruling line read as "|" or "—") go first.
        while let first = words.first, first.allSatisfy({ edgeJunk.contains($0) || $0 == "." }) { words.removeFirst() }
        while let last = words.last, last != ":", last.allSatisfy({ edgeJunk.contains($0) || $0 == "." }) { words.removeLast() }
        guard !words.isEmpty else { return nil }
        var joined = words.joined(separator: " ")
        while let first = joined.first, edgeJunk.contains(first) { joined.removeFirst() }
        // A trailing colon stays: a "value" ending in one is the next label, which callers refuse.
        while let last = joined.last, last != ":", edgeJunk.contains(last) { joined.removeLast() }
        joined = joined.trimmingCharacters(in: .whitespaces)
        guard joined.contains(where: { $0.isLetter || $0.isNumber }) else { return nil }
        return joined
    }
}

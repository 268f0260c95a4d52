import Foundation

/// A reader of one kind of value (amounts, dates, …) in a line of text. Each kind finds all
/// its matches in one pass; the lookups below are shared.
public protocol ValueScanner {
    /// Every value of this kind in `text`, in order of position.
    static func allMatches(in text: String) -> [ValueMatch]
}

extension ValueScanner {
    /// The first value in `text`.
    public static func first(in text: String) -> ParsedValue? { firstMatch(in: text)?.value }

    /// Parses `text` when it is such a value and nothing else (surrounding spaces allowed).
    public static func parse(_ text: String) -> ParsedValue? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let match = firstMatch(in: trimmed), match.range == 0..<trimmed.utf16.count else { return nil }
        return match.value
    }

    /// The first value starting at or after UTF-16 offset `start`.
    static func firstMatch(in text: String, from start: Int = 0) -> ValueMatch? {
        allMatches(in: text).first { $0.range.lowerBound >= start }
    }
}

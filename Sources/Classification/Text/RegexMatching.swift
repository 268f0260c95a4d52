import Foundation

/// Thin, offset-based access to `NSRegularExpression` (Sendable, ICU-backed, and much
/// faster than `Regex` built from strings at run time).
extension NSRegularExpression {
    /// Builds a regex from a pattern known to be valid at compile time.
    static func fixed(_ pattern: String, caseInsensitive: Bool = true) -> NSRegularExpression {
        do {
            return try NSRegularExpression(
                pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
        } catch {
            preconditionFailure("built-in pattern does not compile: \(pattern): \(error)")
        }
    }

    /// All matches in `text` from UTF-16 offset `start`.
    func matches(in text: String, from start: Int = 0) -> [NSTextCheckingResult] {
        let length = text.utf16.count
        guard start <= length else { return [] }
        return matches(in: text, range: NSRange(location: start, length: length - start))
    }

    /// First match in `text` from UTF-16 offset `start`.
    func firstMatch(in text: String, from start: Int = 0) -> NSTextCheckingResult? {
        let length = text.utf16.count
        guard start <= length else { return nil }
        return firstMatch(in: text, range: NSRange(location: start, length: length - start))
    }
}

extension String {
    /// The substring at an `NSRange` (UTF-16), or nil when the group did not take part.
    func substring(_ range: NSRange) -> String? {
        guard range.location != NSNotFound, let swiftRange = Range(range, in: self) else { return nil }
        return String(self[swiftRange])
    }
}

extension NSTextCheckingResult {
    /// Text of capture group `index`, or nil when it did not take part in the match.
    func group(_ index: Int, in text: String) -> String? {
        guard index < numberOfRanges else { return nil }
        return text.substring(range(at: index))
    }

    /// Text of the named capture group, or nil when it did not take part.
    func group(_ name: String, in text: String) -> String? {
        text.substring(range(withName: name))
    }

    /// The whole match as a half-open range of UTF-16 offsets.
    var offsets: Range<Int> { range.location..<(range.location + range.length) }
}

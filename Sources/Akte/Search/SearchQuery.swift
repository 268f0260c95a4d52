import Foundation

/// Turns what a person typed into a safe FTS5 query.
///
/// FTS5 has its own syntax (`AND`, `OR`, `NOT`, `NEAR`, quotes, parentheses, `column:`,
/// `^`, `*`); typed into a MATCH as is, `"foo AND (` is a syntax error and `text:x OR y` widens
/// the search. So the input is cut into words (letters and digits, as the `unicode61` tokenizer
/// cuts them), each whitespace-separated chunk becomes one quoted phrase, and all phrases must
/// match. A chunk ending in `*` searches its last word as a prefix (`Miet*`). Nothing the person
/// types is ever FTS syntax.
struct SearchQuery: Equatable {
    /// The FTS5 MATCH expression; nil when the input holds no word at all.
    let matchExpression: String?

    init(_ input: String) {
        var phrases: [String] = []
        for chunk in input.split(whereSeparator: { $0.isWhitespace }) {
            let words = Self.words(in: chunk)
            guard !words.isEmpty else { continue }
            let phrase = "\"" + words.joined(separator: " ").replacingOccurrences(of: "\"", with: "\"\"") + "\""
            phrases.append(chunk.hasSuffix("*") ? phrase + " *" : phrase)
        }
        matchExpression = phrases.isEmpty ? nil : phrases.joined(separator: " ")
    }

    private static func words(in chunk: Substring) -> [String] {
        var words: [String] = []
        var current = ""
        for character in chunk {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}

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
    /// The same search for PostgreSQL, one entry per chunk, all of which must match: a plain
    /// chunk goes as typed to `phraseto_tsquery` (which has no syntax, and parses numbers such
    /// as `2.345,67` as the documents' text was parsed); a chunk ending in `*` becomes a
    /// `to_tsquery` of its words in a row (`<->`), the last a prefix (`:*`). Those words hold
    /// only letters and digits, so nothing typed is tsquery syntax.
    let postgresChunks: [PostgresChunk]

    struct PostgresChunk: Equatable {
        /// Plain text for `phraseto_tsquery`, or a `to_tsquery` expression when `isPrefix`.
        let query: String
        let isPrefix: Bool
    }

    init(_ input: String) {
        var phrases: [String] = []
        var chunks: [PostgresChunk] = []
        for chunk in input.split(whereSeparator: { $0.isWhitespace }) {
            let words = Self.words(in: chunk)
            guard !words.isEmpty else { continue }
            let phrase = "\"" + words.joined(separator: " ").replacingOccurrences(of: "\"", with: "\"\"") + "\""
            phrases.append(chunk.hasSuffix("*") ? phrase + " *" : phrase)
            if chunk.hasSuffix("*") {
                chunks.append(PostgresChunk(query: words.map { "'\($0)'" }.joined(separator: " <-> ") + ":*", isPrefix: true))
            } else {
                chunks.append(PostgresChunk(query: String(chunk), isPrefix: false))
            }
        }
        matchExpression = phrases.isEmpty ? nil : phrases.joined(separator: " ")
        postgresChunks = chunks
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

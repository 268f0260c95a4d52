import Foundation

/// Finds registered persons' names in a document: surname and first name as whole words
/// near each other (within three words), umlaut-tolerant (Müller = Mueller = Muller) and,
/// for names of at least `ocrToleranceMinimumLength` letters, tolerant of one OCR error.
struct PersonNameFinder {
    struct Token {
        var expanded: String
        var base: String
        var line: Int
    }

    /// A person whose name stands in the text, with the line of the surname.
    struct Hit {
        var person: RegisteredPerson
        var line: Int
    }

    let tokens: [Token]
    let toleranceMinimumLength: Int
    /// Words allowed between surname and first name ("Müller, Frau Anna").
    static let window = 3

    init(document: DocumentText, toleranceMinimumLength: Int) {
        var tokens: [Token] = []
        for line in document.lines {
            for word in line.raw.split(whereSeparator: { !$0.isLetter }) where !word.isEmpty {
                tokens.append(Token(expanded: TextFolding.fold(word), base: TextFolding.foldToBaseLetters(word), line: line.number))
            }
        }
        self.tokens = tokens
        self.toleranceMinimumLength = toleranceMinimumLength
    }

    func hits(for persons: [RegisteredPerson]) -> [Hit] {
        var surnameCache: [String: [Int]] = [:]
        var hits: [Hit] = []
        for person in persons {
            let surname = Self.words(person.nachname)
            let firstName = Self.words(person.vorname)
            guard !surname.isEmpty, !firstName.isEmpty else { continue }
            let key = surname.map(\.expanded).joined(separator: " ")
            let starts = surnameCache[key] ?? positions(of: surname)
            surnameCache[key] = starts
            for start in starts {
                let low = max(0, start - Self.window - firstName.count)
                let high = min(tokens.count, start + surname.count + Self.window + firstName.count)
                let nearby = positions(of: firstName, in: low..<high).filter { candidate in
                    candidate + firstName.count <= start || candidate >= start + surname.count
                }
                if !nearby.isEmpty {
                    hits.append(Hit(person: person, line: tokens[start].line))
                    break
                }
            }
        }
        return hits
    }

    static func words(_ name: String) -> [(expanded: String, base: String)] {
        name.split(whereSeparator: { !$0.isLetter }).map { (TextFolding.fold($0), TextFolding.foldToBaseLetters($0)) }
    }

    private func positions(of name: [(expanded: String, base: String)], in range: Range<Int>? = nil) -> [Int] {
        let range = range ?? 0..<tokens.count
        guard range.count >= name.count else { return [] }
        var found: [Int] = []
        for start in range.lowerBound...(range.upperBound - name.count)
        where name.indices.allSatisfy({ matches(tokens[start + $0], name[$0]) }) {
            found.append(start)
        }
        return found
    }

    private func matches(_ token: Token, _ word: (expanded: String, base: String)) -> Bool {
        if token.expanded == word.expanded || token.base == word.base { return true }
        guard word.base.count >= toleranceMinimumLength, abs(token.base.count - word.base.count) <= 2 else { return false }
        return EditDistance.isWithinOne(token.expanded, word.expanded) || EditDistance.isWithinOne(token.base, word.base)
    }
}

import Foundation

/// Finds registered persons' names in a document: surname and first name as whole words
/// near each other (within three words), umlaut-tolerant (Müller = Mueller = Muller) and,
/// for capitalised words and names of at least `ocrToleranceMinimumLength` letters,
/// tolerant of one OCR error.
struct PersonNameFinder {
    struct Token {
        var expanded: String
        var base: String
        var line: Int
        /// Capitalised in the text, as names are; only such words get OCR tolerance.
        var capitalised: Bool
    }

    /// A person whose name stands in the text, with the line of the surname.
    struct Hit {
        var person: RegisteredPerson
        var line: Int
    }

    let tokens: [Token]
    let toleranceMinimumLength: Int
    /// Folded word (either form) → positions of tokens with that form.
    private let positionsByWord: [String: [Int]]
    /// One-letter deletions of distinct capitalised words (and the words themselves) →
    /// those words: finds every word within one edit of a name without scanning the text.
    private let wordsByDeletion: [String: Set<String>]

    /// Words allowed between surname and first name ("Müller, Frau Anna").
    static let window = 3

    init(document: DocumentText, toleranceMinimumLength: Int) {
        var tokens: [Token] = []
        var positionsByWord: [String: [Int]] = [:]
        var fuzzyWords = Set<String>()
        for line in document.lines {
            for word in line.raw.split(whereSeparator: { !$0.isLetter }) where !word.isEmpty {
                let forms = Self.forms(word)
                let capitalised = word.first?.isUppercase ?? false
                positionsByWord[forms.expanded, default: []].append(tokens.count)
                if forms.base != forms.expanded { positionsByWord[forms.base, default: []].append(tokens.count) }
                if capitalised, forms.base.count >= toleranceMinimumLength - 1 {
                    fuzzyWords.insert(forms.expanded)
                    fuzzyWords.insert(forms.base)
                }
                tokens.append(Token(expanded: forms.expanded, base: forms.base, line: line.number, capitalised: capitalised))
            }
        }
        var wordsByDeletion: [String: Set<String>] = [:]
        for word in fuzzyWords {
            wordsByDeletion[word, default: []].insert(word)
            for deletion in Self.deletions(word) { wordsByDeletion[deletion, default: []].insert(word) }
        }
        self.tokens = tokens
        self.toleranceMinimumLength = toleranceMinimumLength
        self.positionsByWord = positionsByWord
        self.wordsByDeletion = wordsByDeletion
    }

    /// Umlauts spelled out and reduced to base letters; ASCII words skip the slow path.
    static func forms(_ word: some StringProtocol) -> (expanded: String, base: String) {
        if word.utf8.allSatisfy({ $0 < 128 }) {
            let lower = word.lowercased()
            return (lower, lower)
        }
        return (TextFolding.fold(word), TextFolding.foldToBaseLetters(word))
    }

    /// The word with one letter removed, at every position.
    static func deletions(_ word: String) -> [String] {
        let characters = Array(word)
        guard characters.count > 1 else { return [] }
        return characters.indices.map { skip in
            var copy = characters
            copy.remove(at: skip)
            return String(copy)
        }
    }

    /// Positions of tokens that may match `word` (verified by `matches`).
    private func candidatePositions(_ word: (expanded: String, base: String)) -> Set<Int> {
        var words: Set<String> = [word.expanded, word.base]
        if word.base.count >= toleranceMinimumLength {
            for key in [word.expanded, word.base] + Self.deletions(word.expanded) + Self.deletions(word.base) {
                words.formUnion(wordsByDeletion[key] ?? [])
            }
        }
        var positions = Set<Int>()
        for word in words { positions.formUnion(positionsByWord[word] ?? []) }
        return positions
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
            guard !starts.isEmpty else { continue }
            // Both lists are computed once per person and sorted: linear in the text.
            let firstNameStarts = positions(of: firstName)
            for start in starts {
                let low = max(0, start - Self.window - firstName.count)
                let high = min(tokens.count, start + surname.count + Self.window + firstName.count)
                let from = Self.firstIndex(in: firstNameStarts, notBelow: low)
                let nearby = firstNameStarts[from...].prefix { $0 + firstName.count <= high }.filter { candidate in
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

    /// Index of the first element of sorted `values` that is at least `bound`.
    static func firstIndex(in values: [Int], notBelow bound: Int) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < bound { low = middle + 1 } else { high = middle }
        }
        return low
    }

    static func words(_ name: String) -> [(expanded: String, base: String)] {
        name.split(whereSeparator: { !$0.isLetter }).map { forms($0) }
    }

    /// Start positions where the words of `name` stand one after another.
    private func positions(of name: [(expanded: String, base: String)], in range: Range<Int>? = nil) -> [Int] {
        let range = range ?? 0..<tokens.count
        guard let first = name.first, range.count >= name.count else { return [] }
        return candidatePositions(first).filter { start in
            range.contains(start) && start + name.count <= range.upperBound
                && name.indices.allSatisfy { matches(tokens[start + $0], name[$0]) }
        }.sorted()
    }

    private func matches(_ token: Token, _ word: (expanded: String, base: String)) -> Bool {
        if token.expanded == word.expanded || token.base == word.base { return true }
        guard word.base.count >= toleranceMinimumLength, abs(token.base.count - word.base.count) <= 2 else { return false }
        return EditDistance.isWithinOne(token.expanded, word.expanded) || EditDistance.isWithinOne(token.base, word.base)
    }
}

import Foundation

/// Which features the learned classifier reads from a document's text. Stored in the model
/// file, so a model is always applied with the settings it was trained with.
public struct FeatureSettings: Sendable, Codable, Equatable {
    /// Words (folded: lower case, umlauts spelled out, digits as `0`), `w:miete`.
    public var wordUnigrams: Bool
    /// Neighbouring word pairs, `b:gesamt_miete`.
    public var wordBigrams: Bool
    /// Character n-grams inside words (with `_` marking the word's edges), `c:_mie`.
    public var characterNGramLengths: ClosedRange<Int>
    /// A feature must occur in at least this many training documents.
    public var minimumDocumentFrequency: Int
    /// At most this many features are kept (the most class-discriminating ones).
    public var maximumFeatures: Int

    public init(
        wordUnigrams: Bool = true, wordBigrams: Bool = true, characterNGramLengths: ClosedRange<Int> = 3...5,
        minimumDocumentFrequency: Int = 2, maximumFeatures: Int = 3000
    ) {
        self.wordUnigrams = wordUnigrams
        self.wordBigrams = wordBigrams
        self.characterNGramLengths = characterNGramLengths
        self.minimumDocumentFrequency = minimumDocumentFrequency
        self.maximumFeatures = maximumFeatures
    }

    enum CodingKeys: String, CodingKey {
        case wordUnigrams = "word_unigrams"
        case wordBigrams = "word_bigrams"
        case characterNGramMinimum = "char_ngram_min"
        case characterNGramMaximum = "char_ngram_max"
        case minimumDocumentFrequency = "min_document_frequency"
        case maximumFeatures = "max_features"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        wordUnigrams = try c.decode(Bool.self, forKey: .wordUnigrams)
        wordBigrams = try c.decode(Bool.self, forKey: .wordBigrams)
        let low = try c.decode(Int.self, forKey: .characterNGramMinimum)
        let high = try c.decode(Int.self, forKey: .characterNGramMaximum)
        guard low >= 1, low <= high, high <= 8 else {
            throw DecodingError.dataCorruptedError(
                forKey: .characterNGramMaximum, in: c,
                debugDescription: "char_ngram_min/max must satisfy 1 <= min <= max <= 8 (found \(low), \(high))")
        }
        characterNGramLengths = low...high
        minimumDocumentFrequency = try c.decode(Int.self, forKey: .minimumDocumentFrequency)
        maximumFeatures = try c.decode(Int.self, forKey: .maximumFeatures)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(wordUnigrams, forKey: .wordUnigrams)
        try c.encode(wordBigrams, forKey: .wordBigrams)
        try c.encode(characterNGramLengths.lowerBound, forKey: .characterNGramMinimum)
        try c.encode(characterNGramLengths.upperBound, forKey: .characterNGramMaximum)
        try c.encode(minimumDocumentFrequency, forKey: .minimumDocumentFrequency)
        try c.encode(maximumFeatures, forKey: .maximumFeatures)
    }

    /// The set of features present in `text` (presence, not counts: a letterhead repeated on
    /// every page should not outweigh the rest).
    public func features(of text: String) -> Set<String> {
        let words = Self.words(of: text)
        var result = Set<String>()
        for (position, word) in words.enumerated() {
            if wordUnigrams { result.insert("w:" + word) }
            if wordBigrams, position + 1 < words.count { result.insert("b:" + word + "_" + words[position + 1]) }
            guard word.contains(where: \.isLetter) else { continue }
            let marked = Array("_" + word + "_")
            for length in characterNGramLengths where marked.count >= length {
                for start in 0...(marked.count - length) {
                    result.insert("c:" + String(marked[start..<(start + length)]))
                }
            }
        }
        return result
    }

    /// Folded words of at least two characters; every digit becomes `0`, so amounts and dates
    /// count by their shape, not their value.
    static func words(of text: String) -> [String] {
        let bounded = text.count > DocumentText.maximumLength ? String(text.prefix(DocumentText.maximumLength)) : text
        var words: [String] = []
        var current = ""
        func finish() {
            if current.count >= 2, current.count <= 40 { words.append(current) }
            current = ""
        }
        for character in TextFolding.fold(bounded) {
            if character.isNumber, character.isASCII {
                current.append("0")
            } else if character.isLetter {
                current.append(character)
            } else {
                finish()
            }
        }
        finish()
        return words
    }
}

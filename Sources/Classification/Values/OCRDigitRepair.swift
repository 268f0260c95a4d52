/// Repairs the letters OCR puts in place of digits (`O` → `0`, `l`/`I` → `1`, `S` → `5`)
/// but only inside tokens that are clearly numeric, so words stay untouched.
///
/// The repair replaces one ASCII character by another, so UTF-16 offsets are preserved.
enum OCRDigitRepair {
    private static let confusions: [Character: Character] = [
        "O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1", "S": "5", "s": "5",
    ]
    private static let numericPunctuation: Set<Character> = [".", ",", "/", "-", ":", "+"]

    /// The digit a confusable letter stands for, if any.
    static func digit(for character: Character) -> Character? {
        if character.isASCII, character.isNumber { return character }
        return confusions[character]
    }

    /// `text` with confusable letters replaced inside numeric tokens.
    static func repair(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        var token: [Character] = []
        func flush() {
            output.append(contentsOf: repairToken(token))
            token.removeAll(keepingCapacity: true)
        }
        for character in text {
            if character.isWhitespace || character == "€" {
                flush()
                output.append(character)
            } else {
                token.append(character)
            }
        }
        flush()
        return output
    }

    /// A token is numeric when it has at least two real digits, more digits than
    /// confusable letters (at least as many), and nothing else but number punctuation. The `D` → `0` repair is
    /// not applied here (it would break `DE` in IBANs); it only serves identifiers.
    private static func repairToken(_ token: [Character]) -> [Character] {
        guard !token.isEmpty else { return token }
        // "48,71S": a debit/credit marker glued to an amount is a marker, not a third decimal.
        if token.count >= 5, let last = token.last, last == "S" || last == "H", token[token.count - 4] == ",",
            token[token.count - 3].isNumber, token[token.count - 2].isNumber
        {
            return repairToken(Array(token.dropLast())) + [last]
        }
        var digits = 0
        var letters = 0
        for character in token {
            if character.isASCII, character.isNumber {
                digits += 1
            } else if character != "D", confusions[character] != nil {
                letters += 1
            } else if !numericPunctuation.contains(character) {
                return token
            }
        }
        guard letters > 0, digits >= 2, digits >= letters else { return token }
        return token.map { character in
            if character != "D", let digit = confusions[character] { return digit }
            return character
        }
    }
}

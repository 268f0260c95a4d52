import Foundation

/// Folds German text into the comparable form every matcher works on: lower case,
/// umlauts spelled out (`ä` → `ae`, `ß` → `ss`), other diacritics dropped, runs of
/// spaces and tabs collapsed to one space.
///
/// "Müller" and "MUELLER" both fold to `mueller`.
enum TextFolding {
    /// The folded form of one character (may be empty, one or two characters).
    static func fold(_ character: Character) -> String {
        if let ascii = character.asciiValue {
            return String(Character(Unicode.Scalar(ascii >= 65 && ascii <= 90 ? ascii + 32 : ascii)))
        }
        switch character {
        case "ä", "Ä": return "ae"
        case "ö", "Ö": return "oe"
        case "ü", "Ü": return "ue"
        case "ß", "ẞ": return "ss"
        default: break
        }
        let stripped = String(character).folding(
            options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        return stripped
    }

    /// Folds a whole string; whitespace runs (not line breaks) collapse to one space.
    static func fold(_ text: some StringProtocol) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var lastWasSpace = false
        for character in text {
            if character == " " || character == "\t" || character == "\u{00A0}" {
                if !lastWasSpace { result.append(" ") }
                lastWasSpace = true
                continue
            }
            lastWasSpace = false
            result += fold(character)
        }
        return result
    }

    /// The folded form with umlauts reduced to their base letter (`ä` → `a`), used for names
    /// that OCR or a keyboard wrote without the umlaut ("Muller" for "Müller").
    static func foldToBaseLetters(_ text: some StringProtocol) -> String {
        var result = ""
        for character in text {
            switch character {
            case "ä", "Ä": result.append("a")
            case "ö", "Ö": result.append("o")
            case "ü", "Ü": result.append("u")
            default: result += fold(character)
            }
        }
        return result
    }

    /// Folded text without any whitespace or hyphens, so that "Gesamt miete", "Gesamt-\nmiete"
    /// and "Gesamtmiete" compare equal.
    static func compact(_ text: some StringProtocol) -> String {
        var result = ""
        for character in text where !isJoiner(character) {
            result += fold(character)
        }
        return result
    }

    /// Characters that OCR and line wrapping insert or drop inside words.
    static func isJoiner(_ character: Character) -> Bool {
        character.isWhitespace || character == "-" || character == "\u{00AD}"
    }
}

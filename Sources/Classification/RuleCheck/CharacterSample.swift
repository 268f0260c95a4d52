import Foundation

/// Which of a fixed sample of characters an atom matches, asked of ICU with the options
/// configured patterns run with. The sample covers what folded and raw OCR text contain.
struct CharacterSample {
    /// ASCII, German letters, typographic marks and a few confusables.
    static let characters: [Character] = {
        var result: [Character] = ["\t", "\n"]
        for scalar in 0x20...0x7E { result.append(Character(Unicode.Scalar(UInt8(scalar)))) }
        result += Array("äöüßÄÖÜéèàçñ€§²³°–—„“”«»‚‘’…·\u{00A0}\u{00AD}\u{200B}\u{FEFF}аеорсхАВЕКМНОРСТХ０１")
        return result
    }()

    /// Membership of each sample character, by atom source (memoised per analysis).
    private var cache: [String: Set<Int>] = [:]

    mutating func members(_ atom: RegexAtom) -> Set<Int> {
        if let known = cache[atom.source] { return known }
        var members = Set<Int>()
        if let expression = try? NSRegularExpression(pattern: "^(?:\(atom.source))$", options: [.caseInsensitive]) {
            for (position, character) in Self.characters.enumerated() {
                let text = String(character)
                if expression.firstMatch(in: text, range: NSRange(location: 0, length: text.utf16.count)) != nil {
                    members.insert(position)
                }
            }
        } else {
            members = Set(Self.characters.indices)
        }
        cache[atom.source] = members
        return members
    }

    static let newline = characters.firstIndex(of: "\n")!

    /// Whether a class matches any character at all, over a wide range of scalars (not just
    /// the sample): `[^\s\S]` and `[a&&b]` match nothing.
    static func matchesAnything(_ atom: RegexAtom) -> Bool {
        guard let expression = try? NSRegularExpression(pattern: "^(?:\(atom.source))$", options: [.caseInsensitive]) else {
            return true
        }
        var ranges: [ClosedRange<UInt32>] = [0x09...0x0A, 0x20...0x2FF, 0x370...0x52F, 0x2000...0x206F, 0x20A0...0x20CF]
        ranges.append(0xFF00...0xFF5E)
        let literal = atom.source.unicodeScalars.map(\.value)
        for value in literal { ranges.append(value...value) }
        for range in ranges {
            for value in range {
                guard let scalar = Unicode.Scalar(value) else { continue }
                let text = String(Character(scalar))
                if expression.firstMatch(in: text, range: NSRange(location: 0, length: text.utf16.count)) != nil {
                    return true
                }
            }
        }
        return false
    }
}

import Foundation

/// Finds the first value of a field type in a piece of a line.
enum ValueFinder {
    /// First value of `type` in `text` from UTF-16 offset `start`.
    static func first(_ type: FieldType, in text: String, from start: Int = 0) -> ValueMatch? {
        switch type {
        case .amount: return AmountParser.firstMatch(in: text, from: start)
        case .date: return all(.date, in: text).first { $0.range.lowerBound >= start }
        case .month: return MonthParser.firstMatch(in: text, from: start)
        case .iban: return IBAN.firstMatch(in: text, from: start)
        case .area:
            // After an area label ("Wohnfläche (m²): 62,40") the unit may be missing.
            return AreaParser.firstMatch(in: text, from: start) ?? AreaParser.firstBareNumber(in: text, from: start)
        case .integer: return IntegerParser.firstMatch(in: text, from: start)
        case .name:
            guard let found = first(.text, in: text, from: start), let name = PartyName.clean(found.value.raw) else { return nil }
            return ValueMatch(value: ParsedValue(normalized: name, raw: found.value.raw), range: found.range)
        case .text:
            let units = Array(text.utf16)
            guard start <= units.count else { return nil }
            let rest = String(decoding: units[start...], as: UTF16.self)
            guard let normalized = TextValue.normalize(rest) else { return nil }
            return ValueMatch(
                value: ParsedValue(normalized: normalized, raw: rest.trimmingCharacters(in: .whitespaces)),
                range: start..<units.count)
        }
    }

    /// All values of `type` in `text`, in order, from one pass over the line (text fields:
    /// the whole line).
    static func all(_ type: FieldType, in text: String) -> [ValueMatch] {
        switch type {
        case .amount: return AmountParser.allMatches(in: text)
        case .date:
            // Where a label says a date follows, also a date whose dots OCR read as digits
            // (always doubtful), unless a properly written date stands in the same place.
            let written = DateParser.allMatches(in: text)
            let guessed = DateParser.allMatchesWithUnreadSeparators(in: text).filter { guess in
                !written.contains { $0.range.overlaps(guess.range) }
            }
            return guessed.isEmpty ? written : (written + guessed).sorted { $0.range.lowerBound < $1.range.lowerBound }
        case .month: return MonthParser.allMatches(in: text)
        case .iban: return IBAN.allMatches(in: text)
        case .area:
            let withUnit = AreaParser.allMatches(in: text)
            return withUnit.isEmpty ? AreaParser.firstBareNumber(in: text).map { [$0] } ?? [] : withUnit
        case .integer: return IntegerParser.allMatches(in: text)
        case .text, .name: return first(type, in: text).map { [$0] } ?? []
        }
    }
}

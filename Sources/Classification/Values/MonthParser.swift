import Foundation

/// Reads calendar months: `03/2025`, `03.2025`, `März 2025`, `2025-03`; a full date
/// (`01.03.2025`) also names its month.
public enum MonthParser: ValueScanner {
    private static let numeric = NSRegularExpression.fixed(
        #"(?<![\d./])(\d{1,2})\s?[./]\s?(\d{4})(?![\d.])"#)
    private static let spelled = NSRegularExpression.fixed(
        #"(?<![\p{L}])("# + GermanMonthNames.alternation + #")\.?\s?(\d{4})(?!\d)"#)
    private static let iso = NSRegularExpression.fixed(#"(?<![\d.])(\d{4})-(\d{2})(?![\d-])"#)

    /// Every month in `text` (including the months of full dates), in order of position.
    public static func allMatches(in text: String) -> [ValueMatch] {
        let repaired = OCRDigitRepair.repair(text)
        var found: [ValueMatch] = []
        for match in numeric.matches(in: repaired) {
            guard let month = match.group(1, in: repaired).flatMap({ Int($0) }),
                let year = match.group(2, in: repaired).flatMap({ Int($0) })
            else { continue }
            found.append(make(month: month, year: year, text: text, range: match.range))
        }
        for match in spelled.matches(in: repaired) {
            guard let month = match.group(1, in: repaired).flatMap(GermanMonthNames.number(for:)),
                let year = match.group(2, in: repaired).flatMap({ Int($0) })
            else { continue }
            found.append(make(month: month, year: year, text: text, range: match.range))
        }
        for match in iso.matches(in: repaired) {
            guard let year = match.group(1, in: repaired).flatMap({ Int($0) }),
                let month = match.group(2, in: repaired).flatMap({ Int($0) })
            else { continue }
            found.append(make(month: month, year: year, text: text, range: match.range))
        }
        for date in DateParser.allMatches(in: text) {
            var value = date.value
            value.normalized = String(value.normalized.prefix(7))
            found.append(ValueMatch(value: value, range: date.range))
        }
        return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    private static func make(month: Int, year: Int, text: String, range: NSRange) -> ValueMatch {
        let normalized = String(DateParser.isoDate(year: year, month: month, day: 1).prefix(7))
        let raw = text.substring(range) ?? normalized
        var value = ParsedValue(normalized: normalized, raw: raw)
        if !(1...12).contains(month) {
            value.doubtful = true
            value.reason = "den Monat „\(raw)“ gibt es nicht (keinen Monat \(month)); bitte im Dokument prüfen"
        }
        return ValueMatch(value: value, range: range.location..<(range.location + range.length))
    }
}

import Foundation

/// Reads German dates: `01.03.2025`, `1.3.25`, `1. März 2025`, `01. Maerz 2025`, and as OCR
/// misreads their points: `25:02.2017`, `1, Juli 2023`.
///
/// Dates that do not exist (`31.02.2025`) are returned doubtful with the value kept.
public enum DateParser: ValueScanner {
    private static let numeric = NSRegularExpression.fixed(
        #"(?<![\d.])(\d{1,2})\s?\.\s?(\d{1,2})\s?\.\s?(\d{4}|\d{2})(?![\d])"#)
    /// One of the two points read as a colon or comma ("25:02.2017", "01.09,2025"), the year in
    /// four digits and no spaces: a date, not a time or an amount.
    private static let misreadPoint = NSRegularExpression.fixed(
        #"(?<![\d.,:])(\d{1,2})(?:[:,](\d{1,2})\.|\.(\d{1,2})[:,])(\d{4})(?![\d]|[.,]\d)"#)
    /// The day's point may be read as a comma ("1, Juli 2023").
    private static let spelled = NSRegularExpression.fixed(
        #"(?<![\d.])(\d{1,2})\s?[.,]?\s?("# + GermanMonthNames.alternation + #")\.?\s?(\d{4})(?!\d)"#)

    /// Every date in `text`, in order of position.
    public static func allMatches(in text: String) -> [ValueMatch] {
        let repaired = OCRDigitRepair.repair(text)
        var found: [ValueMatch] = []
        for match in numeric.matches(in: repaired) {
            guard let day = match.group(1, in: repaired).flatMap({ Int($0) }),
                let month = match.group(2, in: repaired).flatMap({ Int($0) }),
                let yearText = match.group(3, in: repaired), let year = Int(yearText)
            else { continue }
            found.append(make(day: day, month: month, year: expandYear(year, digits: yearText.count), text: text, match: match))
        }
        for match in misreadPoint.matches(in: repaired) {
            guard let day = match.group(1, in: repaired).flatMap({ Int($0) }),
                let month = (match.group(2, in: repaired) ?? match.group(3, in: repaired)).flatMap({ Int($0) }),
                let year = match.group(4, in: repaired).flatMap({ Int($0) }),
                // Only a date that exists: "12,50.2025" is no date with a misread point.
                (1...12).contains(month), (1...31).contains(day)
            else { continue }
            found.append(make(day: day, month: month, year: year, text: text, match: match))
        }
        for match in spelled.matches(in: repaired) {
            guard let day = match.group(1, in: repaired).flatMap({ Int($0) }),
                let month = match.group(2, in: repaired).flatMap(GermanMonthNames.number(for:)),
                let year = match.group(3, in: repaired).flatMap({ Int($0) })
            else { continue }
            found.append(make(day: day, month: month, year: year, text: text, match: match))
        }
        return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// Eight or ten digits (spaces between them allowed) standing alone.
    private static let runOfDigits = NSRegularExpression.fixed(#"(?<![\d.,])\d(?:\s?\d){7}(?:(?:\s?\d){2})?(?![\d.,])"#)

    /// A date whose two separating dots OCR read as digits: forms printed in a monospaced
    /// font (the sick note's date boxes) leave each dot a whole character cell, and Tesseract
    /// then reads `02.03.25` as `02503225`. Only asked for where a label says a date
    /// follows; found only when the digits at the dots' places make a real date, and always
    /// doubtful, because the reading is a guess at what the dots were.
    static func allMatchesWithUnreadSeparators(in text: String) -> [ValueMatch] {
        var found: [ValueMatch] = []
        for match in runOfDigits.matches(in: text) {
            guard let raw = text.substring(match.range) else { continue }
            let digits = raw.compactMap { $0.wholeNumberValue }
            guard digits.count == 8 || digits.count == 10 else { continue }
            let day = digits[0] * 10 + digits[1]
            let month = digits[3] * 10 + digits[4]
            let yearDigits = digits[6...]
            let year = yearDigits.reduce(0) { $0 * 10 + $1 }
            if digits.count == 10, !(1900...2099).contains(year) { continue }
            let fullYear = expandYear(year, digits: yearDigits.count)
            guard problem(year: fullYear, month: month, day: day) == nil else { continue }
            let normalized = isoDate(year: fullYear, month: month, day: day)
            let shown = String(format: "%02d.%02d.%@", day, month, yearDigits.map(String.init).joined())
            let value = ParsedValue(
                normalized: normalized, raw: raw, doubtful: true,
                reason: "„\(raw)“ ohne lesbare Trennpunkte gelesen und als \(shown) verstanden; bitte im Dokument prüfen")
            found.append(ValueMatch(value: value, range: match.offsets))
        }
        return found
    }

    /// Two-digit years: 00–69 → 2000s, 70–99 → 1900s.
    static func expandYear(_ year: Int, digits: Int) -> Int {
        guard digits == 2 else { return year }
        return year < 70 ? 2000 + year : 1900 + year
    }

    private static func make(day: Int, month: Int, year: Int, text: String, match: NSTextCheckingResult) -> ValueMatch {
        let normalized = isoDate(year: year, month: month, day: day)
        let raw = text.substring(match.range) ?? normalized
        var value = ParsedValue(normalized: normalized, raw: raw)
        if let problem = problem(year: year, month: month, day: day) {
            value.doubtful = true
            value.reason = "das Datum „\(raw)“ gibt es nicht (\(problem)); bitte im Dokument prüfen"
        }
        return ValueMatch(value: value, range: match.offsets)
    }

    static func isoDate(year: Int, month: Int, day: Int) -> String {
        let pad = { (number: Int, width: Int) -> String in
            let digits = String(number)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// What is wrong with the date (in German, after „gibt es nicht“), or nil when it exists.
    static func problem(year: Int, month: Int, day: Int) -> String? {
        guard (1...12).contains(month) else { return "keinen Monat \(month)" }
        let length = daysInMonth(year: year, month: month)
        guard (1...length).contains(day) else { return "der Monat \(month)/\(year) hat \(length) Tage" }
        return nil
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

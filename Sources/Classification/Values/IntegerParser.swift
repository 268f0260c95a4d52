import Foundation

/// Reads whole numbers (`3`, `2 Kinder`) and the Roman numerals I–VI that payslips use for
/// the tax class (`StKl. III`).
public enum IntegerParser: ValueScanner {
    private static let regex = NSRegularExpression.fixed(
        #"(?<![\d.,\p{L}])(?:(\d{1,6})(?![\d]|[.,]\d)|(VI|IV|V|I{1,3})(?![\p{L}\d]))"#, caseInsensitive: false)
    private static let roman: [String: Int] = ["I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6]

    /// Every whole number in `text`, in order.
    public static func allMatches(in text: String) -> [ValueMatch] {
        let repaired = OCRDigitRepair.repair(text)
        return regex.matches(in: repaired).compactMap { match in
            let raw = text.substring(match.range) ?? ""
            if let digits = match.group(1, in: repaired), let number = Int(digits) {
                return ValueMatch(value: ParsedValue(normalized: String(number), raw: raw), range: match.offsets)
            }
            if let numeral = match.group(2, in: repaired), let number = roman[numeral] {
                return ValueMatch(value: ParsedValue(normalized: String(number), raw: raw), range: match.offsets)
            }
            return nil
        }
    }
}

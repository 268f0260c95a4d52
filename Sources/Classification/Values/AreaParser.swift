import Foundation

/// Reads living space: `62,40 m²`, `62,4 qm`, `ca. 62 m2`, `62 Quadratmeter`, and `62,40 m?` /
/// `m'` / `m*` (the deu model has no `²`: OCR writes a mark in its place).
public enum AreaParser: ValueScanner {
    private static let regex = NSRegularExpression.fixed(
        #"(?<![\d.,])(?:ca\.?\s?)?(\d{1,4})(?:[.,](\d{1,2}))?\s?(?:m²|m2|m\^2|qm|quadratmeter|m\s?²|m[?']|m\s?\*)(?![\p{L}\d])"#)

    private static let bare = NSRegularExpression.fixed(#"(?<![\d.,])(\d{1,4})(?:,(\d{1,2}))?(?![\d.,]\d)"#)

    /// A number without unit, for use right after an area label.
    static func firstBareNumber(in text: String, from start: Int = 0) -> ValueMatch? {
        let repaired = OCRDigitRepair.repair(text)
        guard let match = bare.matches(in: repaired).first(where: { $0.range.location >= start }),
            let whole = match.group(1, in: repaired), let units = Int(whole)
        else { return nil }
        var fraction = match.group(2, in: repaired) ?? "00"
        if fraction.count == 1 { fraction += "0" }
        return ValueMatch(
            value: ParsedValue(normalized: "\(units).\(fraction)", raw: text.substring(match.range) ?? whole),
            range: match.offsets)
    }

    /// Every area (with unit) in `text`, in order.
    public static func allMatches(in text: String) -> [ValueMatch] {
        let repaired = OCRDigitRepair.repair(text)
        return regex.matches(in: repaired).compactMap { match in
            guard let whole = match.group(1, in: repaired), let units = Int(whole) else { return nil }
            var fraction = match.group(2, in: repaired) ?? "00"
            if fraction.count == 1 { fraction += "0" }
            let raw = text.substring(match.range) ?? whole
            return ValueMatch(value: ParsedValue(normalized: "\(units).\(fraction)", raw: raw), range: match.offsets)
        }
    }
}

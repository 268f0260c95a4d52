import Foundation

/// Reads living space: `62,40 m²`, `62,4 qm`, `ca. 62 m2`, `62 Quadratmeter`, and `62,40 m?` /
/// `m'` / `m*` (the deu model has no `²`: OCR writes a mark in its place).
public enum AreaParser: ValueScanner {
    private static let regex = NSRegularExpression.fixed(
        #"(?<![\d.,])(?:ca\.?\s?)?(\d{1,4})(?:[.,](\d{1,2}))?\s?(?:m²|m2|m\^2|qm|quadratmetern?|m\s?²|m[?']|m\s?\*)(?![\p{L}\d])"#)

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

    /// A short number right before an area unit, with a letter OCR put for a digit ("8l m?"
    /// for "81 m²"): too short for `OCRDigitRepair`'s two-digit rule, but the unit says it is
    /// a number.
    private static let beforeUnit = NSRegularExpression.fixed(
        #"(?<![\p{L}\d.,])[\dlIOo]{1,4}(?:[.,][\dlIOo]{1,2})?(?=\s?(?:m²|m2|m\?|m'|qm)(?![\p{L}\d]))"#)

    static func repairingBeforeUnit(_ text: String) -> String {
        var units = Array(text.utf16)
        var changed = false
        for match in beforeUnit.matches(in: text) {
            let range = match.range.location..<(match.range.location + match.range.length)
            guard units[range].contains(where: { (48...57).contains($0) }) else { continue }
            for index in range {
                switch units[index] {
                case 0x6C, 0x49: units[index] = 0x31  // l, I → 1
                case 0x4F, 0x6F: units[index] = 0x30  // O, o → 0
                default: continue
                }
                changed = true
            }
        }
        return changed ? String(decoding: units, as: UTF16.self) : text
    }

    /// Every area (with unit) in `text`, in order.
    public static func allMatches(in text: String) -> [ValueMatch] {
        let repaired = OCRDigitRepair.repair(repairingBeforeUnit(text))
        return regex.matches(in: repaired).compactMap { match in
            guard let whole = match.group(1, in: repaired), let units = Int(whole) else { return nil }
            var fraction = match.group(2, in: repaired) ?? "00"
            if fraction.count == 1 { fraction += "0" }
            let raw = text.substring(match.range) ?? whole
            return ValueMatch(value: ParsedValue(normalized: "\(units).\(fraction)", raw: raw), range: match.offsets)
        }
    }
}

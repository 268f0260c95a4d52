import Foundation

/// Reads German money amounts: `1.234,56 €`, `EUR 1.234,56`, `1234,56`, `-12,30`,
/// `12,30-` and `12,30 -` at a line's end (trailing minus as on bank statements), `+ 154,00`, `1 234,56`, `450,- €`,
/// `48,71 S` / `48,71S` (debit, negative) and `48,71 H` (credit).
public enum AmountParser: ValueScanner {
    private static let regex = NSRegularExpression.fixed(
        #"(?<![\d.,])(?<sign1>[-−–+]\s?)?(?<pre>(?:EUR|€)\s?)?(?<sign2>[-−–+]\s?)?"#
            + #"(?<int>\d{1,3}(?:(?:\.|\x20)\d{3})+|\d+)(?:,(?<dec>\d{1,2}(?!\d)|-{1,2}))?(?![\d.,]\d)"#
            + #"(?<sign3>-(?![\d-])|\x20[-−–+](?=[\x20\t]*(?:\n|$)))?(?<post>\s?(?:€|EUR\b))?(?<sh>\x20?[SH](?![\p{L}\d]))?"#)

    /// Every amount in `text`, in order (one regex pass, so lines of any length stay linear).
    public static func allMatches(in text: String) -> [ValueMatch] {
        let repaired = OCRDigitRepair.repair(text)
        var found: [ValueMatch] = []
        for match in regex.matches(in: repaired) {
            guard let integerPart = match.group("int", in: repaired) else { continue }
            let decimals = match.group("dec", in: repaired)
            let hasCurrency = match.group("pre", in: repaired) != nil || match.group("post", in: repaired) != nil
            guard decimals != nil || hasCurrency else { continue }
            let digits = integerPart.filter(\.isNumber)
            var cents = decimals.map { $0.hasPrefix("-") ? "00" : $0 } ?? "00"
            if cents.count == 1 { cents += "0" }
            let signs = [
                match.group("sign1", in: repaired), match.group("sign2", in: repaired), match.group("sign3", in: repaired),
            ]
            // Bank statements mark debit and credit with S (Soll) and H (Haben) after the amount.
            let debit = match.group("sh", in: repaired)?.contains("S") == true
            let negative = debit || signs.contains { $0?.contains(where: { "-−–".contains($0) }) == true }
            let trimmedDigits = String(digits.drop(while: { $0 == "0" }))
            let normalized = (negative ? "-" : "") + (trimmedDigits.isEmpty ? "0" : trimmedDigits) + "." + cents
            let raw = (text.substring(match.range) ?? "").trimmingCharacters(in: .whitespaces)
            found.append(ValueMatch(value: ParsedValue(normalized: normalized, raw: raw), range: match.offsets))
        }
        return found
    }

    /// Cents of a normalised amount string (`"-12.30"` → -1230), for sum checks.
    static func cents(_ normalized: String) -> Int? {
        let negative = normalized.hasPrefix("-")
        let body = negative ? String(normalized.dropFirst()) : normalized
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let units = Int(parts[0]), let fraction = Int(parts[1]) else { return nil }
        let value = units * 100 + fraction
        return negative ? -value : value
    }

    /// Formats cents as a normalised amount string.
    static func format(cents: Int) -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = abs(cents)
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

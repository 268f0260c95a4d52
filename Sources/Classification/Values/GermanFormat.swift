import Foundation

/// Figures as a German reader expects them: `1.095,00 €`, `72,5 m²`, `01.02.2025`, `03/2025`.
/// By hand, so that the output does not depend on the machine's locale data.
public enum GermanFormat {
    public static let posix = Locale(identifier: "en_US_POSIX")

    /// Parses a normalised amount or area (`"1234.56"`, `"-85.20"`, `"72.5"`).
    public static func decimal(_ text: String?) -> Decimal? {
        guard let text = text?.trimmingCharacters(in: .whitespaces),
            text.range(of: #"^-?\d+(\.\d+)?$"#, options: .regularExpression) != nil
        else { return nil }
        return Decimal(string: text, locale: posix)
    }

    public static func rounded(_ value: Decimal, _ scale: Int) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, scale, .plain)
        return result
    }

    /// `value` with exactly `fraction` decimals (or up to `fraction` when `trim`), German marks.
    public static func number(_ value: Decimal, fraction: Int, trim: Bool = false) -> String {
        let rounded = rounded(value, fraction)
        let negative = rounded < 0
        let plain = (negative ? -rounded : rounded).description  // "1095.5"
        let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
        let integer = String(parts[0])
        var decimals = parts.count > 1 ? String(parts[1]) : ""
        if !trim { decimals = decimals.padding(toLength: fraction, withPad: "0", startingAt: 0) }
        var grouped = ""
        for (index, character) in integer.reversed().enumerated() {
            if index > 0, index % 3 == 0 { grouped.append(".") }
            grouped.append(character)
        }
        let body = String(grouped.reversed()) + (decimals.isEmpty ? "" : "," + decimals)
        return (negative ? "-" : "") + body
    }

    /// `1.095,00 €`.
    public static func euro(_ value: Decimal) -> String { number(value, fraction: 2) + " €" }

    /// `+50,00 €` or `-12,30 €`.
    public static func signedEuro(_ value: Decimal) -> String { (value > 0 ? "+" : "") + euro(value) }

    /// `72,5 m²`.
    public static func area(_ value: Decimal) -> String { number(value, fraction: 2, trim: true) + " m²" }

    /// `1,30 €/m²`.
    public static func euroPerSquareMetre(_ value: Decimal) -> String { number(value, fraction: 2) + " €/m²" }

    /// `17,9 %` for 0.179.
    public static func percent(_ share: Decimal) -> String { number(share * 100, fraction: 1, trim: true) + " %" }

    /// `01.02.2025` for `2025-02-01`; other text unchanged.
    public static func date(_ iso: String) -> String {
        let parts = iso.split(separator: "-")
        guard parts.count == 3 else { return iso }
        return "\(parts[2]).\(parts[1]).\(parts[0])"
    }

    /// `03/2025` for `2025-03`.
    public static func month(_ iso: String) -> String {
        let parts = iso.split(separator: "-")
        guard parts.count >= 2 else { return iso }
        return "\(parts[1])/\(parts[0])"
    }

    /// `DE89 3704 0044 0532 0130 00`.
    public static func iban(_ iban: String) -> String {
        var out = ""
        for (index, character) in iban.enumerated() {
            if index > 0, index % 4 == 0 { out.append(" ") }
            out.append(character)
        }
        return out
    }

    /// `1 Person`, `3 Personen`.
    public static func persons(_ count: Int) -> String { count == 1 ? "1 Person" : "\(count) Personen" }

    public static let berlin = TimeZone(identifier: "Europe/Berlin") ?? .current

    /// The ISO day of `date` in German time.
    public static func isoDay(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = berlin
        return isoString(calendar.dateComponents([.year, .month, .day], from: date))
    }

    private static func isoString(_ c: DateComponents) -> String {
        func padded(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(padded(c.year, 4))-\(padded(c.month, 2))-\(padded(c.day, 2))"
    }

    /// Days from ISO day `a` to ISO day `b` (positive when `b` is later); nil when not dates.
    public static func days(from a: String, to b: String) -> Int? {
        guard let start = utcDate(a), let end = utcDate(b) else { return nil }
        return Int((end.timeIntervalSince(start) / 86_400).rounded())
    }

    /// ISO day `offset` days after `iso`.
    public static func adding(_ offset: Int, to iso: String) -> String? {
        guard let date = utcDate(iso) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let moved = calendar.date(byAdding: .day, value: offset, to: date) else { return nil }
        return isoString(calendar.dateComponents([.year, .month, .day], from: moved))
    }

    /// The month `offset` months after ISO month `month` (`2025-04`, -3 → `2025-01`).
    public static func addingMonths(_ offset: Int, to month: String) -> String? {
        let parts = month.split(separator: "-").compactMap { Int($0) }
        guard parts.count >= 2, (1...12).contains(parts[1]) else { return nil }
        let index = parts[0] * 12 + (parts[1] - 1) + offset
        let year = index / 12
        let number = index % 12 + 1
        return String(year) + "-" + (number < 10 ? "0" : "") + String(number)
    }

    /// The last ISO day of ISO month `month` (`2024-02` → `2024-02-29`).
    public static func lastDay(ofMonth month: String) -> String? {
        guard let next = addingMonths(1, to: month) else { return nil }
        return adding(-1, to: next + "-01")
    }

    /// `03/2025` when the span is whole months (`2025-03-01` to `2025-03-31`), `01/2025 bis
    /// 03/2025` for several, else `01.03.2025 bis 15.03.2025`, or one day `01.03.2025`.
    public static func span(from: String, to: String) -> String {
        let firstMonth = String(from.prefix(7))
        let lastMonth = String(to.prefix(7))
        if from.hasSuffix("-01"), lastDay(ofMonth: lastMonth) == to {
            return firstMonth == lastMonth ? month(firstMonth) : "\(month(firstMonth)) bis \(month(lastMonth))"
        }
        return from == to ? date(from) : "\(date(from)) bis \(date(to))"
    }

    /// `a`, `a und b`, `a, b und c`.
    public static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " und " + items[items.count - 1]
    }

    private static func utcDate(_ iso: String) -> Date? {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }
}

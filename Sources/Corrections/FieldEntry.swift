import Classification
import Foundation

/// A caseworker's entry read as a field value: the normalised form the E-Akte keeps (amounts
/// `1234.56`, dates `2025-03-01`, …), read with the same parsers as documents, the normalised
/// form itself accepted too; doubtful values are refused.
enum FieldEntry {
    static func normalize(_ raw: String, key: String, as type: FieldType) throws(CorrectionError) -> String {
        let parsed: ParsedValue?
        let accepted: String
        switch type {
        case .amount:
            parsed = AmountParser.parse(raw) ?? canonical(raw, #"^-?\d+\.\d{2}$"#)
            accepted = "ein Betrag, z. B. 1.234,56 oder 1234.56"
        case .date:
            parsed = DateParser.parse(raw) ?? canonicalDate(raw)
            accepted = "ein Datum, z. B. 01.03.2025 oder 2025-03-01"
        case .month:
            parsed = MonthParser.parse(raw) ?? canonical(raw, #"^\d{4}-(0[1-9]|1[0-2])$"#)
            accepted = "ein Monat, z. B. 03/2025 oder 2025-03"
        case .iban:
            parsed = IBAN.parse(raw)
            accepted = "eine IBAN, z. B. DE89 3704 0044 0532 0130 00"
        case .area:
            parsed = AreaParser.parse(raw) ?? canonical(raw, #"^\d+\.\d{2}$"#)
            accepted = "eine Fläche in m², z. B. 62,40"
        case .integer:
            parsed = IntegerParser.parse(raw)
            accepted = "eine ganze Zahl, z. B. 3"
        case .text, .name:
            parsed = TextValue.normalize(raw).map { ParsedValue(normalized: $0, raw: raw) }
            accepted = "Text"
        }
        guard let parsed else { throw .invalidValue(key: key, entered: raw, expected: accepted) }
        if parsed.doubtful {
            throw .implausibleValue(key: key, entered: raw, problem: parsed.reason ?? "Prüfung fehlgeschlagen")
        }
        return parsed.normalized
    }

    private static func canonical(_ raw: String, _ pattern: String) -> ParsedValue? {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard trimmed.range(of: pattern, options: .regularExpression) != nil else { return nil }
        return ParsedValue(normalized: trimmed, raw: raw)
    }

    private static func canonicalDate(_ raw: String) -> ParsedValue? {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.isLenient = false
        guard trimmed.count == 10, let date = formatter.date(from: trimmed), formatter.string(from: date) == trimmed else {
            return nil
        }
        return ParsedValue(normalized: trimmed, raw: raw)
    }
}

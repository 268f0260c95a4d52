import Foundation

/// International Bank Account Numbers: finding them in text (with spaces) and the
/// ISO 13616 mod-97 check.
public enum IBAN: ValueScanner {
    /// IBAN lengths of the countries Jobcenter clients bank in most; others are read up to
    /// the end of their digit groups.
    static let lengthByCountry: [String: Int] = [
        "DE": 22, "AT": 20, "CH": 21, "NL": 18, "BE": 16, "LU": 20, "FR": 27, "IT": 27, "ES": 24,
        "PL": 28, "GB": 22, "DK": 18, "CZ": 24, "RO": 24, "BG": 22, "HR": 21, "GR": 27, "PT": 25,
        "SE": 24, "FI": 18, "IE": 22, "TR": 26, "LT": 20, "LV": 21, "EE": 20, "SK": 24, "SI": 19, "HU": 28,
    ]
    private static let regex = NSRegularExpression.fixed(
        #"(?<![A-Za-z0-9])([A-Z]{2})\s?([0-9OIlS]{2})((?:\s?[A-Z0-9l]){10,32})"#, caseInsensitive: false)

    /// True when `iban` (spaces allowed) passes the ISO 13616 mod-97 check.
    public static func isValid(_ iban: String) -> Bool {
        let compact = iban.filter { !$0.isWhitespace }.uppercased()
        guard compact.count >= 15, compact.count <= 34,
            compact.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { return false }
        if let expected = lengthByCountry[String(compact.prefix(2))], expected != compact.count { return false }
        return mod97(compact) == 1
    }

    /// The remainder of the rearranged IBAN modulo 97 (1 for a valid IBAN).
    static func mod97(_ compact: String) -> Int {
        let rearranged = compact.dropFirst(4) + compact.prefix(4)
        var remainder = 0
        for character in rearranged {
            if let digit = character.wholeNumberValue, character.isASCII {
                remainder = (remainder * 10 + digit) % 97
            } else if let ascii = character.asciiValue, character.isLetter {
                let value = Int(ascii) - 55
                remainder = (remainder * 100 + value) % 97
            }
        }
        return remainder
    }

    /// Every IBAN in `text`, in order.
    public static func allMatches(in text: String) -> [ValueMatch] {
        var found: [ValueMatch] = []
        let units = Array(text.utf16)
        for match in regex.matches(in: text) {
            guard let country = match.group(1, in: text), let check = match.group(2, in: text),
                let rest = match.group(3, in: text)
            else { continue }
            var body = Array(rest.filter { !$0.isWhitespace })
            // Outside the countries listed, letters are not taken for check digits: "RESIDENCE
            // PERMIT" on a residence card read as country RE, check digits S I, passed mod-97.
            guard lengthByCountry[country] != nil || check.allSatisfy({ $0.isASCII && $0.isNumber }) else { continue }
            let checkDigits = String(check.map { OCRDigitRepair.digit(for: $0) ?? $0 })
            var consumedRaw = match.range(at: 3)
            if let length = lengthByCountry[country] {
                let bodyLength = length - 4
                guard body.count >= bodyLength else { continue }
                body = Array(body.prefix(bodyLength))
                consumedRaw = rawRange(of: bodyLength, in: units, from: match.range(at: 3).location)
            }
            if country == "DE" {
                body = body.map { OCRDigitRepair.digit(for: $0) ?? $0 }
                guard body.allSatisfy({ $0.isNumber }) else { continue }
            }
            var normalized = country + checkDigits + String(body)
            if country == "DE", mod97(normalized) != 1, let repaired = withoutSlip(Array(check) + rest.filter { !$0.isWhitespace }) {
                normalized = repaired
                consumedRaw = rawRange(of: 19, in: units, from: match.range(at: 3).location)
            }
            let end = consumedRaw.location + consumedRaw.length
            let range = match.range.location..<end
            let raw = text.substring(NSRange(location: range.lowerBound, length: range.count)) ?? normalized
            var value = ParsedValue(normalized: normalized, raw: raw)
            if mod97(normalized) != 1 {
                value.doubtful = true
                value.reason = "die IBAN \(GermanFormat.iban(normalized)) besteht die Prüfziffernprobe (ISO 13616, mod 97) nicht; bitte Ziffer für Ziffer mit dem Dokument vergleichen"
            }
            found.append(ValueMatch(value: value, range: range))
        }
        // A German IBAN whose digits a photo's OCR read as A, B, Z, G or T (the shapes of 4, 8,
        // 2, 6 and 7: "DEA7 4205 …"), where nothing was found: taken only when the reading then
        // passes mod-97 and names a bank code of the Bundesbank's register (a letter-laden word
        // passing both by chance is about one in 10^6).
        for match in widerRegex.matches(in: text) {
            let range = match.range.location..<(match.range.location + match.range.length)
            guard !found.contains(where: { $0.range.overlaps(range) }),
                  let raw = text.substring(match.range) else { continue }
            let read = raw.dropFirst(2).filter { !$0.isWhitespace }
            let digits = read.map { OCRDigitRepair.digit(for: $0) ?? widerConfusions[$0] ?? $0 }
            let normalized = "DE" + String(digits)
            guard digits.count == 20, digits.allSatisfy({ $0.isASCII && $0.isNumber }), mod97(normalized) == 1,
                  BankCodeRegister.shared.bank(forIBAN: normalized) != nil else { continue }
            found.append(ValueMatch(value: ParsedValue(normalized: normalized, raw: raw), range: range))
        }
        return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// Letters OCR makes of the shapes of 4, 8, 2, 6 and 7 in a photo, beyond `OCRDigitRepair`'s.
    static let widerConfusions: [Character: Character] = ["A": "4", "B": "8", "Z": "2", "G": "6", "T": "7"]
    private static let widerRegex = NSRegularExpression.fixed(
        #"(?<![A-Za-z0-9])DE\s?([0-9OIlSABZGT]{2})((?:\s?[0-9OIlSABZGT]){18})(?![A-Za-z0-9])"#, caseInsensitive: false)

    /// A German IBAN read with one character too many ("DES58 4416 0014 …": the model saw an S
    /// in the ink of the 5), from the 21 characters after "DE": the one reading without one of
    /// them that passes mod-97 and names a bank code of the Bundesbank's register. Nil when no
    /// reading or more than one does (a chance pass of mod-97 is 1 in 97; with the register's few
    /// thousand codes among 10^8 a wrong one passes both about never).
    static func withoutSlip(_ characters: [Character]) -> String? {
        guard characters.count >= 21 else { return nil }
        let read = Array(characters.prefix(21))
        var found: Set<String> = []
        for skipped in read.indices {
            var digits = read
            digits.remove(at: skipped)
            let mapped = digits.map { OCRDigitRepair.digit(for: $0) ?? $0 }
            guard mapped.allSatisfy({ $0.isASCII && $0.isNumber }) else { continue }
            let candidate = "DE" + String(mapped)
            guard mod97(candidate) == 1, BankCodeRegister.shared.bank(forIBAN: candidate) != nil else { continue }
            found.insert(candidate)
        }
        return found.count == 1 ? found.first : nil
    }

    /// The UTF-16 range from `start` that covers `count` non-space characters.
    private static func rawRange(of count: Int, in units: [UInt16], from start: Int) -> NSRange {
        var index = start
        var taken = 0
        while index < units.count, taken < count {
            if units[index] != 0x20 { taken += 1 }
            index += 1
        }
        return NSRange(location: start, length: index - start)
    }
}

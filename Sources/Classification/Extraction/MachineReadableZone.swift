/// The machine-readable zone of an identity document (ICAO Doc 9303): two or three lines
/// of `A–Z`, `0–9` and the filler `<`, with check digits over the document number, the
/// birth date, the expiry date and all of them together (the composite).
///
/// Formats: TD1 (ID card, residence permit: 3 × 30), TD2 (2 × 36), TD3 (passport: 2 × 44).
/// OCR slips are undone where the format allows only digits (`O` → `0`, `I` → `1`, …);
/// runs of fillers whose length OCR got wrong are re-padded where the layout is fixed.
/// Only what the configuration asks for leaves this type: the name and the expiry date.
struct MachineReadableZone: Equatable {
    enum Format: String {
        case td1 = "TD1"
        case td2 = "TD2"
        case td3 = "TD3"

        var lineLength: Int {
            switch self {
            case .td1: 30
            case .td2: 36
            case .td3: 44
            }
        }
    }

    /// One check digit: what it covers (in German, for the reason a caseworker reads), the digit
    /// printed and the digit computed.
    struct CheckDigit: Equatable {
        var covers: String
        var printed: Character
        var computed: Int

        var passed: Bool { printed.wholeNumberValue == computed || (printed == "<" && computed == 0) }
    }

    let format: Format
    /// The zone's lines after OCR repair, each of the format's length.
    let lines: [String]
    /// Line number (from 1, across pages) of the first line in the document.
    let firstLine: Int

    /// The check digits of the format, in the order of the zone.
    var checkDigits: [CheckDigit] {
        let chars = lines.map(Array.init)
        func digit(_ covers: String, _ data: [Character], _ printed: Character) -> CheckDigit {
            CheckDigit(covers: covers, printed: printed, computed: Self.checkDigit(data))
        }
        switch format {
        case .td1:
            let (one, two) = (chars[0], chars[1])
            return [
                digit("Dokumentnummer", Array(one[5..<14]), one[14]),
                digit("Geburtsdatum", Array(two[0..<6]), two[6]),
                digit("Ablaufdatum", Array(two[8..<14]), two[14]),
                digit("Gesamtprüfziffer", Array(one[5..<30] + two[0..<7] + two[8..<15] + two[18..<29]), two[29]),
            ]
        case .td2, .td3:
            let two = chars[1]
            let last = format.lineLength - 1
            var digits = [
                digit("Dokumentnummer", Array(two[0..<9]), two[9]),
                digit("Geburtsdatum", Array(two[13..<19]), two[19]),
                digit("Ablaufdatum", Array(two[21..<27]), two[27]),
            ]
            if format == .td3 {
                digits.append(digit("persönliche Nummer", Array(two[28..<42]), two[42]))
                digits.append(
                    digit("Gesamtprüfziffer", Array(two[0..<10] + two[13..<20] + two[21..<43]), two[last]))
            } else {
                digits.append(digit("Gesamtprüfziffer", Array(two[0..<10] + two[13..<20] + two[21..<35]), two[last]))
            }
            return digits
        }
    }

    /// The check digits that are wrong (empty when the zone is intact).
    var failedCheckDigits: [CheckDigit] { checkDigits.filter { !$0.passed } }

    /// Date of expiry as ISO `yyyy-mm-dd` (20yy: documents expire in this century), nil when
    /// the six digits are not a date.
    var expiry: String? {
        let chars = lines.map(Array.init)
        let digits = format == .td1 ? chars[1][8..<14] : chars[1][21..<27]
        let values = digits.compactMap(\.wholeNumberValue)
        guard values.count == 6 else { return nil }
        let year = 2000 + values[0] * 10 + values[1]
        let month = values[2] * 10 + values[3]
        let day = values[4] * 10 + values[5]
        guard DateParser.problem(year: year, month: month, day: day) == nil else { return nil }
        return DateParser.isoDate(year: year, month: month, day: day)
    }

    /// Surname and given names from the name field (`MUSTERMANN<<ERIKA<MARIA`), with `<`
    /// between words turned back into spaces.
    var names: (surname: String, givenNames: String) {
        let field: Substring
        switch format {
        case .td1: field = Substring(lines[2])
        case .td2, .td3: field = Array(lines[0])[5...].map(String.init).joined()[...]
        }
        let parts = field.components(separatedBy: "<<")
        func words(_ s: String) -> String {
            s.split(separator: "<").joined(separator: " ")
        }
        let surname = words(parts.first ?? "")
        let given = parts.dropFirst().map(words).filter { !$0.isEmpty }.joined(separator: " ")
        return (surname, given)
    }

    // MARK: - check digits

    /// ICAO 9303 check digit: weights 7, 3, 1 repeating; digits count as themselves,
    /// `A`–`Z` as 10–35, the filler `<` as 0; the sum modulo 10.
    static func checkDigit(_ characters: [Character]) -> Int {
        let weights = [7, 3, 1]
        var sum = 0
        for (index, character) in characters.enumerated() {
            sum += value(of: character) * weights[index % 3]
        }
        return sum % 10
    }

    static func value(of character: Character) -> Int {
        if let digit = character.wholeNumberValue, character.isASCII { return digit }
        guard let ascii = character.asciiValue, (65...90).contains(ascii) else { return 0 }
        return Int(ascii) - 55
    }

    // MARK: - finding the zone in OCR text

    /// The first zone in `lines` (raw OCR lines), or nil when none is there. Empty lines
    /// between the zone's lines (OCR often sets each apart as a paragraph) are skipped.
    static func find(in lines: [FoldedLine]) -> MachineReadableZone? {
        let filled = lines.filter { !$0.raw.allSatisfy(\.isWhitespace) }
        let candidates = filled.map { clean($0.raw) }
        for index in candidates.indices {
            guard let first = candidates[index] else { continue }
            let next = index + 1 < candidates.count ? candidates[index + 1] : nil
            let third = index + 2 < candidates.count ? candidates[index + 2] : nil
            if let next, let third, let zone = td1(first, next, third, line: filled[index].number) { return zone }
            if let next, let zone = twoLine(first, next, line: filled[index].number) { return zone }
        }
        return nil
    }

    /// A line as an MRZ line: upper case, no spaces, guillemets as fillers; nil when it holds
    /// anything else or is too short to be one.
    static func clean(_ raw: String) -> String? {
        var out = ""
        for character in raw {
            switch character {
            case " ", "\t": continue
            case "«": out += "<<"
            case "‹", "(", "[", "{": out += "<"
            default:
                // Only ASCII letters, digits and '<' belong in a zone ("ß".uppercased() is "SS").
                guard character.isASCII, character.isLetter || character.isNumber || character == "<" else { return nil }
                out += character.uppercased()
            }
        }
        guard out.count >= 26, out.contains("<") else { return nil }
        return out
    }

    /// Pads or trims the filler run before position `tailStart` from the end so that the line
    /// has `length` characters (OCR miscounts long runs of `<`).
    static func refit(_ line: String, length: Int, keepTail tail: Int = 0) -> String? {
        var chars = Array(line)
        if chars.count == length { return line }
        let headEnd = chars.count - tail
        guard headEnd >= 0 else { return nil }
        if chars.count < length {
            // Missing fillers: insert before the tail (or at the end).
            chars.insert(contentsOf: Array(repeating: "<", count: length - chars.count), at: headEnd)
            return String(chars)
        }
        var excess = chars.count - length
        var position = headEnd - 1
        while excess > 0, position >= 0, chars[position] == "<" {
            chars.remove(at: position)
            excess -= 1
            position -= 1
        }
        return excess == 0 ? String(chars) : nil
    }

    /// A line that holds only the name (no check digit covers it): OCR noise in its long
    /// filler run is cut at the format's length.
    static func nameLine(_ line: String, length: Int) -> String {
        refit(line, length: length) ?? String(line.prefix(length))
    }

    /// German document numbers (ID card, passport, residence permit) use only digits and
    /// the consonants C F G H J K L M N P R T V W X Y Z, so that no letter looks like a
    /// digit: in a zone issued by D, a vowel or B/D/Q/S there is an OCR slip for a digit.
    static func germanDocumentNumber(_ line: String, issuer: Substring, at range: Range<Int>) -> String {
        guard issuer == "D<<" else { return line }
        var chars = Array(line)
        let repair: [Character: Character] = [
            "O": "0", "Q": "0", "D": "0", "I": "1", "A": "4", "S": "5", "B": "8",
        ]
        for index in range where index < chars.count {
            if let fixed = repair[chars[index]] { chars[index] = fixed }
        }
        return String(chars)
    }

    /// Digits only at `positions`: O/Q/D → 0, I/L → 1, Z → 2, S → 5, G → 6, B → 8.
    static func digits(_ line: String, at positions: [Range<Int>]) -> String {
        var chars = Array(line)
        let repair: [Character: Character] = [
            "O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "G": "6", "B": "8",
        ]
        for range in positions {
            for index in range where index < chars.count {
                if let fixed = repair[chars[index]] { chars[index] = fixed }
            }
        }
        return String(chars)
    }

    private static func td1(_ a: String, _ b: String, _ c: String, line: Int) -> MachineReadableZone? {
        guard let kind = a.first, "IAC".contains(kind), (27...33).contains(a.count), (27...33).contains(b.count) else {
            return nil
        }
        guard let one = refit(a, length: 30), let two = refit(b, length: 30, keepTail: 1) else { return nil }
        let three = nameLine(c, length: 30)
        let repaired = digits(two, at: [0..<7, 8..<15, 29..<30])
        let number = germanDocumentNumber(one, issuer: one.dropFirst(2).prefix(3), at: 5..<15)
        return MachineReadableZone(format: .td1, lines: [number, repaired, three], firstLine: line)
    }

    private static func twoLine(_ a: String, _ b: String, line: Int) -> MachineReadableZone? {
        guard let kind = a.first, "PIAC".contains(kind) else { return nil }
        let format: Format
        switch (a.count + b.count) / 2 {
        case 33...39: format = .td2
        case 41...47: format = .td3
        default: return nil
        }
        let length = format.lineLength
        guard let two = refit(b, length: length, keepTail: format == .td3 ? 2 : 1) else { return nil }
        let one = nameLine(a, length: length)
        let tail = format == .td3 ? (length - 2)..<length : (length - 1)..<length
        let repaired = germanDocumentNumber(
            digits(two, at: [9..<10, 13..<20, 21..<28, tail]), issuer: one.dropFirst(2).prefix(3), at: 0..<10)
        return MachineReadableZone(format: format, lines: [one, repaired], firstLine: line)
    }
}

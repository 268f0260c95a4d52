import Classification

/// German IBANs in OCR text with letters where the digits are ("DEO5 3305 …": the model reads a 0 as O,
/// a 1 as I or l, a 5 as S), written with their digits when the repaired IBAN passes the ISO
/// 13616 mod-97 check — the same reading field extraction already takes (`IBAN.allMatches`), now
/// also in the text a caseworker reads and searches. Only the letters the scanner read as digits
/// change, one character for one, spaces and line breaks as read; an IBAN that fails the check stays as read.
enum IBANTextRepair {
    static func repaired(_ text: String) -> String {
        // German IBANs only: after "DE" every character is a digit, so a letter there is a misread.
        let matches = IBAN.allMatches(in: text).filter { !$0.value.doubtful && $0.value.normalized.hasPrefix("DE") }
        guard !matches.isEmpty else { return text }
        var units = Array(text.utf16)
        var changed = false
        for match in matches where match.range.upperBound <= units.count {
            let wanted = Array(match.value.normalized.utf16)
            var edits: [(Int, UInt16)] = []
            var next = 0
            var fits = true
            for index in match.range {
                let unit = units[index]
                if unit == 0x20 || unit == 0x0A { continue }
                guard next < wanted.count else { fits = false; break }
                if unit != wanted[next] {
                    // The scanner maps only confusable letters (O, l, I, S …) to digits; anything
                    // else that differs means the match and the text do not line up.
                    guard (0x30...0x39).contains(wanted[next]), !(0x30...0x39).contains(unit) else { fits = false; break }
                    edits.append((index, wanted[next]))
                }
                next += 1
            }
            guard fits, next == wanted.count else { continue }
            for (index, unit) in edits { units[index] = unit }
            changed = changed || !edits.isEmpty
        }
        return changed ? String(decoding: units, as: UTF16.self) : text
    }
}

/// Normalisation of the identifiers that tie a document to a case.
///
/// BG-Nummer: 5 digits, `BG`, 7 digits (`96301BG0012345`), printed as `96301 BG 0012345`
/// or `96301//0012345`. Kundennummer: 3 digits, 1 letter, 6 digits (`963D123456`).
/// Other shapes (municipal file numbers) are normalised to upper case without spaces.
public enum CaseIdentifiers {
    /// `96301 BG 0012345`, `96301//0012345`, `963O1BG00I2345` → `96301BG0012345`.
    /// Text of another shape comes back upper-cased without whitespace.
    /// A stray `.`, `,`, `:` or `·` that OCR put beside the marker (`96304BG.0007420`) is dropped
    /// when what is left has the BA shape.
    public static func normalizeBGNummer(_ text: String) -> String {
        let compact = text.filter { !$0.isWhitespace }.replacingOccurrences(of: "//", with: "BG")
        let bare = dropPunctuationBesideMarker(compact)
        if bare.count == 14, bare != compact {
            let repaired = baShape(bare)
            if isBAShape(repaired) { return repaired }
        }
        return baShape(compact)
    }

    private static func dropPunctuationBesideMarker(_ text: String) -> String {
        let characters = Array(text)
        let markers: Set<String> = ["BG", "B6", "8G", "86"]
        func marker(_ start: Int) -> Bool {
            start >= 0 && start + 1 < characters.count && markers.contains(String(characters[start...start + 1]).uppercased())
        }
        var kept: [Character] = []
        for (index, character) in characters.enumerated() {
            if ".,:·".contains(character), marker(index + 1) || marker(index - 2) { continue }
            kept.append(character)
        }
        return String(kept)
    }

    private static func isBAShape(_ text: String) -> Bool {
        let characters = Array(text)
        return characters.count == 14 && characters[5] == "B" && characters[6] == "G"
            && (characters[0..<5] + characters[7...]).allSatisfy { $0.isASCII && $0.isNumber }
    }

    private static func baShape(_ compact: String) -> String {
        let characters = Array(compact)
        guard characters.count == 14 else { return compact.uppercased() }
        let marker = String(characters[5...6]).uppercased()
        guard ["BG", "B6", "8G", "86"].contains(marker) else { return compact.uppercased() }
        let office = characters[0..<5].map { OCRDigitRepair.digit(for: $0) ?? $0 }
        let serial = characters[7..<14].map { OCRDigitRepair.digit(for: $0) ?? $0 }
        guard (office + serial).allSatisfy({ $0.isASCII && $0.isNumber }) else { return compact.uppercased() }
        return String(office) + "BG" + String(serial)
    }

    /// True when `text` normalises to the BA shape 5 digits + `BG` + 7 digits.
    public static func isBGNummer(_ text: String) -> Bool {
        isBAShape(normalizeBGNummer(text))
    }

    /// `963 D 123456`, `963d123456` → `963D123456`; OCR letters in digit positions are
    /// repaired (`963DI23456` → `963D123456`).
    public static func normalizeKundennummer(_ text: String) -> String {
        let compact = Array(text.filter { !$0.isWhitespace })
        guard compact.count == 10, compact[3].isLetter else { return String(compact).uppercased() }
        let head = compact[0..<3].map { OCRDigitRepair.digit(for: $0) ?? $0 }
        let tail = compact[4..<10].map { OCRDigitRepair.digit(for: $0) ?? $0 }
        guard (head + tail).allSatisfy({ $0.isASCII && $0.isNumber }) else { return String(compact).uppercased() }
        return String(head) + String(compact[3]).uppercased() + String(tail)
    }

    /// Any identifier from a configured pattern: BG shape if it has one, Kundennummer shape
    /// if it has that, else upper case without whitespace.
    public static func normalizeAny(_ text: String) -> String {
        if isBGNummer(text) { return normalizeBGNummer(text) }
        return normalizeKundennummer(text)
    }
}

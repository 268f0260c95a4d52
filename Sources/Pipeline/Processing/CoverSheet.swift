import Classification
import Foundation

/// A cover sheet (Deckblatt, Trennblatt) that a scanning centre puts before each document of a
/// batch: a page whose barcode, QR or Data Matrix code says where a document starts and, when
/// the centre knows it, which case it belongs to.
///
/// Payloads understood (keys are case-insensitive, parts separated by `;`):
///
/// | payload | meaning |
/// |---|---|
/// | `POSTEINGANG:SEP` | a separator: a new document starts after this page, case unknown |
/// | `POSTEINGANG:BG=96301BG0012345` | a new document of that case starts after this page |
/// | `POSTEINGANG:BG=96301BG0012345;DOC=2025-0042` | the same with the centre's own reference |
/// | `96301BG0012345` (a bare BG-Nummer) | a cover only on an otherwise near-empty page |
/// | `BG:96301BG0012345`, `BG=…`, `BG-Nr. 96301 BG 0012345` | a cover on a page that calls itself one ("Deckblatt", "Trennblatt") |
///
/// A page with a `POSTEINGANG:` code is always a cover sheet, even when the rest of its payload
/// cannot be used; what was wrong is kept in `problems` and sends the document to review.
public struct CoverSheet: Sendable, Codable, Equatable {
    /// 1-based page of the upload that is the cover sheet.
    public var page: Int
    /// The code's payload as read.
    public var payload: String
    /// The case the cover names (normalised), if any.
    public var caseReference: String?
    /// The scanning centre's reference for the document (`DOC=`), if any.
    public var documentReference: String?
    /// What in the payload could not be used.
    public var problems: [String]

    enum CodingKeys: String, CodingKey {
        case page, payload
        case caseReference = "case"
        case documentReference = "doc"
        case problems
    }

    public static let prefix = "POSTEINGANG:"
    /// A page with a bare BG-Nummer code counts as a cover only with at most this many words
    /// of other text: a form that carries its case number in a code has far more.
    public static let maximumWordsBesideBareCode = 30

    /// The cover sheet that `codes` on a page with `pageText` make, or nil when the page is no
    /// cover sheet.
    public static func detect(page: Int, codes: [String], pageText: String) -> CoverSheet? {
        for code in codes {
            let trimmed = code.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.uppercased().hasPrefix(prefix) {
                return parse(page: page, payload: trimmed)
            }
        }
        let words = pageText.split(whereSeparator: { $0.isWhitespace }).filter { $0.contains(where: \.isLetter) || $0.contains(where: \.isNumber) }
        // A page that says what it is ("Deckblatt für die Einreichung von Unterlagen") and
        // carries a code naming a case in any common notation is a cover, instructions and all.
        if words.count <= maximumWordsOnNamedCover, namesItselfCover(pageText) {
            for code in codes {
                if let reference = caseReference(inCode: code) {
                    return CoverSheet(page: page, payload: code, caseReference: reference, documentReference: nil, problems: [])
                }
            }
        }
        guard words.count <= maximumWordsBesideBareCode else { return nil }
        for code in codes {
            let trimmed = code.trimmingCharacters(in: .whitespacesAndNewlines)
            if isStrictBGNummer(trimmed) {
                return CoverSheet(
                    page: page, payload: trimmed, caseReference: CaseIdentifiers.normalizeBGNummer(trimmed),
                    documentReference: nil, problems: [])
            }
        }
        return nil
    }

    /// A page that calls itself a cover may carry this many words (its instructions, the
    /// centre's address) beside the code.
    public static let maximumWordsOnNamedCover = 150
    /// Words by which a page says it is a cover or separator sheet (lower case).
    static let coverWords = ["deckblatt", "trennblatt", "vorblatt", "trennseite", "deckseite", "begleitblatt"]

    /// Whether the page's text names it a cover or separator sheet.
    static func namesItselfCover(_ text: String) -> Bool {
        let folded = text.lowercased()
        return coverWords.contains { folded.contains($0) }
    }

    private static let caseInCodePattern = NSRegularExpression.fixedPattern(
        #"(?i)(?:^|[^0-9A-Za-z])BG(?:[-.\s]?(?:Nr|Nummer)\.?)?\s*[:=]?\s*([0-9]{5}\s?(?:BG|//)\s?[0-9]{7})(?![0-9])"#)

    /// The BG-Nummer a code's payload names as `BG:…`, `BG=…`, `BG-Nr. …`, `BG-Nummer: …`
    /// (spaces allowed), normalised; nil when it names none.
    static func caseReference(inCode code: String) -> String? {
        let trimmed = code.trimmingCharacters(in: .whitespacesAndNewlines)
        if isStrictBGNummer(trimmed) { return CaseIdentifiers.normalizeBGNummer(trimmed) }
        let range = NSRange(trimmed.startIndex..., in: trimmed)
        guard let match = caseInCodePattern.firstMatch(in: trimmed, range: range),
            let numberRange = Range(match.range(at: 1), in: trimmed)
        else { return nil }
        return CaseIdentifiers.normalizeBGNummer(String(trimmed[numberRange]))
    }

    /// Parses a payload that starts with `POSTEINGANG:`.
    static func parse(page: Int, payload: String) -> CoverSheet {
        var cover = CoverSheet(page: page, payload: payload, caseReference: nil, documentReference: nil, problems: [])
        let body = payload.dropFirst(prefix.count)
        let parts = body.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if parts.isEmpty {
            cover.problems.append(
                "Der Code des Deckblatts „\(payload)“ enthält nichts nach \(prefix); erlaubt sind \(prefix)SEP oder \(prefix)BG=<BG-Nummer>[;DOC=<Bezug>]")
        }
        for part in parts {
            let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let key = pieces[0].uppercased()
            let value = pieces.count > 1 ? pieces[1] : nil
            switch (key, value) {
            case ("SEP", nil), ("TRENNBLATT", nil), ("DECKBLATT", nil):
                break
            case ("BG", let value?):
                if isStrictBGNummer(value) {
                    cover.caseReference = CaseIdentifiers.normalizeBGNummer(value)
                } else if isFileNumber(value) {
                    // A municipal file number: whether it is a case decides the register.
                    cover.caseReference = value.uppercased()
                } else {
                    cover.problems.append(
                        "Der Code des Deckblatts nennt den Fall „\(value)“, das ist keine Fallnummer; erlaubt sind eine BG-Nummer wie 96301BG0012345 oder ein Aktenzeichen aus Buchstaben, Ziffern, „-“ und „/“ (höchstens 32 Zeichen)")
                }
            case ("DOC", let value?):
                if value.count <= 64, !value.isEmpty {
                    cover.documentReference = value
                } else {
                    cover.problems.append("Der DOC-Bezug des Deckblatts ist leer oder länger als 64 Zeichen")
                }
            default:
                cover.problems.append(
                    "Der Teil „\(part)“ des Deckblatt-Codes ist unbekannt; erlaubt sind SEP, BG=<Fallnummer>, DOC=<Bezug>")
            }
        }
        return cover
    }

    private static let bgPattern = NSRegularExpression.fixedPattern(#"^[0-9]{5}\s?(?:BG|bg|//)\s?[0-9]{7}$"#)
    private static let fileNumberPattern = NSRegularExpression.fixedPattern(#"^[A-Za-z0-9][A-Za-z0-9/\-]{2,31}$"#)

    /// `96301BG0012345`, `96301 BG 0012345`, `96301//0012345` (digits only, no OCR repair).
    static func isStrictBGNummer(_ text: String) -> Bool {
        bgPattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    static func isFileNumber(_ text: String) -> Bool {
        fileNumberPattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}

extension NSRegularExpression {
    /// A pattern written in the source: a typo in it is a programming error.
    static func fixedPattern(_ pattern: String) -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: pattern)
        } catch {
            preconditionFailure("invalid built-in pattern \(pattern): \(error)")
        }
    }
}

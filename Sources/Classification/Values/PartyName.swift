import Foundation

/// Names of persons and organisations as a caseworker writes them: without salutation,
/// street, postcode, town, role words or the prose around them, legal forms kept whole
/// ("UG (haftungsbeschränkt)", "e.K.", "eG", "GmbH & Co. KG").
///
/// Real mail names a party in many ways: "Herrn Hans Seidel, Radweg 63, 82023 Ort
/// (Vermieter)", "der Wohnbau Lippe eG, vertreten durch den Vorstand", a return-address line
/// "Kranz GmbH · Ringstr. 4 · 33602 Bielefeld", a letterhead with OCR debris after it
/// ("Volksbank Mittelweser eG Bra"). `clean` keeps only the name.
public enum PartyName {
    /// Legal forms, longest first so that "GmbH & Co. KG" wins over "GmbH". Compared without
    /// case and with spaces inside the form ignored ("e. K." = "e.K.").
    static let legalForms: [String] = [
        "GmbH & Co. KGaA", "GmbH & Co. KG", "UG (haftungsbeschränkt) & Co. KG", "AG & Co. KG", "SE & Co. KG",
        "UG (haftungsbeschränkt)", "UG (haftungsbeschraenkt)", "gGmbH", "GmbH", "mbH", "KGaA", "AG", "KG", "OHG",
        "GbR", "PartG mbB", "PartG", "eG", "e.G.", "e.K.", "e.Kfm.", "e.Kfr.", "e.V.", "SE", "AöR", "UG", "Ltd.", "Inc.",
    ]

    /// Words that only address or introduce a party.
    static let leadingWords: Set<String> = [
        "zwischen", "und", "sowie", "der", "die", "dem", "den", "des", "firma", "fa.", "herrn", "herr", "frau", "eheleute",
        "vermieter", "vermieterin", "vermieter:", "vermieterin:", "arbeitgeber", "arbeitgeber:", "mieter", "mieterin", "name:",
        "absender:", "von:", "bank:", "kreditinstitut:",
    ]

    /// Salutations as OCR misreads them and their abbreviations.
    static let misreadSalutations: Set<String> = ["herrm", "herm", "hern", "herrn,", "herrn.", "hrn.", "hr.", "fr."]

    /// Phrases after which a name is over (prose about the party, not the party).
    static let stopPhrases: [String] = [
        " vertreten durch", " vertr. d.", " wohnhaft", " geboren", " geb.", " als vermieter", " als arbeitgeber",
        " im folgenden", " nachstehend", " nachfolgend", " – ", " - ", " (vermieter", " (mieter", " (arbeitgeber",
        " und ", " sowie ", " in ", " - im", " handelnd", " diese vertreten", " dieser vertreten",
    ]

    /// `text` reduced to the name it starts with; nil when no name is left.
    public static func clean(_ text: String) -> String? {
        var words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        // Leading role words, salutations and articles.
        // A logo read as a lone letter or marks ("ı . Sparkasse …", "GA" is kept: it may be a name).
        while let first = words.first,
            leadingWords.contains(first.lowercased()) || first.allSatisfy({ !$0.isLetter && !$0.isNumber })
                || (words.count > 1 && first.count == 1 && first.first?.isLetter == true)
                // A salutation as OCR misreads it ("Herrm", "Herm" for "Herrn"), before a name of two words.
                || (words.count > 2 && misreadSalutations.contains(first.lowercased()))
                // A logo read as a digit or two ("2 Dortmunder Volksbank eG").
                || (words.count > 2 && first.count <= 2 && !first.contains(where: \.isLetter) && !first.hasSuffix(".")
                    && words[1].first?.isUppercase == true)
        {
            words.removeFirst()
        }
        guard !words.isEmpty else { return nil }
        // "GmbH & Co.KG", "GmbH&Co. KG" as OCR spaces them: written as the register writes it.
        var name = (" " + words.joined(separator: " ")).replacingOccurrences(
            of: #"\s*&\s*Co\.?\s*KG(aA)?\b"#, with: " & Co. KG$1", options: .regularExpression)
            // A space read as a point before the legal form ("Leinetal.mbH").
            .replacingOccurrences(of: #"(\p{Ll}{2})\.(gGmbH|GmbH|mbH|AG|KG|eG|SE|OHG)\b"#, with: "$1 $2", options: .regularExpression)
        // A legal form ends an organisation's name: what follows is address, prose or debris.
        if let end = endOfLegalForm(in: name) {
            name = String(name[..<end])
        } else {
            name = cutAtProse(name)
            name = cutAtAddress(name)
        }
        // Quotes and separators OCR leaves at the ends.
        let trimmed = TextValue.normalize(name.replacingOccurrences(of: "„", with: " ").replacingOccurrences(of: "“", with: " "))
        // A name does not start inside a remark ("(Name, Anschrift)").
        guard let trimmed, trimmed.contains(where: \.isLetter), !trimmed.hasPrefix("(") else { return nil }
        // A name is a few words, not a sentence.
        guard trimmed.split(separator: " ").count <= 10 else { return nil }
        return trimmed
    }

    /// Whether `text` ends in a legal form: the name of an organisation.
    public static func hasLegalForm(_ text: String) -> Bool {
        endOfLegalForm(in: " " + text) != nil
    }

    /// Where the first legal form in `name` ends, when it is a whole word and stands after the
    /// name's first word ("Volksbank Mittelweser eG Bra" → after "eG").
    static func endOfLegalForm(in name: String) -> String.Index? {
        let lower = name.lowercased()
        var best: (start: String.Index, end: String.Index)?
        for form in legalForms {
            var searchStart = lower.startIndex
            while let range = lower.range(of: " " + form.lowercased(), range: searchStart..<lower.endIndex) {
                searchStart = range.upperBound
                // Whole word: nothing but the end, a space or a separator after it.
                if range.upperBound < lower.endIndex {
                    let next = lower[range.upperBound]
                    if next.isLetter || next.isNumber { continue }
                    if form.last?.isLetter == true, next == "." { continue }
                }
                // Something of a name before it.
                guard lower[lower.startIndex..<range.lowerBound].contains(where: \.isLetter) else { continue }
                if best == nil || range.lowerBound < best!.start
                    || (range.lowerBound == best!.start && range.upperBound > best!.end)
                {
                    best = (range.lowerBound, range.upperBound)
                }
                break
            }
        }
        guard let best else { return nil }
        // "GmbH & Co. KG" written after a shorter form found first.
        let rest = name[best.end...]
        for form in ["& Co. KG", "& Co. KGaA", "& Co KG", "& Co.KG"] where rest.lowercased().hasPrefix(" " + form.lowercased()) {
            return name.index(best.end, offsetBy: form.count + 1)
        }
        return best.end
    }

    private static func cutAtProse(_ name: String) -> String {
        let lower = name.lowercased()
        var end = name.endIndex
        for phrase in stopPhrases {
            if let range = lower.range(of: phrase), range.lowerBound > lower.startIndex, range.lowerBound < end {
                // Keep "und" inside a firm's name only when no person-like prose follows; for
                // persons "Hans und Maria Seidel" stays whole when a surname follows directly.
                if phrase == " und " || phrase == " sowie " {
                    let after = lower[range.upperBound...].split(separator: " ")
                    if after.count <= 2, !after.contains(where: { ["frau", "herrn", "herr", "der", "dem", "die"].contains(String($0)) }) {
                        continue
                    }
                }
                end = range.lowerBound
            }
        }
        return String(name[..<end])
    }

    /// The name before the first address part: ", " or a street with its number, or a postcode.
    private static func cutAtAddress(_ name: String) -> String {
        var words = name.split(separator: " ").map(String.init)
        var kept: [String] = []
        for (index, word) in words.enumerated() {
            let bare = word.trimmingCharacters(in: CharacterSet(charactersIn: ",;·•|"))
            // A postcode, a house number or a street ends the name.
            if bare.count == 5, bare.allSatisfy(\.isNumber) { break }
            if bare.first?.isNumber == true, !kept.isEmpty { break }
            let nextIsNumber = index + 1 < words.count && words[index + 1].first?.isNumber == true
            if index > 0, isStreetWord(bare), nextIsNumber || bare.lowercased().hasSuffix("str.") || bare.lowercased().hasSuffix("straße") {
                break
            }
            kept.append(bare)
            if word.hasSuffix(",") || word.hasSuffix(";") || word.hasSuffix("·") { break }
        }
        words = kept
        return " " + words.joined(separator: " ")
    }

    static let streetSuffixes = [
        "straße", "strasse", "str.", "weg", "platz", "allee", "ring", "gasse", "damm", "ufer", "chaussee", "steig", "pfad",
    ]

    private static func isStreetWord(_ word: String) -> Bool {
        let lower = word.lowercased()
        guard lower.count >= 5 else { return false }
        return streetSuffixes.contains { lower.hasSuffix($0) }
    }
}

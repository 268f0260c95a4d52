import Foundation

/// Finds who a document is from or who a contract binds, where no label names them.
///
/// - **The sender of a letter** (`sender: true` on a name field): the return-address line
///   above the address window (DIN 5008: "Kranz GmbH · Ringstr. 4 · 33602 Bielefeld"), else
///   a letterhead line with a legal form at the top of the first page, else a footer line
///   with a legal form at the bottom of a page.
/// - **A party of a contract** (`role: Vermieter`): the name standing before "(Vermieter)",
///   "– im Folgenden „Vermieter" genannt –", "nachstehend Vermieter genannt", possibly over
///   several lines after "Zwischen", or after "dem Vermieter".
enum PartyFinder {
    /// Lines of the first page searched for a return-address line or a letterhead.
    static let headLines = 25
    /// Lines at the end of each page searched for a footer with the sender's legal form.
    static let footLines = 10

    /// The letter's sender, with the line it stands on and how it was found.
    static func sender(in document: DocumentText) -> (name: String, line: Int, route: String)? {
        let firstPage = document.lines.indices.filter { document.pageOfLine[$0] == 1 }
        for index in firstPage.prefix(headLines) {
            if let name = returnAddress(document.lines[index].raw) {
                return (name, document.lines[index].number, "return_address")
            }
        }
        for index in firstPage.prefix(headLines / 2) {
            let raw = document.lines[index].raw
            // Above the address window, before the addressee's salutation.
            let folded = document.lines[index].foldedText.trimmingCharacters(in: .whitespaces)
            if folded == "herrn" || folded == "frau" || folded.hasPrefix("herrn ") || folded.hasPrefix("frau ") { break }
            if !raw.contains(":"), raw.trimmingCharacters(in: .whitespaces).first?.isNumber != true, PartyName.hasLegalForm(raw), let name = PartyName.clean(raw), PartyName.hasLegalForm(name),
                name.split(separator: " ").count <= 8
            {
                return (name, document.lines[index].number, "letterhead")
            }
        }
        // Footers: the last lines of each page, the sender's firm name in one of its columns.
        let pages = Set(document.pageOfLine)
        for page in pages.sorted() {
            let onPage = document.lines.indices.filter { document.pageOfLine[$0] == page }
            for index in onPage.suffix(footLines) {
                // A statement's booking line ("16.11.2025 Lastschrift Funkwerk Mobil GmbH") names
                // a counterparty, not the sender.
                if document.lines[index].raw.trimmingCharacters(in: .whitespaces).first?.isNumber == true { continue }
                // A column with a label ("Bankverbindung: Volksbank … eG") names someone else.
                for segment in segments(of: document.lines[index].raw) where PartyName.hasLegalForm(segment) && !segment.contains(":") {
                    if let name = PartyName.clean(segment), PartyName.hasLegalForm(name), name.split(separator: " ").count <= 8 {
                        return (name, document.lines[index].number, "footer")
                    }
                }
            }
        }
        return nil
    }

    /// Separators of a return-address line and of footer columns.
    static let separators: [String] = [" · ", " • ", " | ", " - ", " – ", " ° ", " * ", ", ", " / "]

    /// The sender in a return-address line: one line holding a name, a street and a postcode
    /// with town, joined by separators; nil when the line is not one.
    static func returnAddress(_ raw: String) -> String? {
        let parts = segments(of: raw)
        // A label ("Vermieter (Name, Anschrift): Hanse GmbH, …") makes it a form's line.
        guard parts.count >= 2, parts.count <= 6, !raw.contains(":") else { return nil }
        // The postcode with town stands in the last parts; the name is the first part.
        guard parts.dropFirst().contains(where: { hasPostcode($0) }) else { return nil }
        let first = parts[0]
        // The first part is the name: no street with its number, no label ("Telefon:").
        guard !first.contains(where: \.isNumber), !first.contains(":"), first.contains(where: \.isLetter),
            !first.lowercased().hasPrefix("herr"),
            !first.lowercased().hasPrefix("frau"), first.split(separator: " ").count <= 8
        else { return nil }
        // A line of the letter's body ("Telefon …") has no street; a return address has one.
        guard parts.dropFirst().contains(where: { $0.contains(where: \.isNumber) && !hasPostcode($0) })
            || parts.count >= 3 || hasPostcode(parts[1])
        else { return nil }
        return PartyName.clean(first)
    }

    private static func hasPostcode(_ text: String) -> Bool {
        text.split(separator: " ").contains { word in
            let bare = word.trimmingCharacters(in: .punctuationCharacters)
            return bare.count == 5 && bare.allSatisfy(\.isNumber)
        }
    }

    private static func segments(of raw: String) -> [String] {
        var parts = [raw]
        for separator in separators {
            parts = parts.flatMap { $0.components(separatedBy: separator) }
        }
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The party a contract names in `role` ("Vermieter"), with the line it ends on.
    static func party(roles: [String], in document: DocumentText) -> (name: String, line: Int)? {
        for role in roles {
            if let found = party(role: role, in: document) { return found }
        }
        return nil
    }

    static func party(role: String, in document: DocumentText) -> (name: String, line: Int)? {
        let foldedRole = TextFolding.fold(role).lowercased()
        let lines = document.lines
        for (index, line) in lines.enumerated() {
            let lower = line.foldedText
            guard let roleRange = lower.range(of: foldedRole) else { continue }
            // The whole word: "Vermieters" is no role marker.
            if roleRange.upperBound < lower.endIndex, lower[roleRange.upperBound].isLetter { continue }
            // "Vermieter:" is a label, read by the label rules.
            let after = lower[roleRange.upperBound...]
            if after.hasPrefix(":") || after.hasPrefix(" :") { continue }
            let before = String(lower[..<roleRange.lowerBound])
            // Marker after the name: "… (Vermieter)", "– im Folgenden „Vermieter" genannt –".
            if let cut = markerStart(before) {
                let rawBefore = rawPrefix(of: line, foldedCount: cut)
                var collected = [rawBefore]
                // The name may stand on the lines above, up to "Zwischen" or "und"; also where the
                // line above breaks the party's address ("… eG, Hofaue 21, 42103" / "Wuppertal, –
                // nachstehend …"): a line that ends in a comma or a postcode goes on here.
                var back = index - 1
                while back >= 0, index - back <= 4,
                    trimmedLetters(collected.joined(separator: " ")) < 3 || endsWithAddress(collected.first ?? "")
                        || continuesBelow(lines[back].raw) || startsSmall(collected.first ?? "") || endsSmall(lines[back].raw)
                {
                    let previous = lines[back].raw
                    let folded = lines[back].foldedText.trimmingCharacters(in: .whitespaces)
                    if folded.isEmpty || folded == "zwischen" || folded == "und" { break }
                    collected.insert(previous, at: 0)
                    back -= 1
                }
                let text = collected.joined(separator: " ")
                if let name = PartyName.clean(afterConnective(text)) { return (name, line.number) }
            }
            // "… und dem Vermieter Herrn Hans Seidel, …": the name after the role word.
            let beforeWords = before.split(separator: " ")
            if let last = beforeWords.last, ["dem", "der", "den", "die"].contains(String(last)) {
                let rawAfter = rawSuffix(of: line, foldedStart: lower.distance(from: lower.startIndex, to: roleRange.upperBound))
                let firstWord = rawAfter.split(separator: " ").first.map { $0.lowercased().trimmingCharacters(in: .punctuationCharacters) }
                let introduced = ["herrn", "herr", "frau", "firma", "eheleute"].contains(firstWord ?? "")
                if let name = PartyName.clean(rawAfter), introduced || PartyName.hasLegalForm(name),
                    name.split(separator: " ").count >= 2
                {
                    return (name, line.number)
                }
            }
        }
        return nil
    }

    /// Where a role marker starts at the end of `before` (folded text before the role word):
    /// "(", "–", "im Folgenden „", "nachstehend", "als"; nil when the role word follows no marker.
    private static func markerStart(_ before: String) -> Int? {
        var chars = Array(before)
        func dropTrailing(_ set: Set<Character>) { while let last = chars.last, set.contains(last) { chars.removeLast() } }
        let quotes: Set<Character> = [" ", "\"", "„", "“", "”", "'", "‚", "‘", "»", "«"]
        dropTrailing(quotes)
        let length = chars.count
        if chars.last == "(" {
            chars.removeLast()
        } else {
            var matched = false
            for phrase in ["im folgenden", "nachstehend", "nachfolgend", "als", "- im folgenden"] {
                let p = Array(phrase)
                if chars.count > p.count, Array(chars.suffix(p.count)) == p, chars[chars.count - p.count - 1] == " " {
                    chars.removeLast(p.count)
                    matched = true
                    break
                }
            }
            dropTrailing([" "])
            if let last = chars.last, "-–—".contains(last) {
                chars.removeLast()
                matched = true
            }
            guard matched else { return nil }
        }
        dropTrailing([" ", ",", "-", "–", "—"])
        guard chars.count < length, !chars.isEmpty else { return nil }
        return chars.count
    }

    private static func trimmedLetters(_ text: String) -> Int { text.filter(\.isLetter).count }

    /// Whether a line breaks off a sentence: it ends in a small word ("… 80337 München,
    /// vertreten durch die" / "Geschäftsführung, – nachfolgend …").
    static func endsSmall(_ raw: String) -> Bool {
        guard let last = raw.split(separator: " ").last, let letter = last.first, letter.isLetter else { return false }
        return letter.isLowercase && last.allSatisfy(\.isLetter)
    }

    /// Whether a line goes on a sentence from the line above: it starts with a small word
    /// ("durch die Geschäftsführung, – nachfolgend …" after "… 20354 Hamburg, vertreten").
    static func startsSmall(_ text: String) -> Bool {
        guard let first = text.split(separator: " ").first, let letter = first.first, letter.isLetter else { return false }
        return letter.isLowercase
    }

    /// Whether a line's text goes on in the next line: it ends in a comma or a postcode.
    private static func continuesBelow(_ raw: String) -> Bool {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix(",") { return true }
        let last = trimmed.split(separator: " ").last ?? ""
        return last.count == 5 && last.allSatisfy(\.isNumber)
    }

    private static func endsWithAddress(_ text: String) -> Bool {
        let words = text.split(separator: " ")
        guard let first = words.first else { return false }
        return first.first?.isNumber == true
    }

    /// The text after the last "zwischen" or "und" that introduces a party; an "und" after a
    /// hyphen joins two words of one name ("Bau- und Wohnungsgenossenschaft").
    private static func afterConnective(_ text: String) -> String {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        let connective = words.indices.last { index in
            let word = words[index].lowercased()
            if word == "zwischen" { return true }
            return word == "und" && !(index > 0 && words[index - 1].hasSuffix("-"))
        }
        if let index = connective, index < words.count - 1 {
            return words[(index + 1)...].joined(separator: " ")
        }
        return text
    }

    private static func rawPrefix(of line: FoldedLine, foldedCount: Int) -> String {
        guard foldedCount > 0 else { return "" }
        let end = line.rawEndOffset[min(foldedCount, line.rawEndOffset.count) - 1]
        return String(decoding: Array(line.raw.utf16)[..<min(end, line.raw.utf16.count)], as: UTF16.self)
    }

    private static func rawSuffix(of line: FoldedLine, foldedStart: Int) -> String {
        guard foldedStart < line.rawOffset.count else { return "" }
        let start = line.rawOffset[foldedStart]
        return String(decoding: Array(line.raw.utf16)[start...], as: UTF16.self)
    }
}

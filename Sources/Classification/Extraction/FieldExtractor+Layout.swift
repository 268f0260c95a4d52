import Foundation

/// How `FieldExtractor` reads a layout around a label: header rows and grids of column heads,
/// a name in the first column below its head, a remark after a label, a month after a "from" label.
extension FieldExtractor {
    /// The place of `hit` among the labels of a header row (at least two labels of the class,
    /// side by side, and nothing else but short words in parentheses), or nil.
    func headerOrdinal(of hit: LabelLocator.Hit, in line: FoldedLine) -> (index: Int, count: Int)? {
        guard classLabels.count > 1, !line.raw.contains(where: \.isNumber) else { return nil }
        var hits: [LabelLocator.Hit] = []
        for label in classLabels.sorted(by: { $0.count > $1.count }) {
            for found in LabelLocator.exactHits(of: label, in: line)
            where !hits.contains(where: { $0.start < found.end && found.start < $0.end }) {
                hits.append(found)
            }
        }
        guard hits.count >= 2 else { return nil }
        hits.sort { $0.start < $1.start }
        // What the labels leave over must be little: parentheses and short words.
        var covered = Array(repeating: false, count: line.folded.count)
        for found in hits { for index in found.start..<found.end { covered[index] = true } }
        let rest = String(line.folded.enumerated().filter { !covered[$0.offset] }.map(\.element))
        let restWords = rest.split(whereSeparator: { " ()/,.:-".contains($0) })
        guard restWords.count <= hits.count, restWords.allSatisfy({ $0.count <= 8 }) else { return nil }
        guard let index = hits.firstIndex(where: { $0.start <= hit.start && hit.end <= $0.end }) else { return nil }
        return (index, hits.count)
    }

    /// The entry of `row` in the place of the head the label is, when `line` is a row of at
    /// least three heads with as many entries below, and the label is one whole head.
    static func gridEntry(under hit: LabelLocator.Hit, in line: FoldedLine, row: String) -> String? {
        let heads = line.raw.split(whereSeparator: \.isWhitespace)
        let entries = row.split(whereSeparator: \.isWhitespace)
        guard heads.count >= 3, heads.count == entries.count else { return nil }
        let start = line.rawOffset[hit.start], end = line.rawEndOffset[hit.end - 1]
        let units = line.raw.utf16
        for (index, head) in heads.enumerated() {
            let headStart = units.distance(from: units.startIndex, to: head.startIndex.samePosition(in: units)!)
            let headEnd = headStart + head.utf16.count
            guard headStart <= start, end <= headEnd else { continue }
            // The label must be the head, not a part of a longer one (punctuation aside).
            let letters = { (text: Substring) in text.filter { $0.isLetter || $0.isNumber }.count }
            let label = line.raw.utf16.count >= end ? String(decoding: Array(units)[start..<end], as: UTF16.self) : ""
            guard letters(head) == letters(Substring(label)) else { return nil }
            return String(entries[index])
        }
        return nil
    }

    /// Whether a label occurrence names the field: not negated ("Kaltmiete (ohne Nebenkosten)"
    /// is no Nebenkosten label), and for names and text not the start of a longer word
    /// ("Arbeitgeberanteil" is no "Arbeitgeber").
    static func counts(_ hit: LabelLocator.Hit, in line: FoldedLine, for definition: FieldDefinition) -> Bool {
        let folded = line.folded
        let before = String(folded[..<hit.start]).split(whereSeparator: { $0 == " " || $0 == "(" })
        if let last = before.last, last == "ohne" || last == "exkl." || last == "excl." { return false }
        if definition.type == .text || definition.type == .name, hit.end < folded.count, folded[hit.end].isLetter,
            folded[hit.end - 1].isLetter
        {
            return false
        }
        return true
    }

    /// Where a name's value starts after a remark in parentheses that belongs to its label
    /// ("Vermieter (Name, Anschrift): Hanse Immobilienverwaltung GmbH, …").
    static func afterRemark(in raw: String, from start: Int) -> Int {
        let units = Array(raw.utf16)
        var index = start
        while index < units.count, units[index] == 32 { index += 1 }
        guard index < units.count, units[index] == 40,  // "("
            let close = units[index...].prefix(40).firstIndex(of: 41)  // ")"
        else { return start }
        var end = close + 1
        while end < units.count, units[end] == 32 || units[end] == 58 { end += 1 }  // spaces and ":"
        return end < units.count ? end : start
    }

    /// A month without a day right after a label that says from when ("ab Januar 2025",
    /// "gültig ab 03/2025"): a date field's first day of that month.
    func firstDayOfMonth(after start: Int, in raw: String, label: String, _ definition: FieldDefinition) -> ValueMatch? {
        let folded = TextFolding.fold(label).trimmingCharacters(in: CharacterSet(charactersIn: " :"))
        guard definition.type == .date, ["ab", "seit", "vom", "beginn"].contains(where: { folded.hasSuffix($0) }),
            let month = MonthParser.allMatches(in: raw).first(where: { $0.range.lowerBound >= start })
        else { return nil }
        let between = String(decoding: Array(raw.utf16)[start..<month.range.lowerBound], as: UTF16.self)
        guard between.allSatisfy({ $0 == " " || $0 == ":" }), !DateParser.allMatches(in: raw).contains(where: { $0.range.overlaps(month.range) })
        else { return nil }
        var value = month.value
        value.normalized += "-01"
        return ValueMatch(value: value, range: month.range)
    }

    /// Whether the text after a label on its line is another column's head, not the value: it
    /// starts with a label of the class, or it is one to three words ending in a colon
    /// ("Vermieter: Mieter:").
    func headsAColumn(_ raw: String, from start: Int) -> Bool {
        let units = Array(raw.utf16)
        guard start < units.count else { return false }
        let rest = String(decoding: units[start...], as: UTF16.self).trimmingCharacters(in: CharacterSet(charactersIn: " :"))
        guard !rest.isEmpty, !rest.contains(where: \.isNumber) else { return false }
        let words = rest.split(whereSeparator: \.isWhitespace)
        if words.count <= 3, raw.trimmingCharacters(in: .whitespaces).hasSuffix(":") { return true }
        let folded = Array(TextFolding.fold(rest))
        return classLabels.contains { label in
            label.count >= 4 && folded.count >= label.count && Array(folded.prefix(label.count)) == label
                && (folded.count == label.count || !folded[label.count].isLetter)
        }
    }

    /// The name in the first column of the line below a row of column heads, when the label is
    /// the first head: the line's words up to another column's figure, cut after a legal form.
    /// A person's name of two columns cannot be told apart by words alone: the first two words,
    /// doubtful.
    func nameInFirstColumn(
        under hit: LabelLocator.Hit, lineIndex: Int, _ definition: FieldDefinition, anchor: String, in document: DocumentText
    ) -> ExtractedField? {
        let line = document.lines[lineIndex]
        let before = String(decoding: Array(line.raw.utf16)[..<line.rawOffset[hit.start]], as: UTF16.self)
        guard !before.contains(where: \.isLetter),
            let nextIndex = document.lines.indices.dropFirst(lineIndex + 1).first(where: { !document.lines[$0].folded.isEmpty })
        else { return nil }
        let next = document.lines[nextIndex]
        let words = next.raw.split(whereSeparator: \.isWhitespace)
        let nameWords = words.prefix { !$0.contains(where: \.isNumber) }
        guard !nameWords.isEmpty, let name = PartyName.clean(nameWords.joined(separator: " ")) else { return nil }
        var result = field(
            definition, ParsedValue(normalized: name, raw: nameWords.joined(separator: " ")), line: next.number, anchor: anchor)
        if !PartyName.hasLegalForm(name), nameWords.count < words.count {
            return result  // another column's figure ends the name
        }
        if !PartyName.hasLegalForm(name), name.split(separator: " ").count > 3 {
            let guess = name.split(separator: " ").prefix(2).joined(separator: " ")
            result.value = guess
            result.doubtful = true
            result.reason =
                "„\(definition.labels.first ?? definition.key)“ steht über zwei Spalten; der Name „\(guess)“ ist aus der Zeile „\(name)“ geschätzt"
        }
        return result
    }
}

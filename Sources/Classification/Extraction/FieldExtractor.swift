import Foundation

/// Extracts the configured fields of a class from a document and runs their checks.
///
/// A field is found by its pattern (capture group 1) or by a label: the first value of the
/// field's type after the label on the same line, else on the next non-empty line (there
/// the value nearest the label's column wins, for table layouts). Exact label matches are
/// tried before OCR-tolerant ones; an integer field may finally count matching lines
/// (`count_of`).
struct FieldExtractor: Sendable {
    /// The day checks like `not_future` compare against (ISO `yyyy-mm-dd`).
    let today: String
    /// A label followed by more words than this (or by any digit) is prose or a filled-in
    /// line, not a form label or table header: no value is taken from the next line.
    static let maximumWordsAfterLabel = 4

    /// Every label of the class being extracted: a line made of several of them is a table's
    /// header row.
    var classLabels: [[Character]] = []

    func extract(_ definitions: [FieldDefinition], from document: DocumentText) -> [ExtractedField] {
        var extractor = self
        extractor.classLabels = definitions.flatMap(\.foldedLabels).filter { !$0.isEmpty }
        var fields = definitions.compactMap { extractor.find($0, in: document) }
        for definition in definitions {
            if let ibanKey = definition.bankOf { BankOfIBAN.apply(definition, iban: ibanKey, to: &fields, in: document) }
        }
        for index in fields.indices { NameAgreement.check(&fields[index], in: document) }
        var checker = FieldChecker(today: today)
        if definitions.contains(where: { $0.checks.contains { if case .mrz = $0 { true } else { false } } }) {
            checker.zone = MachineReadableZone.find(in: document.lines)
        }
        if definitions.contains(where: { $0.checks.contains { if case .balance = $0 { true } else { false } } }) {
            checker.bookings = BookingLines.amounts(in: document)
        }
        checker.apply(definitions, to: &fields)
        return fields
    }

    /// A line with the same label more often than this is not a form: the rest is ignored.
    static let maximumHitsPerLine = 4

    private func find(_ definition: FieldDefinition, in document: DocumentText) -> ExtractedField? {
        if !definition.choices.isEmpty {
            return ChoiceFinder.find(definition, in: document)
        }
        if let pattern = definition.pattern, let field = findByPattern(pattern, definition, in: document) {
            return field
        }
        if !definition.roles.isEmpty, let party = PartyFinder.party(roles: definition.roles, in: document) {
            return field(
                definition, ParsedValue(normalized: party.name, raw: party.name), line: party.line,
                anchor: "role \(definition.roles.joined(separator: "/"))")
        }
        var values = LineValues(type: definition.type, document: document)
        let bookings = definition.skipBookings ? BookingLines(document) : nil
        for fuzzy in [false, true] {
            for (labelIndex, label) in definition.foldedLabels.enumerated() {
                let halves = fuzzy ? LabelLocator.halves(of: label) : nil
                if fuzzy && halves == nil { continue }
                // A value beside the label anywhere beats one below it ("3. Miete und
                // Nebenkosten" as a heading must not take the next figure).
                for below in [false, true] {
                    for lineIndex in definition.last ? Array(document.lines.indices.reversed()) : Array(document.lines.indices) {
                        let line = document.lines[lineIndex]
                        if let halves, !halves.contains(where: { line.foldedText.contains($0) }) { continue }
                        if let bookings, bookings.contains(lineIndex) { continue }
                        var hits =
                            fuzzy ? LabelLocator.fuzzyHits(of: label, in: line) : LabelLocator.exactHits(of: label, in: line)
                        if !fuzzy, !below, hits.isEmpty, lineIndex > 0,
                            let continued = LabelLocator.continuedHit(of: label, in: line, after: document.lines[lineIndex - 1])
                        {
                            hits = [continued]
                        }
                        for hit in hits.prefix(Self.maximumHitsPerLine) where Self.counts(hit, in: line, for: definition) {
                            if var field = value(
                                after: hit, lineIndex: lineIndex, below: below, definition, anchor: definition.labels[labelIndex],
                                in: document, values: &values)
                            {
                                if !fuzzy, !field.doubtful, !definition.last,
                                    let other = otherValue(
                                        than: field, label: label, from: lineIndex + 1, below: below, definition, bookings: bookings,
                                        in: document, values: &values)
                                {
                                    field.doubtful = true
                                    field.reason =
                                        "die Bezeichnung „\(definition.labels[labelIndex])“ steht in Zeile \(other.line) auch vor einem anderen Wert (\(other.raw))"
                                }
                                return field
                            }
                        }
                    }
                }
            }
        }
        if definition.soleValue {
            var distinct: [String: (ValueMatch, Int)] = [:]
            for (index, line) in document.lines.enumerated() {
                // Bare numbers after an area label are not values without the label, nor are
                // digit runs guessed to be dates without one.
                let found =
                    switch definition.type {
                    case .area: AreaParser.allMatches(in: line.raw)
                    case .date: DateParser.allMatches(in: line.raw)
                    default: values.all(index)
                    }
                for match in found where distinct[match.value.normalized] == nil { distinct[match.value.normalized] = (match, line.number) }
            }
            if distinct.count == 1, let (match, line) = distinct.values.first {
                return field(definition, match.value, line: line, anchor: "the only \(definition.type.rawValue) in the document")
            }
        }
        if definition.type == .iban, let bookings, let field = firstIBAN(outside: bookings, definition, in: document) {
            return field
        }
        if definition.sender, let sender = PartyFinder.sender(in: document) {
            return field(definition, ParsedValue(normalized: sender.name, raw: sender.name), line: sender.line, anchor: sender.route)
        }
        if let counted = definition.countOf, let field = count(counted, definition, in: document) {
            return field
        }
        return nil
    }

    /// The first IBAN outside the bookings, where no label names the account's ("Konto DE89 …"
    /// in a header); doubtful when another one stands outside the bookings too.
    private func firstIBAN(outside bookings: BookingLines, _ definition: FieldDefinition, in document: DocumentText)
        -> ExtractedField?
    {
        var found: [(ValueMatch, Int)] = []
        for (index, line) in document.lines.enumerated() where !bookings.contains(index) {
            for match in IBAN.allMatches(in: line.raw) where !found.contains(where: { $0.0.value.normalized == match.value.normalized }) {
                found.append((match, line.number))
            }
        }
        guard let (first, line) = found.first else { return nil }
        var result = field(definition, first.value, line: line, anchor: "first IBAN outside the bookings")
        if found.count > 1, !result.doubtful {
            result.doubtful = true
            result.reason = "keine Bezeichnung nennt die IBAN des Kontos; in Zeile \(found[1].1) steht eine weitere IBAN (\(found[1].0.value.raw))"
        }
        return result
    }

    /// Another value the same label gives further down, differing from `found`: two
    /// "Nettokaltmiete" with different figures, or an intermediate balance before the last one.
    private func otherValue(
        than found: ExtractedField, label: [Character], from start: Int, below: Bool, _ definition: FieldDefinition,
        bookings: BookingLines?, in document: DocumentText, values: inout LineValues
    ) -> ExtractedField? {
        guard start < document.lines.count else { return nil }
        for lineIndex in start..<document.lines.count {
            if let bookings, bookings.contains(lineIndex) { continue }
            for hit in LabelLocator.exactHits(of: label, in: document.lines[lineIndex]).prefix(Self.maximumHitsPerLine)
            where Self.counts(hit, in: document.lines[lineIndex], for: definition) {
                guard
                    let other = value(
                        after: hit, lineIndex: lineIndex, below: below, definition, anchor: found.anchor, in: document,
                        values: &values)
                else { continue }
                if other.value.lowercased() != found.value.lowercased() { return other }
            }
        }
        return nil
    }

    /// The place of `hit` among the labels of a header row (at least two labels of the class,
    /// side by side, and nothing else but short words in parentheses), or nil.
    private func headerOrdinal(of hit: LabelLocator.Hit, in line: FoldedLine) -> (index: Int, count: Int)? {
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

    /// The number of lines matching `pattern` (e.g. one table row per child).
    private func count(_ pattern: ConfiguredPattern, _ definition: FieldDefinition, in document: DocumentText) -> ExtractedField?
    {
        let lines = document.lines.filter { pattern.regex.firstMatch(in: $0.raw) != nil }
        guard let first = lines.first else { return nil }
        let value = ParsedValue(
            normalized: String(lines.count), raw: "\(lines.count) lines like '\(first.raw.trimmingCharacters(in: .whitespaces))'")
        return field(definition, value, line: first.number, anchor: "count_of")
    }

    private func findByPattern(_ pattern: ConfiguredPattern, _ definition: FieldDefinition, in document: DocumentText)
        -> ExtractedField?
    {
        for line in document.lines {
            guard let match = pattern.regex.firstMatch(in: line.raw), let captured = match.group(1, in: line.raw) else {
                continue
            }
            guard let found = ValueFinder.first(definition.type, in: captured) else { continue }
            return field(definition, found.value, line: line.number, anchor: "pattern")
        }
        return nil
    }

    private func value(
        after hit: LabelLocator.Hit, lineIndex: Int, below: Bool, _ definition: FieldDefinition, anchor: String,
        in document: DocumentText, values: inout LineValues
    ) -> ExtractedField? {
        let line = document.lines[lineIndex]
        var start = line.rawEndOffset[hit.end - 1]
        if definition.type == .text || definition.type == .name { start = Self.afterRemark(in: line.raw, from: start) }
        let foundOnLine =
            definition.type == .text || definition.type == .name
            ? ValueFinder.first(definition.type, in: line.raw, from: start)
            : values.all(lineIndex).first { $0.range.lowerBound >= start }
        let sameLine = foundOnLine ?? firstDayOfMonth(after: start, in: line.raw, label: anchor, definition)
        let isName = definition.type == .text || definition.type == .name
        if let found = sameLine, !(isName && headsAColumn(line.raw, from: start)) {
            return below ? nil : field(definition, found.value, line: line.number, anchor: anchor)
        }
        guard below else { return nil }
        // A name under its label in a row of column heads ("Vermieter: Mieter:" over "Hans
        // Seidel Eva Brandt", "Name des Vermieters Miete ohne Nebenkosten" over "Hans Seidel
        // 471,90 €").
        if isName, sameLine != nil {
            return nameInFirstColumn(under: hit, lineIndex: lineIndex, definition, anchor: anchor, in: document)
        }
        // A header row of several labels over a row of as many values ("Grundmiete (kalt)
        // Nebenkosten (kalt) Heizkosten Gesamtmiete" over "530,00 195,00 125,00 850,00"): the
        // value in the label's place.
        if let ordinal = headerOrdinal(of: hit, in: line) {
            let following = document.lines.indices.dropFirst(lineIndex + 1).lazy.filter { !document.lines[$0].folded.isEmpty }
            if let nextIndex = following.first {
                let row = values.all(nextIndex)
                if row.count == ordinal.count {
                    return field(definition, row[ordinal.index].value, line: document.lines[nextIndex].number, anchor: anchor)
                }
            }
        }
        // The value may stand below the label (forms, table headers), but not below a sentence.
        let rest = line.raw.utf16.count > start ? String(decoding: Array(line.raw.utf16)[start...], as: UTF16.self) : ""
        // A table's header row may run on with more column heads, all capitalised nouns or
        // abbreviations ("St.Kl. Kinderfreib. Konf. Eintritt Krankenkasse"); a sentence has
        // small words.
        let restWords = rest.split(whereSeparator: \.isWhitespace).filter { $0.contains(where: \.isLetter) }
        let columnHeads = restWords.count <= 2 * Self.maximumWordsAfterLabel
            && restWords.allSatisfy { $0.first(where: \.isLetter)?.isUppercase == true }
        guard restWords.count <= Self.maximumWordsAfterLabel || columnHeads, !rest.contains(where: \.isNumber)
        else { return nil }
        // A sentence broken after its label ("… ist seit" / "dem 22.06.2025 arbeitsunfähig
        // erkrankt, voraussichtlich bis zum 28.06.2025.", or "… ist seit dem" / "21.05.2025 …"):
        // the value is the one the next line starts with, not the one under the label's column.
        // Prose, not a table's header row: many words, no column gap, and the word before the
        // label written small ("ist seit", "bis zum"; a header's "Anlagen Neuer Kontostand" is not).
        let textBefore = String(decoding: Array(line.raw.utf16)[..<line.rawOffset[hit.start]], as: UTF16.self)
        let wordsBefore = textBefore.split(whereSeparator: \.isWhitespace)
        let prose = wordsBefore.count > Self.maximumWordsAfterLabel && !line.raw.contains("  ")
            && wordsBefore.last?.first?.isLowercase == true
        // Nothing after the label but small words ("ist seit dem" / "21.05.2025 …") or a few
        // words that end the label's phrase ("Vorauszahlung für Heizung und Warmwasser" / "von
        // 100,50 €").
        let restOfPhrase = rest.split(whereSeparator: \.isWhitespace)
        let onlySmallWords = restOfPhrase.allSatisfy { $0.first?.isLowercase == true } || restOfPhrase.count <= 3
        if onlySmallWords, prose,
            let nextIndex = document.lines.indices.dropFirst(lineIndex + 1).first(where: { !document.lines[$0].folded.isEmpty })
        {
            let next = document.lines[nextIndex].raw
            // The sentence goes on into the value: a few words before it ("(ohne Heizung) von
            // 185,00 €"), none ending a sentence.
            if let first = values.all(nextIndex).first,
                case let lead = String(decoding: Array(next.utf16)[..<first.range.lowerBound], as: UTF16.self),
                lead.split(whereSeparator: \.isWhitespace).count <= 4, !lead.contains(". ")
            {
                return field(definition, first.value, line: document.lines[nextIndex].number, anchor: anchor)
            }
            return nil
        }
        // A grid of short column heads over a row of as many entries ("Pers.-Nr. St.Kl.
        // Kinderfreib. Konf." over "00263 3 1,0 ev"): the entry in the label's place, where
        // the label is one of the heads and the entry is a value of the field's type.
        if definition.type != .text, definition.type != .name,
            let nextIndex = document.lines.indices.dropFirst(lineIndex + 1).first(where: { !document.lines[$0].folded.isEmpty }),
            let entry = Self.gridEntry(under: hit, in: line, row: document.lines[nextIndex].raw),
            let found = ValueFinder.first(definition.type, in: entry), found.range == 0..<entry.utf16.count
        {
            return field(definition, found.value, line: document.lines[nextIndex].number, anchor: anchor)
        }
        // OCR of forms often puts the value one or two lines further down, after another
        // label: look at the next two non-empty lines, skipping those without a value.
        let labelColumn = line.rawOffset[hit.start]
        let following = document.lines.indices.dropFirst(lineIndex + 1).lazy.filter { !document.lines[$0].folded.isEmpty }.prefix(
            2)
        for nextIndex in following {
            let candidates = values.all(nextIndex).filter {
                (definition.type != .text && definition.type != .name) || !$0.value.normalized.hasSuffix(":")
            }
            let nearest = candidates.min {
                abs($0.range.lowerBound - labelColumn) < abs($1.range.lowerBound - labelColumn)
            }
            guard let nearest else { continue }
            return field(definition, nearest.value, line: document.lines[nextIndex].number, anchor: anchor)
        }
        return nil
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
    private func nameInFirstColumn(
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

    private func field(_ definition: FieldDefinition, _ value: ParsedValue, line: Int, anchor: String) -> ExtractedField {
        ExtractedField(
            key: definition.key, type: definition.type, value: value.normalized, raw: value.raw, doubtful: value.doubtful,
            reason: value.reason, line: line, anchor: anchor, checks: [])
    }
}

/// Values of one type per line, computed once per line (lines of any length stay linear).
struct LineValues {
    let type: FieldType
    let document: DocumentText
    private var cache: [Int: [ValueMatch]] = [:]

    init(type: FieldType, document: DocumentText) {
        self.type = type
        self.document = document
    }

    mutating func all(_ lineIndex: Int) -> [ValueMatch] {
        if let cached = cache[lineIndex] { return cached }
        let found = ValueFinder.all(type, in: document.lines[lineIndex].raw)
        cache[lineIndex] = found
        return found
    }
}

/// The lines of a statement's bookings: a line that starts with a day ("03.03." or
/// "03.03.2025") and carries an amount, and the lines of its text below it (empty lines
/// included) up to a balance, a sum or a longer line.
public struct BookingLines {
    private var indices: Set<Int> = []

    init(_ document: DocumentText) {
        var inBooking = false
        for (index, line) in document.lines.enumerated() {
            let raw = line.raw.trimmingCharacters(in: .whitespaces)
            if Self.startsWithDay(raw), !AmountParser.allMatches(in: raw).isEmpty {
                indices.insert(index)
                inBooking = true
            } else if inBooking, raw.isEmpty {
                // OCR leaves empty lines inside a booking's text.
                continue
            } else if inBooking, raw.split(separator: " ").count <= 12,
                !["saldo", "kontostand", "uebertrag", "summe"].contains(where: { line.foldedText.contains($0) })
            {
                // The booking's text: counterparty, IBAN, purpose.
                indices.insert(index)
            } else {
                inBooking = false
            }
        }
    }

    func contains(_ index: Int) -> Bool { indices.contains(index) }

    /// The signed amount of each booking line in cents, in order: the last amount on a line that
    /// starts with a day ("03.02.2025 03.02. Lastschrift -70,00", "05.02./05.02. … 48,71 S").
    /// Nil when a line that starts with a day has more than two amounts (a balance column or
    /// a line read together with its neighbour: the sum would not be the bookings').
    static func amounts(in document: DocumentText) -> [Int]? {
        var amounts: [Int] = []
        for line in document.lines {
            let raw = line.raw.trimmingCharacters(in: .whitespaces)
            guard startsWithDay(raw) else { continue }
            let found = AmountParser.allMatches(in: raw)
            guard let last = found.last else { continue }
            guard found.count <= 2, let cents = AmountParser.cents(last.value.normalized) else { return nil }
            amounts.append(cents)
        }
        return amounts
    }

    /// Whether `raw` starts with a day without year, as bookings do ("03.03.").
    public static func startsWithDay(_ raw: String) -> Bool {
        let characters = Array(raw.prefix(6))
        guard characters.count == 6 else { return false }
        return characters[0].isNumber && characters[1].isNumber && characters[2] == "." && characters[3].isNumber
            && characters[4].isNumber && characters[5] == "."
    }
}

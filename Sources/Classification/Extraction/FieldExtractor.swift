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
        for definition in definitions where !definition.doubtfulWith.isEmpty {
            guard let index = fields.firstIndex(where: { $0.key == definition.key }), !fields[index].doubtful else { continue }
            for (phrase, compact) in zip(definition.doubtfulWith, definition.compactDoubtfulWith) {
                guard let offset = document.compactOffset(of: compact) else { continue }
                fields[index].doubtful = true
                fields[index].reason =
                    "\(definition.label): das Dokument sagt „\(phrase)“ (Zeile \(document.lineNumber(forCompactOffset: offset))); bitte prüfen, ob „\(fields[index].value)“ zutrifft"
                break
            }
        }
        SharedValuePlace.check(&fields, labels: Dictionary(definitions.map { ($0.key, $0.label) }, uniquingKeysWith: { a, _ in a }), in: document)
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

    func field(_ definition: FieldDefinition, _ value: ParsedValue, line: Int, anchor: String) -> ExtractedField {
        ExtractedField(
            key: definition.key, type: definition.type, value: value.normalized, raw: value.raw, doubtful: value.doubtful,
            reason: value.reason, line: line, anchor: anchor, checks: [])
    }
}

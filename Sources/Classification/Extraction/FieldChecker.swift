/// Runs the configured checks over extracted fields and marks failures doubtful.
struct FieldChecker {
    let today: String

    init(today: String) { self.today = today }
    /// The identity document's machine-readable zone, when the document has one (found only
    /// when a field asks for an `mrz` check).
    var zone: MachineReadableZone? = nil
    /// The signed amounts of the document's booking lines in cents (found only when a field
    /// asks for a `balance` check); nil when a booking line's amount cannot be read.
    var bookings: [Int]? = nil

    func apply(_ definitions: [FieldDefinition], to fields: inout [ExtractedField]) {
        var checker = self
        checker.labels = Dictionary(definitions.map { ($0.key, $0.label) }, uniquingKeysWith: { first, _ in first })
        checker.check(definitions, &fields)
    }

    /// Field key → its German label (for the details a caseworker reads).
    private(set) var labels: [String: String] = [:]

    private func check(_ definitions: [FieldDefinition], _ fields: inout [ExtractedField]) {
        for index in fields.indices where fields[index].type == .name {
            if let slip = Self.glyphSlip(in: fields[index].value) {
                markDoubtful(
                    &fields[index],
                    "„\(slip)“ enthält ein Zeichen, das die Texterkennung oft für einen Buchstaben setzt; bitte den Namen im Dokument prüfen")
            }
            if let word = Self.dotlessI(in: fields[index].value) {
                markDoubtful(
                    &fields[index],
                    "„\(word)“ enthält ein ı ohne Punkt, das die Texterkennung oft für ein i setzt, dessen Punkt sie nicht sah; bitte den Namen im Dokument prüfen")
            }
            if let split = Self.splitWord(in: fields[index].value) {
                markDoubtful(
                    &fields[index],
                    "„\(split)“: ein Wort des Namens beginnt mit einem Kleinbuchstaben; vielleicht hat die Texterkennung ein Wort getrennt; bitte den Namen im Dokument prüfen")
            }
        }
        for definition in definitions {
            guard let index = fields.firstIndex(where: { $0.key == definition.key }) else { continue }
            for check in definition.checks {
                guard let outcome = evaluate(check, on: fields[index], all: fields) else { continue }
                fields[index].checks.append(outcome)
                guard !outcome.passed else { continue }
                var involved = [definition.key]
                if case .sumOf(let parts) = check { involved += parts }
                if case .notBefore(let other) = check { involved.append(other) }
                if case .notAbove(let other) = check { involved.append(other) }
                if case .notWith(let other) = check { involved.append(other) }
                if case .balance(let opening) = check { involved.append(opening) }
                for key in involved {
                    guard let target = fields.firstIndex(where: { $0.key == key }) else { continue }
                    markDoubtful(&fields[target], outcome.detail)
                }
            }
        }
    }

    /// A word of a name in which a sign stands glued to a small letter ("Caf&" for "Café": the
    /// German model has no é). Signs between capitals are names' own ("H&M", "C&A").
    static func glyphSlip(in name: String) -> Substring? {
        let signs: Set<Character> = ["&", "@", "#", "$", "%", "§", "|", "\\", "{", "}", "[", "]", "^", "~", "=", "*", "?", "!", "¢", "£"]
        for word in name.split(separator: " ") {
            let characters = Array(word)
            for (index, character) in characters.enumerated() where signs.contains(character) {
                let before = index > 0 ? characters[index - 1] : nil
                let after = index + 1 < characters.count ? characters[index + 1] : nil
                if before?.isLowercase == true || after?.isLowercase == true { return word }
            }
        }
        return nil
    }

    /// A word of a name with a dotless ı: Turkish names have it, but in a German document it is
    /// far more often an i whose dot the OCR did not see ("Aylın" for "Aylin").
    static func dotlessI(in name: String) -> Substring? {
        name.split(separator: " ").first { $0.contains("ı") }
    }

    /// Small words a name may hold between its capitalised ones ("Haus unter den Linden").
    private static let smallWords: Set<String> = ["unter", "über", "ohne", "sowie", "oder", "nach", "hinter", "gegenüber", "neben", "zwischen"]

    /// Two words of a name of which the second, of seven letters or more, is written small and is
    /// not a small word: a word the OCR cut in two ("Immobi lienverwaltung"). Legal forms
    /// ("gGmbH", "mbH"), words in brackets ("(haftungsbeschränkt)") and a brand's short small word
    /// ("Isartal wohnen") are names' own.
    static func splitWord(in name: String) -> String? {
        let words = name.split(separator: " ")
        for (index, word) in words.enumerated() where index > 0 {
            guard word.count >= 7, word.allSatisfy({ $0.isLetter && $0.isLowercase }), !smallWords.contains(String(word)) else { continue }
            let before = words[index - 1]
            guard before.last?.isLetter == true, before.first?.isUppercase == true else { continue }
            return "\(before) \(word)"
        }
        return nil
    }

    private func markDoubtful(_ field: inout ExtractedField, _ reason: String) {
        field.doubtful = true
        if let existing = field.reason, !existing.isEmpty {
            if !existing.contains(reason) { field.reason = existing + "; " + reason }
        } else {
            field.reason = reason
        }
    }

    private func evaluate(_ check: FieldCheck, on field: ExtractedField, all fields: [ExtractedField]) -> CheckOutcome? {
        switch check {
        case .sumOf(let parts):
            guard let total = AmountParser.cents(field.value) else { return nil }
            let present = parts.compactMap { key in fields.first { $0.key == key } }
            guard !present.isEmpty else { return nil }
            let sum = present.compactMap { AmountParser.cents($0.value) }.reduce(0, +)
            let missing = parts.filter { key in !present.contains { $0.key == key } }
            let name = "sum_of [\(parts.joined(separator: ", "))]"
            let expression = present.map { "\(label($0.key)) \(german($0))" }.joined(separator: " + ")
            let missingNote = missing.isEmpty ? "" : " (nicht gefunden: \(missing.map(label).joined(separator: ", ")))"
            if total == sum {
                return CheckOutcome(
                    check: name, passed: true, detail: "\(label(field.key)) \(german(field)) = \(expression)\(missingNote)")
            }
            return CheckOutcome(
                check: name, passed: false,
                detail:
                    "\(label(field.key)) \(german(field)) ≠ \(expression) = \(GermanFormat.fieldValue(AmountParser.format(cents: sum), type: .amount))\(missingNote); bitte die Beträge im Dokument prüfen"
            )
        case .range(let low, let high):
            guard let number = Double(field.value) else { return nil }
            let name = "range [\(format(low)), \(format(high))]"
            if (low...high).contains(number) {
                return CheckOutcome(
                    check: name, passed: true, detail: "\(label(field.key)) \(german(field)) liegt zwischen \(format(low)) und \(format(high))")
            }
            return CheckOutcome(
                check: name, passed: false, detail: "\(label(field.key)) \(german(field)) liegt nicht zwischen \(format(low)) und \(format(high))")
        case .notFuture:
            let reference = field.type == .month ? String(today.prefix(7)) : today
            if field.value <= reference {
                return CheckOutcome(
                    check: "not_future", passed: true, detail: "\(label(field.key)) \(german(field)) liegt nicht nach dem \(GermanFormat.fieldValue(reference, type: field.type == .month ? .month : .date))")
            }
            return CheckOutcome(
                check: "not_future", passed: false, detail: "\(label(field.key)) \(german(field)) liegt in der Zukunft (nach dem \(GermanFormat.fieldValue(reference, type: field.type == .month ? .month : .date)))")
        case .mrz(let element):
            return MRZCheck(element: element, zone: zone, label: label(field.key)).evaluate(field)
        case .notAbove(let other):
            guard let upper = fields.first(where: { $0.key == other }), let value = AmountParser.cents(field.value),
                let limit = AmountParser.cents(upper.value)
            else { return nil }
            let passed = value <= limit
            return CheckOutcome(
                check: "not_above \(other)", passed: passed,
                detail: "\(label(field.key)) \(german(field)) \(passed ? "liegt nicht über" : "liegt über") \(label(other)) \(german(upper))")
        case .notWith(let other):
            guard let both = fields.first(where: { $0.key == other }) else {
                return CheckOutcome(check: "not_with \(other)", passed: true, detail: "\(label(field.key)) \(german(field)), kein Wert für \(label(other))")
            }
            return CheckOutcome(
                check: "not_with \(other)", passed: false,
                detail: "\(label(field.key)) \(german(field)) und \(label(other)) \(german(both)) stehen beide im Dokument, es kann nur eines gelten (das andere gehört zu einem anderen Jahr oder ist falsch gelesen); bitte prüfen")
        case .balance(let openingKey):
            guard let opening = fields.first(where: { $0.key == openingKey }), let start = AmountParser.cents(opening.value),
                let closing = AmountParser.cents(field.value), let bookings, !bookings.isEmpty
            else { return nil }
            let moved = bookings.reduce(0, +)
            let expected = start + moved
            let sum = GermanFormat.fieldValue(AmountParser.format(cents: moved), type: .amount)
            let computed = GermanFormat.fieldValue(AmountParser.format(cents: expected), type: .amount)
            let expression = "\(label(openingKey)) \(german(opening)) + \(bookings.count) Buchungen \(sum) = \(computed)"
            if closing == expected {
                return CheckOutcome(check: "balance \(openingKey)", passed: true, detail: "\(label(field.key)) \(german(field)) = \(expression)")
            }
            return CheckOutcome(
                check: "balance \(openingKey)", passed: false,
                detail: "\(label(field.key)) \(german(field)) ≠ \(expression); bitte die Beträge im Dokument prüfen")
        case .notBefore(let other):
            guard let earlier = fields.first(where: { $0.key == other }) else { return nil }
            if field.value >= earlier.value {
                return CheckOutcome(
                    check: "not_before \(other)", passed: true,
                    detail: "\(label(field.key)) \(german(field)) liegt nicht vor \(label(other)) \(german(earlier))")
            }
            return CheckOutcome(
                check: "not_before \(other)", passed: false,
                detail: "\(label(field.key)) \(german(field)) liegt vor \(label(other)) \(german(earlier))")
        }
    }

    private func format(_ number: Double) -> String {
        (number == number.rounded() ? String(Int(number)) : String(number)).replacingOccurrences(of: ".", with: ",")
    }

    private func label(_ key: String) -> String { labels[key] ?? key }

    /// A value as a German reader writes it: 1.234,50 €, 01.03.2025, 03/2025.
    private func german(_ field: ExtractedField) -> String { GermanFormat.fieldValue(field.value, type: field.type) }
}

import Foundation

/// Looks for fields the rules missed (or found only doubtfully) at the places caseworkers'
/// corrections taught (`FieldLocationModel`).
///
/// A learned location applies to a document of its class whose first lines share most of the
/// layout's words. There a value of the field's type is taken where the learned label words
/// stand before it (or above it), or, for a location without label words, at the learned place
/// with the learned neighbours. The match is clear, and the value taken as it is, when the
/// label matches exactly, the layout's words are nearly all there, the value stands near its
/// learned place and either several corrections agree or the label is distinctive (12 letters
/// or more). A weaker match gives a doubtful value. A layout whose corrections disagree, or
/// matches giving different values, give nothing (abstain).
struct LearnedFieldFinder {
    let model: FieldLocationModel

    /// Share of a location's layout words a document must have for the location to apply.
    static let minimumLayoutShare = 0.5
    /// Share above which the layout counts as clearly the same.
    static let clearLayoutShare = 0.7
    /// A label with this many letters is distinctive on its own.
    static let strongLabelLetters = 12
    /// Farther than this from the learned line share (plus the examples' spread), a match is weak.
    static let lineTolerance = 0.2

    struct Candidate {
        var location: LearnedLocation
        var place: ValueLocation
        var clear: Bool
        var why: [String]
        var score: Double
    }

    enum Finding {
        case found(ExtractedField, clear: Bool, LearnedLocation)
        case abstained(String)
    }

    /// What the learned locations say about field `definition` of a `classID` document; nil when
    /// no learned location applies.
    func find(_ definition: FieldDefinition, classID: String, in document: DocumentText, layout: Set<String>) -> Finding? {
        let learned = model.locations(classID: classID, key: definition.key).filter { $0.type == definition.type }
        guard !learned.isEmpty else { return nil }
        let applying = learned.map { ($0, Self.share($0.layoutWords, in: layout)) }.filter { $0.1 >= Self.minimumLayoutShare }
        guard !applying.isEmpty else { return nil }
        let bestShare = applying.map(\.1).max()!
        if let conflict = applying.first(where: { $0.0.conflicting && $0.1 == bestShare })?.0 {
            return .abstained(
                "the \(conflict.layoutExamples) corrections of this layout disagree on where '\(definition.key)' stands (\(conflict.alternatives.map { "'\($0)'" }.joined(separator: ", "))); nothing learned taken"
            )
        }
        let places = ValueLocator.locations(of: definition.type, in: document)
        var candidates: [Candidate] = []
        for (location, share) in applying where !location.conflicting {
            for place in places {
                if let candidate = Self.match(location, share: share, place) { candidates.append(candidate) }
            }
        }
        guard !candidates.isEmpty else { return nil }
        let top = candidates.map(\.score).max()!
        let best = candidates.filter { $0.score >= top - 0.0001 }
        let values = Set(best.map(\.place.value.normalized))
        if values.count > 1 {
            return .abstained(
                "gelernte Stellen ergeben verschiedene Werte (\(values.sorted().joined(separator: ", "))); nichts Gelerntes übernommen")
        }
        var chosen = best[0]
        // Another, weaker match with a different value makes the choice less sure.
        if let other = candidates.first(where: { $0.place.value.normalized != chosen.place.value.normalized }), chosen.clear {
            chosen.clear = false
            chosen.why.append("eine andere Stelle ergibt \(other.place.value.raw) in Zeile \(other.place.line)")
        }
        var field = ExtractedField(
            key: definition.key, type: definition.type, value: chosen.place.value.normalized, raw: chosen.place.value.raw,
            doubtful: chosen.place.value.doubtful, reason: chosen.place.value.reason, line: chosen.place.line,
            anchor: "learned: \(chosen.location.summary)", checks: [])
        if !chosen.clear {
            field.doubtful = true
            let weak = "die aus Korrekturen gelernte Stelle passt nur schwach (\(chosen.why.joined(separator: "; ")))"
            field.reason = field.reason.map { "\($0); \(weak)" } ?? weak
        }
        return .found(field, clear: chosen.clear, chosen.location)
    }

    /// Share of `words` found in `layout` (0 for an empty list).
    static func share(_ words: [String], in layout: Set<String>) -> Double {
        guard !words.isEmpty else { return 0 }
        return Double(words.filter { layout.contains($0) }.count) / Double(words.count)
    }

    private static func match(_ location: LearnedLocation, share: Double, _ place: ValueLocation) -> Candidate? {
        var why: [String] = []
        var score = share
        let lineOff = abs(place.lineShare - location.lineShare)
        let nearPlace = lineOff <= lineTolerance + location.lineShareSpread
        if location.label.isEmpty {
            // A bare place: the same line and column share, and the learned neighbours after it.
            guard lineOff <= 0.05 + location.lineShareSpread,
                abs(place.columnShare - location.columnShare) <= 0.1 + location.columnShareSpread,
                Set(location.neighbours).isSubset(of: place.neighbours)
            else { return nil }
            why.append("nur über die Lage auf der Seite gefunden")
            if location.examples < 3 { why.append(location.examples == 1 ? "nur eine Korrektur" : "nur \(location.examples) Korrekturen") }
            let clear = location.examples >= 3 && share >= clearLayoutShare && !location.neighbours.isEmpty
            return Candidate(location: location, place: place, clear: clear, why: why, score: score + 1 - lineOff)
        }
        guard place.above == location.above, place.label.count >= location.label.count else { return nil }
        let tail = Array(place.label.suffix(location.label.count))
        var exact = tail == location.label
        if !exact {
            // One OCR error per long word.
            let close = zip(tail, location.label).allSatisfy { found, learned in
                found == learned || (learned.count >= 6 && EditDistance.isWithinOne(Array(found), Array(learned)))
            }
            guard close else { return nil }
            why.append("Bezeichnung gelesen als „\(place.labelText)“")
            exact = false
        }
        score += exact ? 2 : 1.5
        if Set(location.neighbours).isSubset(of: place.neighbours) { score += 0.25 } else { why.append("andere Wörter nach dem Wert") }
        score += 1 - min(1, lineOff)
        let strong = location.label.reduce(0) { $0 + $1.count } >= strongLabelLetters
        if share < clearLayoutShare { why.append("das Layout teilt \(Int((share * 100).rounded())) % der Wörter seiner ersten Zeile") }
        if !nearPlace { why.append("der Wert steht an anderer Stelle der Seite als in den Korrekturen") }
        if location.examples < 2 && !strong { why.append("nur eine Korrektur, kurze Bezeichnung") }
        let clear = exact && share >= clearLayoutShare && nearPlace && (location.examples >= 2 || strong)
        return Candidate(location: location, place: place, clear: clear, why: why, score: score)
    }
}

extension FieldLocationModel {
    /// `fields` as the rules found them, with the fields they missed (or found only doubtfully)
    /// looked for at learned locations. Where a learned value is taken, the class's checks run
    /// again over the whole set (a learned base rent can settle a total's sum check).
    func complete(
        _ fields: [ExtractedField], documentClass: DocumentClass, document: DocumentText, today: String
    ) -> (fields: [ExtractedField], notes: [LearnedFieldNote]) {
        guard knows(classID: documentClass.id) else { return (fields, []) }
        let finder = LearnedFieldFinder(model: self)
        let layout = ValueLocator.layoutWords(document)
        var notes: [LearnedFieldNote] = []
        var learned: [String: ExtractedField] = [:]
        for definition in documentClass.fields where definition.choices.isEmpty {
            let rules = fields.first { $0.key == definition.key }
            if let rules, !rules.doubtful { continue }
            guard let finding = finder.find(definition, classID: documentClass.id, in: document, layout: layout) else { continue }
            switch finding {
            case .abstained(let why):
                notes.append(LearnedFieldNote(key: definition.key, outcome: .abstained, detail: why))
            case .found(let field, let clear, let location):
                if let rules {
                    // Only a clear match with another value replaces the rules' doubtful one.
                    guard clear, rules.value != field.value else {
                        notes.append(
                            LearnedFieldNote(
                                key: definition.key, outcome: .kept,
                                detail: "learned \(location.summary) gives \(field.value)\(clear ? ", the rules' value too" : " weakly"); the rules' doubtful \(rules.value) stays"
                            ))
                        continue
                    }
                }
                learned[definition.key] = field
                notes.append(
                    LearnedFieldNote(
                        key: definition.key, outcome: clear ? .taken : .doubtful,
                        detail: "\(field.value) from line \(field.line) at \(location.summary)\(rules.map { " instead of the rules' doubtful \($0.value)" } ?? "")"
                    ))
            }
        }
        guard !learned.isEmpty else { return (fields, notes) }
        // The rules' fields before any check, the learned ones in place, then the checks over all.
        let unchecked = documentClass.fields.map { definition -> FieldDefinition in
            var plain = definition
            plain.checks = []
            return plain
        }
        let base = FieldExtractor(today: today).extract(unchecked, from: document)
        var completed = documentClass.fields.compactMap { definition in
            learned[definition.key] ?? base.first { $0.key == definition.key }
        }
        var checker = FieldChecker(today: today)
        if documentClass.fields.contains(where: { $0.checks.contains { if case .mrz = $0 { true } else { false } } }) {
            checker.zone = MachineReadableZone.find(in: document.lines)
        }
        checker.apply(documentClass.fields, to: &completed)
        return (completed, notes)
    }
}

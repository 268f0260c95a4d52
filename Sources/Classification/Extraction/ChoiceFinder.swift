/// Decides a choice field: the value whose phrases the document names most (each distinct
/// phrase once). A tie between the leading values keeps the first but marks the field
/// doubtful, naming the rivals; a document naming none has no value.
enum ChoiceFinder {
    static func find(_ definition: FieldDefinition, in document: DocumentText) -> ExtractedField? {
        var best: (choice: FieldChoice, found: [(phrase: String, line: Int)])?
        var tied: [String] = []
        for choice in definition.choices {
            let found = phrases(of: choice, in: document)
            guard !found.isEmpty else { continue }
            if let current = best, current.found.count == found.count {
                tied.append(choice.value)
            } else if best == nil || found.count > best!.found.count {
                best = (choice, found)
                tied = []
            }
        }
        guard let best else { return nil }
        let raw = best.found.map(\.phrase).joined(separator: ", ")
        var field = ExtractedField(
            key: definition.key, type: definition.type, value: best.choice.value, raw: raw, doubtful: false, reason: nil,
            line: best.found.map(\.line).min() ?? 1, anchor: "choices", checks: [])
        if !tied.isEmpty {
            field.doubtful = true
            field.reason =
                "\(definition.label): das Dokument spricht ebenso für „\(tied.joined(separator: "“, „"))“ wie für „\(best.choice.value)“ (je \(best.found.count) Wendungen); eine Person entscheidet"
        }
        return field
    }

    /// The phrases of `choice` present in the document, with the line of each (exact first,
    /// then one OCR slip in long phrases, as rule phrases are found).
    private static func phrases(of choice: FieldChoice, in document: DocumentText) -> [(phrase: String, line: Int)] {
        var found: [(phrase: String, line: Int)] = []
        for (phrase, compact) in zip(choice.phrases, choice.compactPhrases) {
            if let offset = document.compactOffset(of: compact) {
                found.append((phrase, document.lineNumber(forCompactOffset: offset)))
            } else if let fuzzy = document.fuzzyCompactMatch(of: compact) {
                found.append((phrase, document.lineNumber(forCompactOffset: fuzzy.offset)))
            }
        }
        return found
    }
}

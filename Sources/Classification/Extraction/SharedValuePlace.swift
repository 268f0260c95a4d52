/// Two fields read from the very same figure on the page: one label's value was taken from
/// beside or below another label (on a form whose own value OCR lost, "arbeitsunfähig seit"
/// took the date under "voraussichtlich arbeitsunfähig bis"). At most one of them can be
/// right unless the form prints one figure for both, so both are doubtful and the reason
/// names the other field: a person decides.
enum SharedValuePlace {
    /// Types whose values are figures a form prints once per field.
    static let types: Set<FieldType> = [.amount, .date, .month, .iban, .area]

    static func check(_ fields: inout [ExtractedField], labels: [String: String], in document: DocumentText) {
        for first in fields.indices where types.contains(fields[first].type) {
            for second in fields.indices where second > first {
                let (a, b) = (fields[first], fields[second])
                guard a.type == b.type, a.line == b.line, a.raw == b.raw, !a.raw.isEmpty,
                      let line = document.lines.first(where: { $0.number == a.line }),
                      occurrences(of: a.raw, in: line.raw) == 1
                else { continue }
                mark(&fields[first], sharingWith: labels[b.key] ?? b.key, raw: a.raw, line: a.line)
                mark(&fields[second], sharingWith: labels[a.key] ?? a.key, raw: b.raw, line: b.line)
            }
        }
    }

    private static func mark(_ field: inout ExtractedField, sharingWith other: String, raw: String, line: Int) {
        guard !field.doubtful else { return }
        field.doubtful = true
        field.reason = "derselbe Wert (\(raw), Zeile \(line)) wurde auch als „\(other)“ gelesen: nur eines der beiden Felder steht dort"
    }

    /// How often `needle` stands in `text` (not overlapping).
    static func occurrences(of needle: String, in text: String) -> Int {
        var count = 0
        var rest = text[...]
        while let range = rest.range(of: needle) {
            count += 1
            rest = rest[range.upperBound...]
        }
        return count
    }
}

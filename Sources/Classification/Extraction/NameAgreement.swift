import Foundation

/// A name read once may be misread; where the document names the party again (letterhead,
/// return-address line, footer), the readings are compared (`NameAgreement.check`).
///
/// - one other reading identical to the value: confirmed, nothing changes;
/// - only readings that differ slightly ("teinigungsservice Blank e.K." beside "Reinigungsservice
///   Blank e.K."): the value is doubtful and the reason shows the other reading;
/// - a name that starts with a small letter is doubtful: names are written with a capital.
enum NameAgreement {
    /// Most character edits between two readings of the same name (per 10 characters, at least 1).
    static func tolerance(_ name: String) -> Int { max(1, name.count / 10) }

    static func check(_ field: inout ExtractedField, in document: DocumentText) {
        guard field.type == .name, !field.doubtful else { return }
        let value = field.value
        if let first = value.first, first.isLetter, first.isLowercase {
            field.doubtful = true
            field.reason = "der Name „\(value)“ beginnt mit einem Kleinbuchstaben: wahrscheinlich falsch gelesen"
            return
        }
        let target = TextFolding.fold(value)
        let width = value.split(separator: " ").count
        var confirmed = false
        var variant: (String, Int)?
        for line in document.lines where line.number != field.line {
            let words = line.raw.split(separator: " ").map(String.init)
            guard words.count >= width else { continue }
            for start in 0...(words.count - width) {
                let window = words[start..<(start + width)].joined(separator: " ")
                let folded = TextFolding.fold(window.trimmingCharacters(in: CharacterSet(charactersIn: ",;:·|")))
                guard abs(folded.count - target.count) <= tolerance(value) else { continue }
                if folded == target {
                    confirmed = true
                } else if variant == nil, EditDistance.levenshtein(folded, target) <= tolerance(value) {
                    variant = (window, line.number)
                }
            }
            if confirmed { return }
        }
        if let (other, line) = variant {
            field.doubtful = true
            field.reason = "der Name steht in Zeile \(line) anders geschrieben („\(other)“): bitte die Schreibweise prüfen"
        }
    }
}

import Foundation

/// A name read once may be misread; where the document names the party again (letterhead,
/// return-address line, footer), the readings are compared (`NameAgreement.check`).
///
/// - more other readings identical to the value than slightly different ones: confirmed,
///   nothing changes;
/// - readings that differ slightly ("teinigungsservice Blank e.K." beside "Reinigungsservice
///   Blank e.K.") at least as often as identical ones: the value is doubtful and the reason shows
///   the other reading. The same type read at several places often repeats the same slip (a
///   letterhead and a footer line both "Cafe" where two other lines read "Caf&" for "Café"), so
///   one identical reading does not outvote two that differ;
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
        var confirmations = 0
        var variants = 0
        var variant: (String, Int)?
        for line in document.lines where line.number != field.line {
            let words = line.raw.split(separator: " ").map(String.init)
            guard words.count >= width else { continue }
            var confirmedHere = false
            var variedHere = false
            for start in 0...(words.count - width) {
                let window = words[start..<(start + width)].joined(separator: " ")
                let folded = TextFolding.fold(window.trimmingCharacters(in: CharacterSet(charactersIn: ",;:·|")))
                guard abs(folded.count - target.count) <= tolerance(value) else { continue }
                if folded == target {
                    confirmedHere = true
                } else if EditDistance.levenshtein(folded, target) <= tolerance(value) {
                    variedHere = true
                    if variant == nil { variant = (window, line.number) }
                }
            }
            // A line counts once: for the reading it holds identically, else for a variant.
            if confirmedHere { confirmations += 1 } else if variedHere { variants += 1 }
        }
        if let (other, line) = variant, variants >= confirmations {
            field.doubtful = true
            field.reason = "der Name steht in Zeile \(line) anders geschrieben („\(other)“): bitte die Schreibweise prüfen"
        }
    }
}

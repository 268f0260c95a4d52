/// Finds a configured label in a folded line, tolerating one OCR error in labels of six
/// or more characters.
enum LabelLocator {
    /// Labels at least this long may differ by one edit.
    static let fuzzyMinimumLength = 6

    /// A label occurrence: folded character offsets `[start, end)` in the line.
    struct Hit {
        var start: Int
        var end: Int
    }

    /// Occurrences of `label` in `line`. Short labels must be whole words; labels of six or
    /// more characters may also end or begin a compound word ("Gesamtbrutto" for "brutto").
    static func exactHits(of label: [Character], in line: FoldedLine) -> [Hit] {
        let text = line.folded
        guard !label.isEmpty, label.count <= text.count else { return [] }
        var hits: [Hit] = []
        var index = 0
        while index + label.count <= text.count {
            if text[index] == label[0], index == 0 || allowsStart(text, index, labelLength: label.count),
                zip(text[index..<(index + label.count)], label).allSatisfy(sameCharacter),
                label.count >= fuzzyMinimumLength || index + label.count == text.count
                    || !text[index + label.count].isLetter || !(label.last?.isLetter ?? false)
            {
                hits.append(Hit(start: index, end: index + label.count))
                index += label.count
                continue
            }
            index += 1
        }
        return hits
    }

    /// A label of several words broken at the end of the previous line, as prose wraps it
    /// ("… eine Vorauszahlung auf die Heiz-" / "und Warmwasserkosten von 55,00 €"): the hit is
    /// the label's rest at the start of `line`. Both pieces hold at least three letters, or the
    /// head two and the rest eight ("… ein Guthaben zu" / "Ihren Gunsten in Höhe von …").
    static func continuedHit(of label: [Character], in line: FoldedLine, after previous: FoldedLine) -> Hit? {
        let before = previous.folded
        let text = line.folded
        for split in label.indices where label[split] == " " {
            let head = Array(label[..<split])
            let rest = Array(label[(split + 1)...])
            // A short head ("zu" of "zu Ihren Gunsten") only before a long rest.
            let headLetters = head.filter(\.isLetter).count, restLetters = rest.filter(\.isLetter).count
            guard (headLetters >= 3 && restLetters >= 3) || (headLetters >= 2 && restLetters >= 8),
                before.count >= head.count, text.count >= rest.count,
                Array(before.suffix(head.count)) == head, Array(text.prefix(rest.count)) == rest
            else { continue }
            let headStart = before.count - head.count
            guard headStart == 0 || !before[headStart - 1].isLetter else { continue }
            guard rest.count == text.count || !text[rest.count].isLetter || !(rest.last?.isLetter ?? false) else { continue }
            return Hit(start: 0, end: rest.count)
        }
        return nil
    }

    /// Occurrences at word starts that are one edit away from `label`. Punctuation that
    /// ends a label (`Vermieter:`) is not part of the tolerance: it must stand after the
    /// fuzzy word, so "Vermieter“ genannt" does not pass for "Vermieter:".
    static func fuzzyHits(of label: [Character], in line: FoldedLine) -> [Hit] {
        var label = label
        var terminator: Character?
        if let last = label.last, !last.isLetter, !last.isNumber {
            terminator = last
            label.removeLast()
            while label.last == " " { label.removeLast() }
        }
        guard label.count >= fuzzyMinimumLength else { return [] }
        let text = line.folded
        return windows(of: label, in: text).compactMap { hit in
            guard let terminator else { return hit }
            var end = hit.end
            if end < text.count, text[end] == " " { end += 1 }
            guard end < text.count, text[end] == terminator else { return nil }
            return Hit(start: hit.start, end: end + 1)
        }
    }

    /// Halves of a label long enough for OCR tolerance: a line without either half cannot
    /// hold the label with one error (one edit leaves one half intact), so it is skipped.
    static func halves(of label: [Character]) -> [String]? {
        var body = label
        if let last = body.last, !last.isLetter, !last.isNumber { body.removeLast() }
        while body.last == " " { body.removeLast() }
        guard body.count >= fuzzyMinimumLength else { return nil }
        let middle = body.count / 2
        return [String(body[..<middle]), String(body[middle...])]
    }

    /// A window may end inside a word only where the label's last word is long enough to be
    /// the head of a compound ("Nebenkosten" in "Nebenkostenvorauszahlung"): with one edit a
    /// short last word matches the start of another ("arbeitsunfähig ab" with its "a" dropped
    /// is the start of "arbeitsunfähig bis").
    private static func windows(of label: [Character], in text: [Character]) -> [Hit] {
        var hits: [Hit] = []
        let lastWord = label.split(separator: " ").last?.count ?? 0
        var index = 0
        while index < text.count {
            if index == 0 || !text[index - 1].isLetter, text[index].isLetter || text[index].isNumber {
                for length in [label.count, label.count - 1, label.count + 1] where index + length <= text.count {
                    // One edit leaves the first or second letter in place (or shifted by one).
                    guard
                        text[index] == label[0] || text[index + 1] == label[1] || text[index] == label[1]
                            || text[index + 1] == label[0]
                    else { break }
                    let end = index + length
                    if end < text.count, text[end].isLetter, lastWord < fuzzyMinimumLength { continue }
                    if EditDistance.isWithinOne(text[index..<end], label[...]) {
                        hits.append(Hit(start: index, end: end))
                        break
                    }
                }
            }
            index += 1
        }
        return hits
    }

    /// Label and text agree at a character: the same, or an abbreviation's point read as a comma
    /// ("St.Kl," for "St.Kl.", "Kinderfreib,").
    private static func sameCharacter(_ read: Character, _ wanted: Character) -> Bool {
        read == wanted || (wanted == "." && read == ",")
    }

    private static func allowsStart(_ text: [Character], _ index: Int, labelLength: Int) -> Bool {
        !text[index - 1].isLetter || labelLength >= fuzzyMinimumLength
    }
}

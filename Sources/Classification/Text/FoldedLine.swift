/// One line of a document in raw and folded form, with a map from each folded character
/// back to the raw character it came from, so a label found in folded text can be
/// located in the raw line.
struct FoldedLine: Sendable {
    /// Line number in the document, starting at 1 (form feeds count as line breaks).
    let number: Int
    /// The line as OCR produced it.
    let raw: String
    /// Folded characters (see `TextFolding`).
    let folded: [Character]
    /// For each folded character: UTF-16 offset in `raw` where its raw character starts.
    let rawOffset: [Int]
    /// UTF-16 offset in `raw` just past the raw character each folded character came from.
    let rawEndOffset: [Int]

    init(number: Int, raw: String) {
        self.number = number
        self.raw = raw
        var folded: [Character] = []
        var starts: [Int] = []
        var ends: [Int] = []
        var offset = 0
        var lastWasSpace = true
        for character in raw {
            let width = character.utf16.count
            defer { offset += width }
            if character.isWhitespace {
                if !lastWasSpace {
                    folded.append(" ")
                    starts.append(offset)
                    ends.append(offset + width)
                }
                lastWasSpace = true
                continue
            }
            lastWasSpace = false
            if let ascii = character.asciiValue {
                folded.append(Character(Unicode.Scalar(ascii >= 65 && ascii <= 90 ? ascii + 32 : ascii)))
                starts.append(offset)
                ends.append(offset + width)
                continue
            }
            for foldedCharacter in TextFolding.fold(character) {
                folded.append(foldedCharacter)
                starts.append(offset)
                ends.append(offset + width)
            }
        }
        if folded.last == " " {
            folded.removeLast()
            starts.removeLast()
            ends.removeLast()
        }
        self.folded = folded
        self.foldedText = String(folded)
        self.rawOffset = starts
        self.rawEndOffset = ends
    }

    /// The folded line as a string.
    var foldedString: String { foldedText }
    /// The folded line as a string, built once.
    let foldedText: String
}

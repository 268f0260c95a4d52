import Foundation

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

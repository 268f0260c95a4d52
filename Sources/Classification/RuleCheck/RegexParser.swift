import Foundation

/// Recursive-descent parser over the pattern's characters.
struct RegexParser {
    private let characters: [Character]
    private var index = 0
    private var depth = 0
    /// Deeper nesting is not analysed (the parser recurses; a hostile pattern must not
    /// exhaust the stack). ICU still compiles it, and the run-time deadline still holds.
    static let maximumDepth = 100

    static func parse(_ pattern: String) throws(RegexSyntaxGap) -> RegexNode {
        var parser = RegexParser(characters: Array(pattern))
        let node = try parser.alternation()
        guard parser.index == parser.characters.count else {
            throw RegexSyntaxGap(offset: parser.index, message: "unbalanced ')'")
        }
        return node
    }

    private init(characters: [Character]) {
        self.characters = characters
    }

    private var current: Character? { index < characters.count ? characters[index] : nil }

    private func peek(_ ahead: Int) -> Character? {
        index + ahead < characters.count ? characters[index + ahead] : nil
    }

    private mutating func alternation() throws(RegexSyntaxGap) -> RegexNode {
        var branches = [try sequence()]
        while current == "|" {
            index += 1
            branches.append(try sequence())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func sequence() throws(RegexSyntaxGap) -> RegexNode {
        var items: [RegexNode] = []
        while let character = current, character != "|", character != ")" {
            let start = index
            guard let atom = try self.atom() else { continue }
            items.append(try quantified(atom, start: start))
        }
        return .sequence(items)
    }

    private mutating func quantified(_ node: RegexNode, start: Int) throws(RegexSyntaxGap) -> RegexNode {
        var node = node
        while let character = current {
            var bounds: (Int, Int?)?
            switch character {
            case "*": bounds = (0, nil); index += 1
            case "+": bounds = (1, nil); index += 1
            case "?": bounds = (0, 1); index += 1
            case "{":
                if let parsed = braceBounds() { bounds = parsed }
            default: break
            }
            guard let (low, high) = bounds else { return node }
            var possessive = false
            if current == "?" {
                index += 1
            } else if current == "+" {
                possessive = true
                index += 1
            }
            node = .repetition(node, min: low, max: high, possessive: possessive, offset: start)
        }
        return node
    }

    /// `{n}`, `{n,}`, `{n,m}` at the current position; advances past it when it is one.
    private mutating func braceBounds() -> (Int, Int?)? {
        guard let end = characters[index...].firstIndex(of: "}") else { return nil }
        let body = String(characters[(index + 1)..<end])
        let parts = body.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard let low = Int(parts[0]) else { return nil }
        let bounds: (Int, Int?)
        switch parts.count {
        case 1: bounds = (low, low)
        case 2:
            if parts[1].isEmpty {
                bounds = (low, nil)
            } else if let high = Int(parts[1]) {
                bounds = (low, high)
            } else {
                return nil
            }
        default: return nil
        }
        index = end + 1
        return bounds
    }

    /// One atom, group or anchor; nil for things that match nothing (comments, flag settings).
    private mutating func atom() throws(RegexSyntaxGap) -> RegexNode? {
        let start = index
        guard let character = current else { return nil }
        switch character {
        case "(":
            return try group()
        case "[":
            let end = try classEnd(from: index)
            let source = String(characters[index...end])
            index = end + 1
            return .atom(RegexAtom(source: source, offset: start, isClass: true))
        case "^", "$":
            index += 1
            return .anchor(String(character), offset: start)
        case ".":
            index += 1
            return .atom(RegexAtom(source: ".", offset: start, isClass: false))
        case "\\":
            return try escape()
        default:
            index += 1
            return .atom(RegexAtom(source: NSRegularExpression.escapedPattern(for: String(character)), offset: start, isClass: false))
        }
    }

    private mutating func escape() throws(RegexSyntaxGap) -> RegexNode? {
        let start = index
        guard let next = peek(1) else { throw RegexSyntaxGap(offset: index, message: "pattern ends with '\\'") }
        index += 2
        switch next {
        case "b", "B", "A", "z", "Z", "G":
            return .anchor("\\" + String(next), offset: start)
        case "1"..."9":
            while let digit = current, digit.isNumber { index += 1 }
            return .backreference
        case "k":
            if current == "<", let end = characters[index...].firstIndex(of: ">") { index = end + 1 }
            return .backreference
        case "Q":
            var literal: [RegexNode] = []
            while index < characters.count {
                if characters[index] == "\\", peek(1) == "E" {
                    index += 2
                    break
                }
                literal.append(
                    .atom(RegexAtom(source: NSRegularExpression.escapedPattern(for: String(characters[index])), offset: index, isClass: false)))
                index += 1
            }
            return .sequence(literal)
        case "p", "P", "N", "x":
            if current == "{", let end = characters[index...].firstIndex(of: "}") {
                index = end + 1
            } else if next == "x" {
                index = min(index + 2, characters.count)
            } else if next == "p" || next == "P" {
                index = min(index + 1, characters.count)
            }
        case "u":
            index = min(index + 4, characters.count)
        case "0":
            while let digit = current, ("0"..."7").contains(digit), index - start < 5 { index += 1 }
        case "c":
            index = min(index + 1, characters.count)
        default:
            break
        }
        return .atom(RegexAtom(source: String(characters[start..<index]), offset: start, isClass: false))
    }

    private mutating func group() throws(RegexSyntaxGap) -> RegexNode? {
        let start = index
        index += 1
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            throw RegexSyntaxGap(offset: start, message: "groups nested deeper than \(Self.maximumDepth)")
        }
        enum Kind { case plain, lookaround, atomic, flags }
        var kind = Kind.plain
        if current == "?" {
            index += 1
            switch current {
            case ":": index += 1
            case "=", "!": index += 1; kind = .lookaround
            case ">": index += 1; kind = .atomic
            case "#":
                guard let end = characters[index...].firstIndex(of: ")") else {
                    throw RegexSyntaxGap(offset: start, message: "unclosed comment")
                }
                index = end + 1
                return nil
            case "<":
                if peek(1) == "=" || peek(1) == "!" {
                    index += 2
                    kind = .lookaround
                } else if let end = characters[index...].firstIndex(of: ">") {
                    index = end + 1
                }
            default:
                // Flags: (?i) or (?i-m:…)
                while let flag = current, flag.isLetter || flag == "-" { index += 1 }
                if current == ")" {
                    index += 1
                    return nil
                }
                guard current == ":" else { throw RegexSyntaxGap(offset: start, message: "unknown group syntax") }
                index += 1
                kind = .flags
            }
        }
        let inner = try alternation()
        guard current == ")" else { throw RegexSyntaxGap(offset: start, message: "unclosed group") }
        index += 1
        switch kind {
        case .lookaround: return .lookaround(inner)
        case .atomic: return .atomic(inner)
        case .plain, .flags: return inner
        }
    }

    /// Index of the `]` that closes the class opened at `start` (nested classes allowed).
    private func classEnd(from start: Int) throws(RegexSyntaxGap) -> Int {
        var depth = 0
        var position = start
        while position < characters.count {
            let character = characters[position]
            if character == "\\" {
                position += 2
                continue
            }
            if character == "[" {
                depth += 1
                // `[^]…` and `[]…` never close at once in ICU: skip a leading `^`.
                if position + 1 < characters.count, characters[position + 1] == "^" { position += 1 }
            } else if character == "]" {
                depth -= 1
                if depth == 0 { return position }
            }
            position += 1
        }
        throw RegexSyntaxGap(offset: start, message: "unclosed character class")
    }
}

import Foundation

/// What static analysis of one pattern found.
struct RegexFinding: Sendable, Equatable {
    enum Kind: String, Sendable {
        /// Alternatives that can match the same text, under a repetition: exponential time.
        case exponential
        /// Alternatives that may overlap under a repetition: possibly exponential (probe decides).
        case possiblyExponential = "possibly_exponential"
        /// Two adjacent unbounded repetitions over the same characters: quadratic time.
        case polynomial
        /// An anchor where it can never hold (`a^b`, `x\Ay`, `$x`).
        case neverMatches = "never_matches"
        /// A character class that matches no character (`[^\s\S]`).
        case emptyClass = "empty_class"
    }

    var kind: Kind
    /// Character offset in the pattern.
    var offset: Int
    var message: String
}

/// Static analysis of a pattern's structure for catastrophic backtracking and parts that can
/// never match. `refusal(for:)` is what configuration loading refuses; `findings(in:)` is
/// everything `rules check` reports.
struct RegexHazards {
    private var sample = CharacterSample()

    /// A message when `pattern` certainly takes exponential time on some input, else nil.
    /// Cheap enough for every configuration load: character sets are only computed under
    /// repetitions that contain alternatives.
    static func refusal(for pattern: String) -> String? {
        guard let root = try? RegexParser.parse(pattern) else { return nil }
        var analysis = RegexHazards()
        var found: [RegexFinding] = []
        analysis.walk(root, full: false, into: &found)
        guard let hazard = found.first(where: { $0.kind == .exponential }) else { return nil }
        return "pattern '\(pattern)' \(hazard.message); it can hang on hostile text: make the alternatives exclusive or drop the repetition"
    }

    /// Every finding of the static analysis; nil when the pattern's syntax is beyond the parser.
    static func findings(in pattern: String) -> [RegexFinding]? {
        guard let root = try? RegexParser.parse(pattern) else { return nil }
        var analysis = RegexHazards()
        var found: [RegexFinding] = []
        analysis.walk(root, full: true, into: &found)
        return found
    }

    // MARK: Walking the tree

    private mutating func walk(_ node: RegexNode, full: Bool, into found: inout [RegexFinding]) {
        switch node {
        case .atom(let atom):
            if full, atom.isClass, !CharacterSample.matchesAnything(atom) {
                found.append(
                    RegexFinding(
                        kind: .emptyClass, offset: atom.offset,
                        message: "character class '\(atom.source)' matches no character"))
            }
        case .anchor, .backreference:
            break
        case .lookaround(let inner), .atomic(let inner):
            walk(inner, full: full, into: &found)
        case .alternation(let branches):
            for branch in branches { walk(branch, full: full, into: &found) }
        case .sequence(let items):
            if full {
                checkAnchors(items, into: &found)
                checkAdjacentRepetitions(items, into: &found)
            }
            for item in items { walk(item, full: full, into: &found) }
        case .repetition(let body, _, let max, let possessive, let offset):
            if !possessive, max == nil || max! > 10 {
                checkAlternatives(under: body, offset: offset, full: full, into: &found)
            }
            walk(body, full: full, into: &found)
        }
    }

    /// `(a|a)*`, `(\w|\d)+`: alternatives that can match the same character, repeated, give
    /// the engine 2ⁿ ways to split a run of n such characters.
    private mutating func checkAlternatives(
        under body: RegexNode, offset: Int, full: Bool, into found: inout [RegexFinding]
    ) {
        guard case .alternation(let branches) = Self.unwrapped(body) else { return }
        for i in branches.indices {
            for j in branches.indices where j > i {
                let shared = single(branches[i]).intersection(single(branches[j]))
                if let example = shared.min() {
                    found.append(
                        RegexFinding(
                            kind: .exponential, offset: offset,
                            message:
                                "repeats alternatives that can match the same text (both match '\(Self.show(example))')"))
                    return
                }
                if full, !nullable(branches[i]), !nullable(branches[j]),
                    let example = first(branches[i]).intersection(first(branches[j])).min()
                {
                    found.append(
                        RegexFinding(
                            kind: .possiblyExponential, offset: offset,
                            message:
                                "repeats alternatives that can start with the same character ('\(Self.show(example))'); backtracking may grow exponentially"
                        ))
                    return
                }
            }
        }
    }

    /// `\s*\s*`, `.*x?.*`: adjacent unbounded repetitions over the same characters split a run
    /// in n ways at each of n start positions.
    private mutating func checkAdjacentRepetitions(_ items: [RegexNode], into found: inout [RegexFinding]) {
        for i in items.indices {
            guard case .repetition(let left, _, nil, false, let offset) = items[i] else { continue }
            var j = i + 1
            while j < items.count {
                if case .repetition(let right, _, nil, false, _) = items[j] {
                    if let example = single(left).intersection(single(right)).min() {
                        found.append(
                            RegexFinding(
                                kind: .polynomial, offset: offset,
                                message:
                                    "two unbounded repetitions in a row both match '\(Self.show(example))': time grows with the square of the line length"
                            ))
                        return
                    }
                    break
                }
                guard nullable(items[j]) else { break }
                j += 1
            }
        }
    }

    /// `^` after something that cannot end with a line break, `$` before something that cannot
    /// start with one, `\A` after or `\z` before anything that consumes text.
    private mutating func checkAnchors(_ items: [RegexNode], into found: inout [RegexFinding]) {
        for (position, item) in items.enumerated() {
            guard case .anchor(let name, let offset) = item else { continue }
            switch name {
            case "^", "\\A":
                guard let before = items[..<position].last(where: { !nullable($0) }) else { continue }
                if name == "\\A" || !last(before).contains(CharacterSample.newline) {
                    found.append(
                        RegexFinding(
                            kind: .neverMatches, offset: offset,
                            message: "'\(name)' in the middle can never hold: what comes before it cannot end a line"))
                }
            case "$", "\\z":
                guard let after = items[(position + 1)...].first(where: { !nullable($0) }) else { continue }
                if name == "\\z" || !first(after).contains(CharacterSample.newline) {
                    found.append(
                        RegexFinding(
                            kind: .neverMatches, offset: offset,
                            message: "'\(name)' in the middle can never hold: what follows it cannot start a line"))
                }
            default:
                continue
            }
        }
    }

    // MARK: Properties of nodes

    private static func unwrapped(_ node: RegexNode) -> RegexNode {
        if case .sequence(let items) = node, items.count == 1 { return unwrapped(items[0]) }
        return node
    }

    private static func show(_ position: Int) -> String {
        let character = CharacterSample.characters[position]
        return character == "\n" ? "\\n" : character == "\t" ? "\\t" : String(character)
    }

    private static let everything = Set(CharacterSample.characters.indices)

    private func nullable(_ node: RegexNode) -> Bool {
        switch node {
        case .atom: return false
        case .anchor, .lookaround, .backreference: return true
        case .atomic(let inner): return nullable(inner)
        case .sequence(let items): return items.allSatisfy { nullable($0) }
        case .alternation(let branches): return branches.contains { nullable($0) }
        case .repetition(let body, let min, _, _, _): return min == 0 || nullable(body)
        }
    }

    /// Characters a non-empty match can start with.
    private mutating func first(_ node: RegexNode) -> Set<Int> {
        switch node {
        case .atom(let atom): return sample.members(atom)
        case .anchor, .lookaround: return []
        case .backreference: return Self.everything
        case .atomic(let inner): return first(inner)
        case .alternation(let branches): return branches.reduce(into: Set<Int>()) { $0.formUnion(first($1)) }
        case .repetition(let body, _, let max, _, _): return max == 0 ? [] : first(body)
        case .sequence(let items):
            var result = Set<Int>()
            for item in items {
                result.formUnion(first(item))
                if !nullable(item) { break }
            }
            return result
        }
    }

    /// Characters a non-empty match can end with.
    private mutating func last(_ node: RegexNode) -> Set<Int> {
        switch node {
        case .sequence(let items):
            var result = Set<Int>()
            for item in items.reversed() {
                result.formUnion(last(item))
                if !nullable(item) { break }
            }
            return result
        case .alternation(let branches): return branches.reduce(into: Set<Int>()) { $0.formUnion(last($1)) }
        case .atomic(let inner): return last(inner)
        case .repetition(let body, _, let max, _, _): return max == 0 ? [] : last(body)
        default: return first(node)
        }
    }

    /// Characters `c` such that the node can match exactly the one-character text `c`.
    private mutating func single(_ node: RegexNode) -> Set<Int> {
        switch node {
        case .atom(let atom): return sample.members(atom)
        case .anchor, .lookaround: return []
        case .backreference: return Self.everything
        case .atomic(let inner): return single(inner)
        case .alternation(let branches): return branches.reduce(into: Set<Int>()) { $0.formUnion(single($1)) }
        case .repetition(let body, let min, let max, _, _):
            if max == 0 { return [] }
            return min <= 1 || nullable(body) ? single(body) : []
        case .sequence(let items):
            let consuming = items.filter { !nullable($0) }
            switch consuming.count {
            case 0: return items.reduce(into: Set<Int>()) { $0.formUnion(single($1)) }
            case 1: return single(consuming[0])
            default: return []
            }
        }
    }
}

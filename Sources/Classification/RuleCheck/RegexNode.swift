import Foundation

/// The shape of an ICU regular expression, parsed far enough to reason about it: which parts
/// repeat, which alternatives compete, where anchors sit and what each character position
/// can match. Used by `RegexHazards` (load-time refusal) and `RuleChecker` (`rules check`).
///
/// Only the structure is parsed; what a character class or escape matches is asked of ICU
/// itself (`CharacterSample`), so the two never disagree.
indirect enum RegexNode: Sendable {
    /// One character position: a literal, `.`, an escape like `\d`, or a class `[…]`.
    case atom(RegexAtom)
    /// A zero-width assertion: `^`, `$`, `\b`, `\A`, `\z` …
    case anchor(String, offset: Int)
    /// Lookahead or lookbehind: zero-width, never repeated in a way that matters here.
    case lookaround(RegexNode)
    /// `(?>…)`: matched once, never backtracked into.
    case atomic(RegexNode)
    case sequence([RegexNode])
    case alternation([RegexNode])
    /// `x*`, `x+`, `x?`, `x{n,m}`; `max` nil means unbounded.
    case repetition(RegexNode, min: Int, max: Int?, possessive: Bool, offset: Int)
    /// `\1`, `\k<name>`: matches what a group matched (unknown characters).
    case backreference
}

/// One character position of a pattern.
struct RegexAtom: Sendable {
    /// A pattern of its own that matches exactly this position (`[a-z]`, `\d`, `x`).
    var source: String
    /// Character offset in the pattern.
    var offset: Int
    /// True for `[…]` classes (the only atoms that can be empty).
    var isClass: Bool
}

/// A pattern the parser does not understand (ICU compiled it, so this is a gap of ours).
struct RegexSyntaxGap: Error {
    var offset: Int
    var message: String
}

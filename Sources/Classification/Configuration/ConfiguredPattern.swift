import Foundation

/// A regular expression from the configuration, compiled once when the configuration
/// loads (ICU syntax, case-insensitive, `^`/`$` match at line breaks).
public struct ConfiguredPattern: Sendable, CustomStringConvertible {
    /// The pattern as written in the configuration.
    public let source: String
    let regex: NSRegularExpression

    /// Compiles `source`; throws a message (without location) when it is invalid or risks
    /// catastrophic backtracking.
    init(_ source: String) throws(PatternProblem) {
        if let problem = Self.nestedQuantifier(in: source) {
            throw PatternProblem(message: problem)
        }
        do {
            regex = try NSRegularExpression(pattern: source, options: [.caseInsensitive, .anchorsMatchLines])
        } catch {
            throw PatternProblem(
                message:
                    "invalid regular expression '\(source)' (ICU syntax; in YAML write it in single quotes so that backslashes stay)"
            )
        }
        self.source = source
    }

    public var description: String { source }

    /// Number of capture groups in the pattern.
    var captureGroupCount: Int { regex.numberOfCaptureGroups }

    /// A group that repeats and contains a repetition (`(a+)+`, `(\w*\s?)*`) can take
    /// exponential time on hostile text; such patterns are refused.
    static func nestedQuantifier(in pattern: String) -> String? {
        let characters = Array(pattern)
        var groupHasQuantifier: [Bool] = []
        var index = 0
        var inClass = false
        while index < characters.count {
            let character = characters[index]
            if character == "\\" {
                index += 2
                continue
            }
            if inClass {
                if character == "]" { inClass = false }
                index += 1
                continue
            }
            switch character {
            case "[":
                inClass = true
            case "(":
                groupHasQuantifier.append(false)
            case ")":
                let inner = groupHasQuantifier.popLast() ?? false
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                let repeats = next == "+" || next == "*" || (next == "{" && isUnboundedBrace(characters, index + 1))
                if inner && repeats {
                    return "pattern '\(pattern)' repeats a group that itself repeats (nested quantifier); "
                        + "it can hang on hostile text: rewrite it without the outer repetition"
                }
                if inner || repeats, !groupHasQuantifier.isEmpty {
                    groupHasQuantifier[groupHasQuantifier.count - 1] = true
                }
            case "+", "*":
                if !groupHasQuantifier.isEmpty { groupHasQuantifier[groupHasQuantifier.count - 1] = true }
            case "{":
                if isUnboundedBrace(characters, index), !groupHasQuantifier.isEmpty {
                    groupHasQuantifier[groupHasQuantifier.count - 1] = true
                }
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// `{n,}` or a large upper bound counts as unbounded repetition.
    private static func isUnboundedBrace(_ characters: [Character], _ start: Int) -> Bool {
        guard let end = characters[start...].firstIndex(of: "}") else { return false }
        let body = String(characters[(start + 1)..<end])
        let parts = body.split(separator: ",", omittingEmptySubsequences: false)
        if parts.count == 2 {
            guard let upper = Int(parts[1]) else { return true }
            return upper > 10
        }
        return false
    }
}

/// Why a configured pattern was refused (the loader adds file and line).
struct PatternProblem: Error {
    var message: String
}

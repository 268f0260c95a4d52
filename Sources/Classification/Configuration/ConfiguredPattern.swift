import Foundation
import Synchronization

/// A regular expression from the configuration, compiled once when the configuration
/// loads (ICU syntax, case-insensitive, `^`/`$` match at line breaks).
///
/// Every match runs against a deadline (`PatternBudget`), so no operator pattern can hang
/// a worker on hostile text; patterns with a certain exponential blow-up are refused at load.
public struct ConfiguredPattern: Sendable, CustomStringConvertible {
    /// The pattern as written in the configuration.
    public let source: String
    let regex: BoundedRegex

    /// The options every configured pattern is compiled with.
    static let options: NSRegularExpression.Options = [.caseInsensitive, .anchorsMatchLines]

    /// Compiles `source`; throws a message (without location) when it is invalid or risks
    /// catastrophic backtracking.
    init(_ source: String) throws(PatternProblem) {
        if let problem = Self.nestedQuantifier(in: source) {
            throw PatternProblem(message: problem)
        }
        let expression = try Self.compile(source)
        if let hazard = RegexHazards.refusal(for: source) {
            throw PatternProblem(message: hazard)
        }
        regex = BoundedRegex(expression: expression, source: source)
        self.source = source
    }

    /// Compiles without the hazard checks: for tests that must prove the run-time deadline
    /// holds for a pattern the load-time checks would refuse.
    init(uncheckedSource source: String) throws(PatternProblem) {
        regex = BoundedRegex(expression: try Self.compile(source), source: source)
        self.source = source
    }

    static func compile(_ source: String) throws(PatternProblem) -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: source, options: options)
        } catch {
            throw PatternProblem(
                message:
                    "invalid regular expression '\(source)' (ICU syntax; in YAML write it in single quotes so that backslashes stay)"
            )
        }
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

/// A compiled configured pattern whose every search stops at a deadline.
///
/// `NSRegularExpression` has no timeout, but with `.reportProgress` ICU calls back about every
/// millisecond during a long search; the callback stops the search once the deadline of the
/// current `PatternBudget` (or `callLimit` outside one) has passed. A stopped search counts
/// as no match and is recorded in the budget, so the analysis can say so.
struct BoundedRegex: Sendable {
    let expression: NSRegularExpression
    let source: String

    /// Longest a single search may take when no `PatternBudget` is in force.
    static let callLimit: Duration = .seconds(1)

    var numberOfCaptureGroups: Int { expression.numberOfCaptureGroups }

    /// First match in `text` from UTF-16 offset `start`, or nil (also when stopped by the deadline).
    func firstMatch(in text: String, from start: Int = 0) -> NSTextCheckingResult? {
        search(text, from: start, firstOnly: true).first
    }

    /// All matches in `text` from UTF-16 offset `start` (those found before the deadline).
    func matches(in text: String, from start: Int = 0) -> [NSTextCheckingResult] {
        search(text, from: start, firstOnly: false)
    }

    private func search(_ text: String, from start: Int, firstOnly: Bool) -> [NSTextCheckingResult] {
        let length = text.utf16.count
        guard start <= length else { return [] }
        let budget = PatternBudget.current
        let deadline = budget?.deadline ?? PatternBudget.now() + PatternBudget.nanoseconds(Self.callLimit)
        if PatternBudget.now() >= deadline {
            budget?.recordStop(source)
            return []
        }
        var found: [NSTextCheckingResult] = []
        var stopped = false
        // ICU reports progress at every start position of the search and about every
        // millisecond while backtracking at one; reading the clock every 16th report keeps
        // the cost low and the deadline within ~15 ms.
        var reports = 0
        expression.enumerateMatches(
            in: text, options: [.reportProgress], range: NSRange(location: start, length: length - start)
        ) { result, _, stop in
            if let result {
                found.append(result)
                if firstOnly {
                    stop.pointee = true
                    return
                }
            }
            reports &+= 1
            if reports & 15 == 0, PatternBudget.now() >= deadline {
                stopped = true
                stop.pointee = true
            }
        }
        if stopped {
            budget?.recordStop(source)
            if firstOnly { return [] }
        }
        return found
    }
}

/// The time all pattern searches of one document may take together.
///
/// `DocumentAnalyzer` installs one per analysis (`PatternBudget.$current.withValue`); every
/// `BoundedRegex` search under it stops at the shared deadline, and the patterns that were
/// stopped are remembered for the review reason.
final class PatternBudget: Sendable {
    @TaskLocal static var current: PatternBudget?

    /// Uptime in nanoseconds after which searches stop.
    let deadline: UInt64
    let limit: Duration
    private let stoppedPatterns = Mutex<[String]>([])

    init(limit: Duration) {
        self.limit = limit
        deadline = Self.now() + Self.nanoseconds(limit)
    }

    func recordStop(_ source: String) {
        stoppedPatterns.withLock { if !$0.contains(source) { $0.append(source) } }
    }

    /// Patterns whose search was cut off, in the order it happened.
    var stopped: [String] { stoppedPatterns.withLock { $0 } }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}

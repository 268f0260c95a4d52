import Foundation

/// One problem `rules check` found, with its place in the configuration file.
public struct RuleFinding: Sendable, Codable, Equatable {
    public enum Severity: String, Sendable, Codable {
        /// The rule set is broken: a pattern that cannot match, can hang, or a class that can never win.
        case error
        /// Worth a look: a rule no fixture triggers, a slow pattern, a class the fixtures never pick.
        case warning
    }

    public var severity: Severity
    public var file: String
    public var line: Int
    public var column: Int
    /// Short stable name of the check, e.g. `catastrophic_backtracking`, `unused_rule`.
    public var code: String
    public var message: String

    /// `file:line:column: severity: message [code]`, the form editors and CI understand.
    public var rendered: String { "\(file):\(line):\(column): \(severity.rawValue): \(message) [\(code)]" }
}

/// A problem in `pipeline.yml`, located to file, line and column, and saying what is
/// accepted so that an operator can fix it without reading code:
/// `pipeline.yml:42:7: unknown field type 'amout' (accepted: amount, date, …)`.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Name of the configuration file (as given to the loader).
    public var file: String
    /// Line (from 1) of the offending node, 0 when unknown.
    public var line: Int
    /// Column (from 1) of the offending node, 0 when unknown.
    public var column: Int
    /// What is wrong and what would be right.
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }
}

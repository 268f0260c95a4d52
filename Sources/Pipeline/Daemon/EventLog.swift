import Foundation

/// One structured log line per event, as JSON on stderr: easy for people to read with `jq` and
/// for log collectors to parse.
public struct EventLog: Sendable {
    public var quiet: Bool

    public init(quiet: Bool = false) {
        self.quiet = quiet
    }

    public func log(_ event: String, level: String = "info", _ fields: [String: JSONValue] = [:]) {
        if quiet && level == "info" { return }
        var object = fields
        object["event"] = .string(event)
        object["level"] = .string(level)
        object["time"] = .string(ISO8601DateFormatter().string(from: Date()))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(object) else { return }
        FileHandle.standardError.write(data + Data("\n".utf8))
    }
}

/// A JSON value for log lines.
public enum JSONValue: Sendable, Encodable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case object([String: JSONValue])
    case array([JSONValue])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    public static func optional(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let s): try container.encode(s)
        case .number(let n): try container.encode(n)
        case .bool(let b): try container.encode(b)
        case .null: try container.encodeNil()
        case .object(let o): try container.encode(o)
        case .array(let a): try container.encode(a)
        }
    }
}

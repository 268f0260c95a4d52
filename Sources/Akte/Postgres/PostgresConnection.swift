import CPostgres
import Foundation

/// What PostgreSQL answered when a statement failed: its SQLSTATE (`23505` unique violation,
/// `40001` serialization failure, …) and message, or a lost connection.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    public let sqlState: String?
    public let message: String
    /// The connection is gone (server restarted, network): a new one may succeed.
    public let connectionLost: Bool

    public var description: String {
        "PostgreSQL: \(message.trimmingCharacters(in: .whitespacesAndNewlines))\(sqlState.map { " (SQLSTATE \($0))" } ?? "")"
    }

    /// A conflict that running the transaction again resolves: a unique key another host took
    /// first, a serialization failure, a deadlock.
    var isRetryable: Bool { connectionLost || ["23505", "40001", "40P01"].contains(sqlState ?? "") }
}

/// A value bound to a `$n` parameter, sent as text; PostgreSQL casts it to the column's type.
protocol PostgresParameter {
    var postgresText: String? { get }
}

extension String: PostgresParameter { var postgresText: String? { self } }
extension Int: PostgresParameter { var postgresText: String? { String(self) } }
extension Int64: PostgresParameter { var postgresText: String? { String(self) } }
extension Double: PostgresParameter { var postgresText: String? { String(self) } }
extension Bool: PostgresParameter { var postgresText: String? { self ? "true" : "false" } }
extension Date: PostgresParameter { var postgresText: String? { PostgresTime.text(self) } }
extension Optional: PostgresParameter where Wrapped: PostgresParameter {
    var postgresText: String? { self?.postgresText }
}

/// Timestamps as PostgreSQL reads and prints them (`timestamptz` with the session in UTC).
enum PostgresTime {
    static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    static func text(_ date: Date) -> String { date.formatted(style) }

    /// Parses `2026-12-06 09:35:20.123456+00` (DateStyle ISO, TimeZone UTC).
    static func date(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19 else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for i in from..<(from + count) {
                guard i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 else { return nil }
                value = value * 10 + Int(bytes[i] - 48)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2), let second = number(17, 2)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            let hours = number(index + 1, 2) ?? 0
            let minutes = (index + 3 < bytes.count && bytes[index + 3] == UInt8(ascii: ":")) ? (number(index + 4, 2) ?? 0) : 0
            offset = sign * (hours * 3600 + minutes * 60)
        }
        // Days since 1970-01-01 (civil-from-days inverse, proleptic Gregorian).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        let seconds = Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
        // Rounded to the millisecond, as the store writes them (and as SQLite keeps them).
        return Date(timeIntervalSince1970: (seconds * 1000).rounded() / 1000)
    }
}

/// One result row: the text of each column by its name (lowercase, as PostgreSQL folds them).
struct PostgresRow: Sendable {
    let values: [String: String?]

    subscript(_ column: String) -> String? {
        values[column.lowercased()] ?? nil
    }

    func string(_ column: String) throws -> String {
        guard let value = self[column] else { throw PostgresRowError.missing(column) }
        return value
    }

    func int(_ column: String) throws -> Int {
        guard let value = Int(try string(column)) else { throw PostgresRowError.type(column, "integer") }
        return value
    }

    func int64(_ column: String) throws -> Int64 {
        guard let value = Int64(try string(column)) else { throw PostgresRowError.type(column, "integer") }
        return value
    }

    func bool(_ column: String) throws -> Bool { try string(column) == "t" }

    func date(_ column: String) throws -> Date {
        guard let value = PostgresTime.date(try string(column)) else { throw PostgresRowError.type(column, "timestamp") }
        return value
    }

    func optionalDate(_ column: String) throws -> Date? {
        try self[column] == nil ? nil : date(column)
    }

    /// The row as a `Decodable` record (the GRDB records of the SQLite side, reused).
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: PostgresRowDecoder(row: self))
    }
}

enum PostgresRowError: Error, CustomStringConvertible {
    case missing(String)
    case type(String, String)

    var description: String {
        switch self {
        case .missing(let column): return "PostgreSQL row: column '\(column)' is missing or NULL"
        case .type(let column, let type): return "PostgreSQL row: column '\(column)' is not a \(type)"
        }
    }
}

/// One connection, owned by one thread at a time (the pool hands it out). Statements are sent
/// with `$n` parameters, never spliced into the SQL.
final class PostgresConnection {
    private let handle: OpaquePointer
    var handleForWaiting: OpaquePointer { handle }

    init(url: PostgresURL, password: String?) throws {
        var keywords = ["dbname", "application_name", "client_encoding", "options"]
        var values = [url.url, "posteingang", "UTF8", "-c TimeZone=UTC -c DateStyle=ISO -c lc_messages=C"]
        if let password {
            keywords.append("password")
            values.append(password)
        }
        let connection: OpaquePointer? = withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection else { throw PostgresError(sqlState: nil, message: "out of memory", connectionLost: true) }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection))
            PQfinish(connection)
            throw AkteError.databaseUnreachable(
                url: url.description,
                reason: message.split(whereSeparator: \.isWhitespace).joined(separator: " "))
        }
        handle = connection
        // Notices (e.g. "word is too long to be indexed") are not errors; keep them off stderr.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit { PQfinish(handle) }

    var isBroken: Bool { PQstatus(handle) != CONNECTION_OK }

    /// Runs one statement; rows for a query, none for a command.
    @discardableResult
    func query(_ sql: String, _ parameters: [any PostgresParameter] = []) throws -> [PostgresRow] {
        let texts = parameters.map(\.postgresText)
        let result: OpaquePointer? = withOptionalCStrings(texts) { pointers in
            PQexecParams(handle, sql, Int32(texts.count), nil, pointers, nil, nil, 0)
        }
        guard let result else {
            throw PostgresError(sqlState: nil, message: String(cString: PQerrorMessage(handle)), connectionLost: isBroken)
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return []
        case PGRES_TUPLES_OK:
            let columns = Int(PQnfields(result))
            let names = (0..<columns).map { String(cString: PQfname(result, Int32($0))) }
            return (0..<Int(PQntuples(result))).map { row in
                var values: [String: String?] = [:]
                for column in 0..<columns {
                    values[names[column]] =
                        PQgetisnull(result, Int32(row), Int32(column)) == 1
                        ? String?.none : String(cString: PQgetvalue(result, Int32(row), Int32(column)))
                }
                return PostgresRow(values: values)
            }
        default:
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            throw PostgresError(
                sqlState: state, message: String(cString: PQresultErrorMessage(result)), connectionLost: isBroken)
        }
    }

    /// Runs several statements without parameters (migrations).
    func execute(script sql: String) throws {
        guard let result = PQexec(handle, sql) else {
            throw PostgresError(sqlState: nil, message: String(cString: PQerrorMessage(handle)), connectionLost: isBroken)
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY else {
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            throw PostgresError(sqlState: state, message: String(cString: PQresultErrorMessage(result)), connectionLost: isBroken)
        }
    }

    func fetchOne<T: Decodable>(_ type: T.Type, _ sql: String, _ parameters: [any PostgresParameter] = []) throws -> T? {
        try query(sql, parameters).first.map { try $0.decode(type) }
    }

    func fetchAll<T: Decodable>(_ type: T.Type, _ sql: String, _ parameters: [any PostgresParameter] = []) throws -> [T] {
        try query(sql, parameters).map { try $0.decode(type) }
    }

    func exists(_ sql: String, _ parameters: [any PostgresParameter]) throws -> Bool {
        !(try query(sql, parameters)).isEmpty
    }

    /// Inserts a record into `table`, one column per coded property.
    func insert<T: Encodable>(_ record: T, into table: String, skipping: Set<String> = []) throws {
        let columns = try PostgresRecordEncoder.columns(of: record).filter { !skipping.contains($0.name) }
        let placeholders = (1...columns.count).map { "$\($0)" }.joined(separator: ", ")
        try query(
            "INSERT INTO \(table) (\(columns.map(\.name).joined(separator: ", "))) VALUES (\(placeholders))",
            columns.map(\.value))
    }

    /// Updates the row of `table` whose `key` columns equal the record's, every other column set.
    func update<T: Encodable>(_ record: T, in table: String, key: [String]) throws {
        let columns = try PostgresRecordEncoder.columns(of: record)
        let keys = columns.filter { key.contains($0.name) }
        let others = columns.filter { !key.contains($0.name) }
        let assignments = others.enumerated().map { "\($1.name) = $\($0 + 1)" }.joined(separator: ", ")
        let conditions = keys.enumerated().map { "\($1.name) = $\(others.count + $0 + 1)" }.joined(separator: " AND ")
        try query("UPDATE \(table) SET \(assignments) WHERE \(conditions)", others.map(\.value) + keys.map(\.value))
    }
}

private func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let duplicates = strings.map { strdup($0) }
    defer { duplicates.forEach { free($0) } }
    return body(duplicates.map { UnsafePointer($0) } + [nil])
}

private func withOptionalCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let duplicates = strings.map { $0.map { strdup($0) } ?? nil }
    defer { duplicates.forEach { free($0) } }
    return body(duplicates.map { UnsafePointer($0) })
}

extension PostgresConnection {
    /// Subscribes this connection to `channel` (an identifier of ours, not user input).
    func listen(_ channel: String) throws {
        try execute(script: "LISTEN \(channel)")
    }

    /// Waits up to `timeout` seconds for a notification; the payloads that arrived (empty on
    /// timeout). Throws when the connection is lost.
    func waitForNotifications(timeout: TimeInterval) throws -> [String] {
        var payloads = drainNotifications()
        guard payloads.isEmpty else { return payloads }
        var descriptor = pollfd(fd: PQsocket(handleForWaiting), events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(max(0, timeout) * 1000))
        if ready > 0 {
            guard PQconsumeInput(handleForWaiting) == 1 else {
                throw PostgresError(
                    sqlState: nil, message: String(cString: PQerrorMessage(handleForWaiting)), connectionLost: true)
            }
            payloads = drainNotifications()
        }
        return payloads
    }

    private func drainNotifications() -> [String] {
        var payloads: [String] = []
        while let notification = PQnotifies(handleForWaiting) {
            payloads.append(String(cString: notification.pointee.extra))
            PQfreemem(notification)
        }
        return payloads
    }
}

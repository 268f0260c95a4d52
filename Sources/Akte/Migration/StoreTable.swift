import Foundation

/// One table of the E-Akte as `store migrate` copies it: its columns with the kind of value each
/// holds, and the columns of its primary key. Both backends have every table with these column
/// names (PostgreSQL folds them to lowercase); the kinds say how each backend stores a value
/// (a time is SQLite's `DATETIME` text and PostgreSQL's `timestamptz`, a flag 0/1 and `boolean`).
public struct StoreTable: Sendable, Hashable {
    /// How a column's values are stored and compared.
    public enum Kind: Sendable, Hashable {
        case text, integer, real, flag, time
    }

    public struct Column: Sendable, Hashable {
        public let name: String
        public let kind: Kind
    }

    public let name: String
    public let columns: [Column]
    /// The primary key's columns, in order.
    public let key: [String]
    /// The key is a number the database hands out (`BIGSERIAL` / `AUTOINCREMENT`): after copying
    /// rows with their numbers, PostgreSQL's sequence must be moved past them.
    public let numberedKey: Bool

    /// The positions of the key's columns in `columns`.
    public var keyIndices: [Int] { key.map { name in columns.firstIndex { $0.name == name }! } }

    init(_ name: String, key: [String], numberedKey: Bool = false, _ columns: [(String, Kind)]) {
        self.name = name
        self.key = key
        self.numberedKey = numberedKey
        self.columns = columns.map { Column(name: $0.0, kind: $0.1) }
    }

    /// The key of a row of this table.
    public func key(of row: StoreRow) -> StoreKey { StoreKey(values: keyIndices.map { row.values[$0] }) }
}

/// A value of a row, as both backends agree on it: times to the millisecond (what the store writes).
public enum StoreValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case text(String)
    case integer(Int64)
    case real(Double)
    case flag(Bool)
    case time(milliseconds: Int64)

    public init(_ date: Date) { self = .time(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded())) }

    public var date: Date? {
        if case .time(let ms) = self { return Date(timeIntervalSince1970: Double(ms) / 1000) }
        return nil
    }

    /// A time as `2026-12-06 09:35:20.123` in UTC, from the milliseconds by integer arithmetic
    /// (no rounding of a `Double` on the way: the copy must be the millisecond it was).
    public var utcText: String? {
        guard case .time(let ms) = self else { return nil }
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let fraction = ms - seconds * 1000
        var days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = seconds - days * 86400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        days += 719468
        let era = (days >= 0 ? days : days - 146096) / 146097
        let dayOfEra = days - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let millis = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
        return "\(year)-\(two(month))-\(two(day)) \(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60)).\(millis)"
    }

    public var description: String {
        switch self {
        case .null: return "NULL"
        case .text(let text): return text.count > 40 ? "'\(text.prefix(40))…'" : "'\(text)'"
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .flag(let value): return value ? "true" : "false"
        case .time: return date!.formatted(.iso8601)
        }
    }

    /// The value's bytes for a row's content hash: a tag and a length where the value has one,
    /// so that no two different rows serialise alike.
    var canonical: String {
        switch self {
        case .null: return "N;"
        case .text(let text): return "T\(text.utf8.count):\(text);"
        case .integer(let value): return "I\(value);"
        case .real(let value): return "R\(String(value.bitPattern, radix: 16));"
        case .flag(let value): return value ? "B1;" : "B0;"
        case .time(let ms): return "D\(ms);"
        }
    }
}

/// One row: its values in the order of its table's columns.
public struct StoreRow: Sendable, Hashable {
    public var values: [StoreValue]

    public init(values: [StoreValue]) { self.values = values }

    /// SHA-256 of the row's canonical form: equal on both backends exactly when every value is.
    public var contentHash: String { SHA256Hex.of(values.map(\.canonical).joined()) }
}

/// A row's primary key.
public struct StoreKey: Sendable, Hashable, CustomStringConvertible {
    public let values: [StoreValue]

    public var description: String { values.map(\.description).joined(separator: ", ") }
}

/// Every table of the E-Akte that `store migrate` copies, parents before the tables that refer
/// to them. The one list of what an installation holds: `StoreMigration` refuses a source or a
/// target that has a table or column not named here (it would be lost), and the tests check the
/// list against both backends' schemas after all their migrations.
public enum StoreTables {
    public static let all: [StoreTable] = [
        StoreTable("households", key: ["bgNummer"], [("bgNummer", .text), ("importedAt", .time), ("updatedAt", .time)]),
        StoreTable(
            "persons", key: ["kundennummer"],
            [
                ("kundennummer", .text), ("bgNummer", .text), ("nachname", .text), ("vorname", .text),
                ("geburtsdatum", .text), ("strasse", .text), ("plz", .text), ("ort", .text), ("importedAt", .time),
                ("updatedAt", .time),
            ]),
        StoreTable(
            "documents", key: ["id"],
            [
                ("id", .text), ("sha256", .text), ("originalFilename", .text), ("channel", .text), ("receivedAt", .time),
                ("format", .text), ("documentClass", .text), ("classConfidence", .real), ("status", .text),
                ("caseID", .text), ("pageCount", .integer), ("text", .text), ("reviewReasons", .text),
                ("sensitive", .flag), ("archivePDFSha256", .text), ("detailsJSON", .text), ("filedAt", .time),
                ("filedBy", .text), ("effectiveClass", .text), ("effectiveStatus", .text), ("effectiveCaseID", .text),
            ]),
        StoreTable(
            "uploads", key: ["id"],
            [
                ("id", .text), ("sha256", .text), ("filename", .text), ("channel", .text), ("receivedAt", .time),
                ("submitter", .text), ("state", .text), ("reason", .text), ("stage", .text), ("documentID", .text),
                ("updatedAt", .time), ("note", .text),
            ]),
        StoreTable(
            "receipts", key: ["uploadID"],
            [
                ("uploadID", .text), ("documentID", .text), ("filename", .text), ("channel", .text),
                ("receivedAt", .time), ("submitter", .text), ("note", .text),
            ]),
        StoreTable(
            "pages", key: ["documentID", "number"], [("documentID", .text), ("number", .integer), ("text", .text)]),
        StoreTable(
            "fields", key: ["documentID", "key"],
            [("documentID", .text), ("key", .text), ("value", .text), ("doubtful", .flag), ("reason", .text)]),
        StoreTable(
            "uploadParts", key: ["uploadID", "partNumber"],
            [
                ("uploadID", .text), ("partNumber", .integer), ("partCount", .integer), ("documentID", .text),
                ("firstPage", .integer), ("lastPage", .integer), ("coverPage", .integer), ("coverPayload", .text),
                ("reason", .text), ("method", .text),
            ]),
        StoreTable(
            "corrections", key: ["id"], numberedKey: true,
            [
                ("id", .integer), ("documentID", .text), ("kind", .text), ("key", .text), ("machineValue", .text),
                ("previousValue", .text), ("newValue", .text), ("actor", .text), ("at", .time),
            ]),
        StoreTable("documentText", key: ["documentID"], [("documentID", .text), ("text", .text)]),
        StoreTable(
            "caseworkers", key: ["username"],
            [
                ("username", .text), ("roles", .text), ("passwordHash", .text), ("disabled", .flag),
                ("failedLogins", .integer), ("lockedUntil", .time), ("createdAt", .time), ("updatedAt", .time),
            ]),
        StoreTable(
            "caseworkerSessions", key: ["idHash"],
            [
                ("idHash", .text), ("username", .text), ("csrfToken", .text), ("createdAt", .time),
                ("lastSeenAt", .time), ("expiresAt", .time),
            ]),
        StoreTable(
            "api_tokens", key: ["id"],
            [
                ("id", .text), ("client", .text), ("caseID", .text), ("tokenSha256", .text), ("ratePerMinute", .integer),
                ("createdAt", .time), ("createdBy", .text), ("revokedAt", .time),
            ]),
        StoreTable(
            "api_uploads", key: ["uploadID"],
            [
                ("uploadID", .text), ("tokenID", .text), ("client", .text), ("caseID", .text), ("fileName", .text),
                ("parts", .integer), ("bytes", .integer), ("sha256", .text), ("acceptedAt", .time),
            ]),
        StoreTable(
            "api_upload_parts", key: ["uploadID", "position"],
            [
                ("uploadID", .text), ("position", .integer), ("fileName", .text), ("format", .text),
                ("bytes", .integer), ("sha256", .text),
            ]),
        StoreTable(
            "api_idempotency", key: ["tokenID", "key"],
            [
                ("tokenID", .text), ("key", .text), ("requestSha256", .text), ("uploadID", .text),
                ("httpStatus", .integer), ("responseJSON", .text), ("createdAt", .time),
            ]),
        StoreTable(
            "findingReviews", key: ["id"], numberedKey: true,
            [
                ("id", .integer), ("bgNummer", .text), ("findingKey", .text), ("code", .text), ("note", .text),
                ("reviewedBy", .text), ("reviewedAt", .time),
            ]),
        StoreTable(
            "documentRequests", key: ["id"], numberedKey: true,
            [
                ("id", .integer), ("bgNummer", .text), ("documentClass", .text), ("periodFrom", .text),
                ("periodTo", .text), ("dueDate", .text), ("note", .text), ("requestedBy", .text),
                ("requestedAt", .time), ("closedAt", .time), ("closedBy", .text), ("closeNote", .text),
            ]),
        StoreTable(
            "documentWork", key: ["documentID"],
            [
                ("documentID", .text), ("state", .text), ("assignee", .text), ("followUp", .text),
                ("updatedAt", .time), ("updatedBy", .text),
            ]),
        StoreTable(
            "documentNotes", key: ["id"], numberedKey: true,
            [("id", .integer), ("documentID", .text), ("author", .text), ("at", .time), ("text", .text)]),
        StoreTable(
            "audit", key: ["seq"],
            [
                ("seq", .integer), ("at", .text), ("actor", .text), ("action", .text), ("documentID", .text),
                ("uploadID", .text), ("details", .text), ("previousHash", .text), ("hash", .text),
            ]),
    ]

    /// The audit trail's table (copied last, after everything its entries name).
    public static var audit: StoreTable { all.last! }
}

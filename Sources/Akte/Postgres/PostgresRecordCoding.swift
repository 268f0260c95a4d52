import Foundation

/// Decodes a record (the same `Codable` records as the SQLite side) from a row's text values:
/// numbers and booleans as PostgreSQL prints them, dates from `timestamptz`, string enums from
/// their raw value, arrays from the JSON text they are stored as.
struct PostgresRowDecoder: Decoder {
    let row: PostgresRow
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Container<Key>(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "a row is keyed"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(String.self, .init(codingPath: codingPath, debugDescription: "a row is keyed"))
    }

    struct Container<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let row: PostgresRow
        var codingPath: [any CodingKey] = []
        var allKeys: [Key] { row.values.keys.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { row.values[key.stringValue.lowercased()] != nil }
        func decodeNil(forKey key: Key) throws -> Bool { row[key.stringValue] == nil }

        func text(_ key: Key) throws -> String {
            guard let value = row[key.stringValue] else {
                throw DecodingError.valueNotFound(
                    String.self, .init(codingPath: [key], debugDescription: "column \(key.stringValue) is NULL or missing"))
            }
            return value
        }

        func parsed<T>(_ key: Key, _ parse: (String) -> T?) throws -> T {
            let value = try text(key)
            guard let parsed = parse(value) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "'\(value)' is not a \(T.self)")
            }
            return parsed
        }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try text(key) == "t" }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try text(key) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try parsed(key) { Double($0) } }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try parsed(key) { Float($0) } }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try parsed(key) { Int($0) } }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try parsed(key) { Int8($0) } }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try parsed(key) { Int16($0) } }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try parsed(key) { Int32($0) } }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try parsed(key) { Int64($0) } }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try parsed(key) { UInt($0) } }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try parsed(key) { UInt8($0) } }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try parsed(key) { UInt16($0) } }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try parsed(key) { UInt32($0) } }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try parsed(key) { UInt64($0) } }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            if type == Date.self { return try parsed(key) { PostgresTime.date($0) } as! T }
            let value = try text(key)
            // A string enum: its raw value as a JSON string; an array or object: the JSON stored.
            if let quoted = try? JSONEncoder().encode(value), let decoded = try? JSONDecoder().decode(T.self, from: quoted) {
                return decoded
            }
            return try JSONDecoder().decode(T.self, from: Data(value.utf8))
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            throw DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription: "columns are flat"))
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: [key], debugDescription: "columns are flat"))
        }

        func superDecoder() throws -> any Decoder { PostgresRowDecoder(row: row) }
        func superDecoder(forKey key: Key) throws -> any Decoder { PostgresRowDecoder(row: row) }
    }
}

/// A record's columns and their values as text, for `INSERT` and `UPDATE`.
enum PostgresRecordEncoder {
    struct Column {
        let name: String
        let value: String?
    }

    static func columns<T: Encodable>(of record: T) throws -> [Column] {
        let collector = Collector()
        try record.encode(to: RecordEncoder(collector: collector))
        return collector.columns
    }

    final class Collector {
        var columns: [Column] = []
    }

    struct RecordEncoder: Encoder {
        let collector: Collector
        var codingPath: [any CodingKey] = []
        var userInfo: [CodingUserInfoKey: Any] = [:]

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            KeyedEncodingContainer(Container<Key>(collector: collector))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            preconditionFailure("a record encodes keyed")
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            preconditionFailure("a record encodes keyed")
        }
    }

    struct Container<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let collector: Collector
        var codingPath: [any CodingKey] = []

        func put(_ key: Key, _ value: String?) { collector.columns.append(Column(name: key.stringValue, value: value)) }

        mutating func encodeNil(forKey key: Key) throws { put(key, nil) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { put(key, value ? "true" : "false") }
        mutating func encode(_ value: String, forKey key: Key) throws { put(key, value) }
        mutating func encode(_ value: Double, forKey key: Key) throws { put(key, String(value)) }
        mutating func encode(_ value: Float, forKey key: Key) throws { put(key, String(value)) }
        mutating func encode(_ value: Int, forKey key: Key) throws { put(key, String(value)) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { put(key, String(value)) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { put(key, String(value)) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { put(key, String(value)) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { put(key, String(value)) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { put(key, String(value)) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { put(key, String(value)) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { put(key, String(value)) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { put(key, String(value)) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { put(key, String(value)) }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            if let date = value as? Date { return put(key, PostgresTime.text(date)) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            let json = try encoder.encode(value)
            // A string enum is stored as its raw value; arrays and objects as their JSON.
            if let string = try? JSONDecoder().decode(String.self, from: json) { return put(key, string) }
            put(key, String(decoding: json, as: UTF8.self))
        }

        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { put(key, nil) }
        }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { put(key, value) }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { put(key, value.map { String($0) }) }
        mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { put(key, value.map { String($0) }) }
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { put(key, value.map { $0 ? "true" : "false" }) }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { put(key, value.map { String($0) }) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            preconditionFailure("columns are flat")
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            preconditionFailure("columns are flat")
        }

        mutating func superEncoder() -> any Encoder { RecordEncoder(collector: collector) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { RecordEncoder(collector: collector) }
    }
}

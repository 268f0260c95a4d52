import Foundation
import GRDB

/// A value in an audit entry's details.
enum AuditDetail: Encodable, Equatable, ExpressibleByStringLiteral {
    case text(String)
    case number(Double)
    case list([String])
    case flag(Bool)
    case none

    init(stringLiteral value: String) { self = .text(value) }

    init(_ value: String?) { self = value.map(AuditDetail.text) ?? .none }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .list(let value): try container.encode(value)
        case .flag(let value): try container.encode(value)
        case .none: try container.encodeNil()
        }
    }
}

/// Appending to and checking the hash-chained audit trail.
///
/// Each entry's hash is SHA-256 over its own fields and the previous entry's hash, each field
/// length-prefixed so that no two different entries serialise alike. The table refuses UPDATE
/// and DELETE by triggers; someone with the file can drop them, and the chain then shows where.
enum AuditChain {
    static let genesisHash = String(repeating: "0", count: 64)

    static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    static func hash(of record: AuditRecord) -> String {
        let parts = [
            String(record.seq), record.at, record.actor, record.action, record.documentID ?? "",
            record.uploadID ?? "", record.details, record.previousHash,
        ]
        let serialised = parts.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        return SHA256Hex.of(serialised)
    }

    static func encodeDetails(_ details: [String: AuditDetail]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(details), as: UTF8.self)
    }

    /// The highest sequence number ever handed out (it survives a deleted last entry).
    static func highestIssuedSeq(_ db: Database) throws -> Int64 {
        let issued = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit'") ?? 0
        let present = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM audit") ?? 0
        return max(issued, present)
    }

    @discardableResult
    static func append(
        _ db: Database, action: AuditAction, actor: String, documentID: String?, uploadID: String?,
        details: [String: AuditDetail], at date: Date
    ) throws -> AuditRecord {
        let last = try AuditRecord.order(AuditRecord.Columns.seq.desc).fetchOne(db)
        let record = try makeRecord(
            seq: try highestIssuedSeq(db) + 1, previousHash: last?.hash ?? genesisHash, action: action, actor: actor,
            documentID: documentID, uploadID: uploadID, details: details, at: date)
        try record.insert(db)
        return record
    }

    /// The entry that follows `previousHash` as number `seq`, hashed. Both backends append these.
    static func makeRecord(
        seq: Int64, previousHash: String, action: AuditAction, actor: String, documentID: String?, uploadID: String?,
        details: [String: AuditDetail], at date: Date
    ) throws -> AuditRecord {
        var record = AuditRecord(
            seq: seq, at: date.formatted(timestampStyle), actor: actor, action: action.rawValue, documentID: documentID,
            uploadID: uploadID, details: try encodeDetails(details), previousHash: previousHash, hash: "")
        record.hash = hash(of: record)
        return record
    }

    static func verify(_ db: Database) throws -> AuditChainReport {
        let cursor = try AuditRecord.order(AuditRecord.Columns.seq).fetchCursor(db)
        return try verify(next: { try cursor.next() }, highestIssued: { try highestIssuedSeq(db) })
    }

    /// Walks the entries in `seq` order (`next` gives nil at the end); `highestIssued` is the
    /// highest number ever handed out, so that a deleted last entry shows as missing.
    static func verify(next: () throws -> AuditRecord?, highestIssued: () throws -> Int64) throws -> AuditChainReport {
        var checked = 0
        var expectedSeq: Int64 = 1
        var previousHash = genesisHash
        func report(_ seq: Int64, _ problem: AuditChainReport.Problem) -> AuditChainReport {
            AuditChainReport(
                checkedEntries: checked, headHash: previousHash,
                firstBreak: AuditChainReport.Break(seq: seq, problem: problem))
        }
        while let record = try next() {
            if record.seq != expectedSeq {
                return report(expectedSeq, .missing)
            }
            if hash(of: record) != record.hash {
                return report(record.seq, .altered)
            }
            if record.previousHash != previousHash {
                return report(record.seq, .brokenLink)
            }
            previousHash = record.hash
            checked += 1
            expectedSeq += 1
        }
        if try highestIssued() >= expectedSeq {
            return report(expectedSeq, .missing)
        }
        return AuditChainReport(checkedEntries: checked, headHash: previousHash, firstBreak: nil)
    }

    static func entry(_ record: AuditRecord) throws -> AuditEntry {
        guard let action = AuditAction(rawValue: record.action) else {
            throw AkteError.invalidInput(
                "audit entry \(record.seq) has an unknown action '\(record.action)'; update Posteingang")
        }
        return AuditEntry(
            seq: record.seq, at: (try? timestampStyle.parse(record.at)) ?? Date(timeIntervalSince1970: 0),
            actor: record.actor, action: action, documentID: record.documentID, uploadID: record.uploadID,
            details: record.details, previousHash: record.previousHash, hash: record.hash)
    }
}

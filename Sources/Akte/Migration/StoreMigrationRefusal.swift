import Foundation

/// A source row whose key the target holds with other content.
public struct RowConflict: Sendable {
    public let table: StoreTable
    public let key: StoreKey
    public let source: StoreRow
    public let target: StoreRow

    /// The columns whose values differ.
    public var columns: [String] {
        zip(table.columns, zip(source.values, target.values)).filter { $0.1.0 != $0.1.1 }.map(\.0.name)
    }

    public var german: String {
        "\(table.name) [\(table.key.joined(separator: ", ")) = \(key)]: anders in \(columns.joined(separator: ", "))"
    }
}

/// Why `store migrate` copied nothing: a German message for people, English beside it.
public enum StoreMigrationRefusal: Error, Sendable, CustomStringConvertible {
    case schemaMismatch([String])
    case sourceAuditBroken(String)
    case targetHoldsOtherData([RowConflict], total: Int)
    /// The target is an earlier migration of this source, and the source has changed rows since
    /// (rows are never overwritten).
    case targetIsOlderCopy([RowConflict], total: Int)

    public var code: String {
        switch self {
        case .schemaMismatch: return "schema_mismatch"
        case .sourceAuditBroken: return "source_audit_broken"
        case .targetHoldsOtherData: return "target_holds_other_data"
        case .targetIsOlderCopy: return "target_is_older_copy"
        }
    }

    public var german: String {
        switch self {
        case .schemaMismatch(let problems):
            return "Quelle und Ziel passen nicht zu dieser Version von Posteingang: " + problems.joined(separator: "; ")
                + ". Nichts wurde kopiert. Beide mit derselben Version öffnen (jeder Befehl migriert sie) und erneut versuchen."
        case .sourceAuditBroken(let reason):
            return "Die Protokollkette der Quelle ist nicht intakt (\(reason)). Nichts wurde kopiert: "
                + "erst klären, was geändert wurde (posteingang audit verify --data-dir …)."
        case .targetHoldsOtherData(let conflicts, let total):
            return "Das Ziel enthält schon andere Daten unter denselben Schlüsseln (\(total) Zeilen), zum Beispiel: "
                + conflicts.prefix(5).map(\.german).joined(separator: "; ")
                + ". Nichts wurde kopiert. Angenommen wird ein leeres Ziel oder eines, in das genau diese Quelle schon migriert wurde."
        case .targetIsOlderCopy(let conflicts, let total):
            return "Das Ziel ist eine frühere Migration dieser Quelle; seither hat die Quelle \(total) Zeilen geändert, zum Beispiel: "
                + conflicts.prefix(5).map(\.german).joined(separator: "; ")
                + ". Nichts wurde kopiert: Zeilen werden nie überschrieben. Für den endgültigen Umzug in ein leeres Ziel migrieren "
                + "(die Datenbank neu anlegen; der Blob-Speicher darf bleiben, Blobs sind nach Inhalt benannt)."
        }
    }

    public var english: String {
        switch self {
        case .schemaMismatch(let problems):
            return "source and target do not match this version of Posteingang (\(problems.count) problems); nothing was copied"
        case .sourceAuditBroken(let reason):
            return "the source's audit chain is broken (\(reason)); nothing was copied"
        case .targetHoldsOtherData(_, let total):
            return "the target already holds other data under the same keys (\(total) rows); nothing was copied. Accepted: an empty target, or one this source was migrated into before"
        case .targetIsOlderCopy(_, let total):
            return "the target is an earlier migration of this source, which has changed \(total) rows since; nothing was copied (rows are never overwritten): migrate into an empty database"
        }
    }

    public var description: String { english }
}

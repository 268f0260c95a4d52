import Foundation

/// Which entries of the audit trail to read (`posteingang audit log`, the data-protection page).
public struct AuditLogFilter: Sendable, Equatable {
    /// Only entries about documents that are or were in this household's case file (by the
    /// machine or a caseworker), and their uploads.
    public var caseID: String?
    /// Only entries by this actor (exact).
    public var actor: String?
    /// Only entries written at or after this time.
    public var since: Date?
    /// Only these actions (all when empty).
    public var actions: [AuditAction]
    /// At most this many entries, the newest kept.
    public var limit: Int

    public init(
        caseID: String? = nil, actor: String? = nil, since: Date? = nil, actions: [AuditAction] = [], limit: Int = 1000
    ) {
        self.caseID = caseID
        self.actor = actor
        self.since = since
        self.actions = actions
        self.limit = limit
    }
}

extension AuditEntry {
    /// The details as plain strings (lists joined with ", "), for display.
    public var detailValues: [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(details.utf8)) as? [String: Any] else { return [:] }
        var values: [String: String] = [:]
        for (key, value) in object {
            switch value {
            case let text as String: values[key] = text
            case let list as [Any]: values[key] = list.map { "\($0)" }.joined(separator: ", ")
            case is NSNull: continue
            default: values[key] = "\(value)"
            }
        }
        return values
    }
}

import Foundation

/// Where a document stands in a caseworker's work: `neu` until someone takes it, `in Bearbeitung`
/// while someone works on it, `erledigt` when done (and back to work if needed).
public enum WorkState: String, Sendable, CaseIterable, Codable {
    case new = "neu"
    case inProgress = "in_bearbeitung"
    case done = "erledigt"

    /// The German words for it.
    public var label: String {
        switch self {
        case .new: return "neu"
        case .inProgress: return "in Bearbeitung"
        case .done: return "erledigt"
        }
    }

    /// Parses `neu`, `in_bearbeitung` (or `in Bearbeitung`), `erledigt`; the error lists them.
    public static func parse(_ text: String) throws -> WorkState {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "_")
        guard let state = WorkState(rawValue: key) else {
            throw AkteError.invalidInput(
                "unknown work state '\(text)' (accepted: \(allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return state
    }
}

/// A caseworker's note on a document.
public struct DocumentNote: Sendable, Equatable {
    /// Longest note accepted.
    public static let maxLength = 2000

    public var id: Int64
    public var documentID: String
    public var author: String
    public var at: Date
    public var text: String
}

/// A document's work: state, who has it, the follow-up day, the notes (oldest first).
public struct DocumentWork: Sendable, Equatable {
    public var documentID: String
    public var state: WorkState
    /// A caseworker's login, or a team as `team:NAME`.
    public var assignee: String?
    /// The follow-up day (Wiedervorlage), ISO `2025-03-01`.
    public var followUp: String?
    public var notes: [DocumentNote]
    public var updatedAt: Date?
    public var updatedBy: String?

    /// A follow-up day as typed (`2025-03-01`, `1.3.2025`, `01.03.2025`) in ISO form; nil for
    /// anything else (whether the day exists is checked when it is set).
    public static func isoDay(_ text: String) -> String? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil { return text }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count), parts[2].count == 4,
            parts.allSatisfy({ $0.allSatisfy(\.isNumber) })
        else { return nil }
        func two(_ s: Substring) -> String { s.count == 1 ? "0" + s : String(s) }
        return "\(parts[2])-\(two(parts[1]))-\(two(parts[0]))"
    }

    public static func new(_ documentID: String) -> DocumentWork {
        DocumentWork(documentID: documentID, state: .new, assignee: nil, followUp: nil, notes: [], updatedAt: nil, updatedBy: nil)
    }
}

/// A document whose follow-up day has come, for the Wiedervorlage list.
public struct DueFollowUp: Sendable, Equatable {
    public var entry: CaseworkerListEntry
    public var work: DocumentWork
}

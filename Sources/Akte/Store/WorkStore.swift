import Foundation

/// A document's work: state, assignment, notes and Wiedervorlage, each change audited.
public protocol WorkStore: Sendable {
    func documentWork(id: String) throws -> DocumentWork
    /// The work of several documents (those never touched are left out).
    func documentWork(ids: Set<String>) throws -> [String: DocumentWork]
    func setWorkState(documentID: String, to state: WorkState, by actor: String) throws
    /// To a login, a team (`team:NAME`) or nobody (nil); taking a `neu` document starts it.
    func assignWork(documentID: String, to assignee: String?, by actor: String) throws
    /// Sets (ISO day) or clears (nil) the follow-up day.
    func setFollowUp(documentID: String, day: String?, by actor: String) throws
    @discardableResult
    func addNote(documentID: String, text: String, by actor: String) throws -> DocumentNote
    /// Not `erledigt` documents whose follow-up day is on or before `day`, earliest first.
    func dueFollowUps(onOrBefore day: String, includeHealthData: Bool) throws -> [DueFollowUp]
}

import Classification
import Akte
import ArgumentParser
import Findings
import Foundation

/// `posteingang work …`: a document's work on the command line, as on the document page: state
/// (neu, in_bearbeitung, erledigt), who has it, notes, the follow-up day (Wiedervorlage). Every
/// change is audited with `--as` (default: the login name).
struct WorkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "work", abstract: "A document's work: state, assignment, notes, follow-up day (Wiedervorlage).",
        subcommands: [WorkShowCommand.self, WorkSetCommand.self, WorkDueCommand.self])
}

struct WorkShowCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "A document's state, assignee, follow-up day and notes.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Document id.") var id: String

    func execute() async throws {
        let work: DocumentWork
        do {
            work = try store.openStore().documentWork(id: id)
        } catch let error as AkteError {
            throw ValidationError(error.description)
        }
        print("state: \(work.state.rawValue)")
        print("assignee: \(work.assignee ?? "-")")
        print("follow-up: \(work.followUp ?? "-")")
        for note in work.notes { print("note \(note.id) \(Display.date(note.at)) \(note.author): \(note.text)") }
    }
}

struct WorkSetCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Change a document's work; each change is audited.",
        discussion: "Assign to a login (`users list`) or a team as team:NAME; a follow-up day as YYYY-MM-DD or DD.MM.YYYY.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Document id.") var id: String
    @Option(help: "neu, in_bearbeitung or erledigt.") var state: String?
    @Option(help: "A caseworker's login or team:NAME.") var assign: String?
    @Flag(help: "Take the document from whoever has it.") var unassign = false
    @Option(help: "Follow-up day (Wiedervorlage).") var followUp: String?
    @Flag(help: "Clear the follow-up day.") var noFollowUp = false
    @Option(help: "Add a note.") var note: String?

    func validate() throws {
        guard state != nil || assign != nil || unassign || followUp != nil || noFollowUp || note != nil else {
            throw ValidationError("nothing to change: give --state, --assign, --unassign, --follow-up, --no-follow-up or --note")
        }
        guard !(assign != nil && unassign), !(followUp != nil && noFollowUp) else {
            throw ValidationError("--assign with --unassign, or --follow-up with --no-follow-up: choose one")
        }
    }

    func execute() async throws {
        let akte = try store.openStore()
        do {
            if let assign { try akte.assignWork(documentID: id, to: assign, by: store.who) }
            if unassign { try akte.assignWork(documentID: id, to: nil, by: store.who) }
            if let followUp {
                guard let day = DocumentWork.isoDay(followUp) else {
                    throw ValidationError("--follow-up '\(followUp)' is not a date (YYYY-MM-DD or DD.MM.YYYY)")
                }
                try akte.setFollowUp(documentID: id, day: day, by: store.who)
            }
            if noFollowUp { try akte.setFollowUp(documentID: id, day: nil, by: store.who) }
            if let note { try akte.addNote(documentID: id, text: note, by: store.who) }
            if let state { try akte.setWorkState(documentID: id, to: try WorkState.parse(state), by: store.who) }
        } catch let error as AkteError {
            throw ValidationError(error.description)
        }
        let work = try akte.documentWork(id: id)
        print("\(id): \(work.state.rawValue), assignee \(work.assignee ?? "-"), follow-up \(work.followUp ?? "-"), \(work.notes.count) note(s)")
    }
}

struct WorkDueCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "due", abstract: "Documents whose follow-up day has come and that are not erledigt, earliest first.")
    @OptionGroup var store: StoreOptions
    @Option(help: "Due on or before this day (YYYY-MM-DD; default: today, German time).") var on: String?
    @Flag(help: "Include health data.") var includeHealthData = false

    func execute() async throws {
        let day = on ?? GermanFormat.isoDay(Date())
        let due = try store.openStore().dueFollowUps(onOrBefore: day, includeHealthData: includeHealthData)
        if due.isEmpty { print("nothing due on or before \(day)"); return }
        for item in due {
            print("\(item.work.followUp ?? "-")  \(item.work.state.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)) \((item.work.assignee ?? "-").padding(toLength: 16, withPad: " ", startingAt: 0)) \(Display.summaryLine(item.entry.summary))")
        }
    }
}

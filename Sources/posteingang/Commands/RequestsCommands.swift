import Classification
import Akte
import ArgumentParser
import Findings
import Foundation
import Pipeline

/// `posteingang requests …`: documents asked of a household.
struct RequestsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requests", abstract: "Record, list and close requested documents (with due dates).",
        subcommands: [RequestsAddCommand.self, RequestsListCommand.self, RequestsCloseCommand.self])
}

/// `posteingang requests add BG --class kontoauszug --months 3 --due DATE`.
struct RequestsAddCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Record that documents were asked of a household (audited).",
        discussion: """
            A period is given as --months N (the N whole months before this month) or --from (and --to), each a month \
            (2025-01, 01/2025) or a day (2025-01-15, 15.01.2025); without --to it runs to the end of last month. \
            The household's filed documents of the class tick the request off: a period only when covered without gaps.
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var findings: FindingsOptions
    @Argument(help: "BG-Nummer.") var caseID: String
    @Option(name: .customLong("class"), help: "The class asked for, an id of pipeline.yml (e.g. kontoauszug).") var documentClass: String
    @Option(help: "The last N whole months before this month.") var months: Int?
    @Option(help: "First month or day of the period.") var from: String?
    @Option(help: "Last month or day of the period.") var to: String?
    @Option(help: "Due date (YYYY-MM-DD or DD.MM.YYYY).") var due: String
    @Option(help: "What was asked, in the caseworker's words.") var note: String = ""

    func execute() async throws {
        let akte = try store.openStore()
        guard try akte.caseExists(caseID) else { throw ValidationError("no household \(caseID) in the register") }
        let engine = try findings.engine()
        let entry = RequestEntry(
            bgNummer: caseID, documentClass: documentClass, months: months, from: from, to: to, due: due, note: note)
        let request: DocumentRequest
        do {
            request = try akte.addRequest(
                try entry.validated(by: engine, today: GermanFormat.isoDay(akte.currentDate())), by: store.who)
        } catch let problem as RequestEntry.Problem {
            throw ValidationError(problem.english)
        } catch let error as AkteError {
            throw ValidationError("\(error)")
        }
        print("request \(request.id) for \(caseID): \(engine.describe(request)), due \(request.dueDate)")
    }
}

/// `posteingang requests list [BG] [--overdue] [--json]`: overdue first.
struct RequestsListCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Requested documents and where they stand, overdue first.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var findings: FindingsOptions
    @Argument(help: "Only this household (BG-Nummer).") var caseID: String?
    @Flag(help: "Only overdue requests.") var overdue = false
    @Flag(help: "Closed (taken back) requests too.") var all = false
    @Flag(help: "Print JSON.") var json = false

    func execute() async throws {
        let akte = try store.openStore()
        let engine = try findings.engine()
        let cases: [String]
        if let caseID {
            guard try akte.caseExists(caseID) else { throw ValidationError("no household \(caseID) in the register") }
            cases = [caseID]
        } else {
            cases = try akte.casesWithRequests(includeClosed: all)
        }
        var statuses: [RequestStatus] = []
        for bg in cases {
            statuses += try CaseFindings.requestStatuses(bg, in: akte, engine: engine, includeClosed: all)
        }
        if overdue { statuses = statuses.filter { $0.state == .overdue } }
        statuses = RequestStatus.ordered(statuses)
        if json {
            try Display.printJSON(JSONValue.array(statuses.map { RequestDisplay.json($0, engine: engine) }))
            return
        }
        if statuses.isEmpty { print(overdue ? "no overdue requests" : "no requests"); return }
        for status in statuses { print(RequestDisplay.line(status, engine: engine)) }
    }
}

/// `posteingang requests close ID --note TEXT`: takes a request back (audited).
struct RequestsCloseCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "close", abstract: "Take a request back, e.g. when the documents came on paper (audited).")
    @OptionGroup var store: StoreOptions
    @Argument(help: "The request's number as `requests list` prints it.") var id: Int64
    @Option(help: "Why it is no longer needed.") var note: String

    func execute() async throws {
        let akte = try store.openStore()
        do {
            let request = try akte.closeRequest(id: id, note: note, by: store.who)
            print("request \(request.id) for \(request.bgNummer) closed (\(store.who))")
        } catch let error as AkteError {
            throw ValidationError("\(error)")
        }
    }
}

enum RequestDisplay {
    static func line(_ status: RequestStatus, engine: FindingsEngine) -> String {
        let request = status.request
        var state = status.state.label
        if status.state == .overdue { state += " (\(status.daysOverdue) \(status.daysOverdue == 1 ? "Tag" : "Tage"))" }
        var line = "#\(request.id)  \(request.bgNummer)  \(engine.describe(request))  fällig \(request.dueDate)  \(state)"
        if !status.gaps.isEmpty, !status.documentIDs.isEmpty { line += "  fehlt: \(engine.describe(status.gaps))" }
        if !status.documentIDs.isEmpty {
            line += "  Dokumente: \(status.documentIDs.map { String($0.prefix(8)) }.joined(separator: ", "))"
        }
        return line
    }

    static func json(_ status: RequestStatus, engine: FindingsEngine) -> JSONValue {
        let request = status.request
        var object: [String: JSONValue] = [
            "id": .number(Double(request.id)), "case": .string(request.bgNummer), "class": .string(request.documentClass),
            "label": .string(engine.label(ofClass: request.documentClass)), "due": .string(request.dueDate),
            "state": .string(status.state.rawValue), "requested_by": .string(request.requestedBy),
            "requested_at": .string(ISO8601DateFormatter().string(from: request.requestedAt)), "note": .string(request.note),
            "documents": .array(status.documentIDs.map { .string($0) }),
            "missing": .array(
                status.gaps.map { gap in
                    var entry: [String: JSONValue] = ["from": .string(gap.from), "to": .string(gap.to)]
                    entry["iban"] = gap.account.map { .string($0) }
                    return .object(entry)
                }),
            "days_overdue": .number(Double(status.daysOverdue)),
        ]
        object["period"] = request.period.map { .object(["from": .string($0.from), "to": .string($0.to)]) } ?? .null
        object["closed"] =
            request.closing.map { closing -> JSONValue in
                .object([
                    "by": .string(closing.closedBy), "at": .string(ISO8601DateFormatter().string(from: closing.closedAt)),
                    "note": .string(closing.note),
                ])
            } ?? .null
        return .object(object)
    }
}

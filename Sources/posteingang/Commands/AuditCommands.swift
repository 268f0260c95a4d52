import Akte
import ArgumentParser
import Classification
import Foundation

/// `posteingang audit …`: the hash-chained audit trail.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit trail: read it, check its hash chain.",
        subcommands: [AuditLogCommand.self, AuditVerifyCommand.self])
}

struct AuditVerifyCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Check the audit trail's hash chain; exit 1 if an entry was changed or removed.")
    @OptionGroup var store: StoreOptions

    func execute() async throws {
        let akte = try store.openStore()
        let report = try akte.verifyAuditChain()
        if report.isIntact {
            print("audit trail intact: \(report.checkedEntries) entries, head \(report.headHash)")
        } else {
            print("audit trail BROKEN: \(report.firstBreak.map { "\($0)" } ?? "unknown")")
            throw ExitCode(1)
        }
    }
}

/// `posteingang audit log [--case BG] [--actor NAME] [--since DATE] [--json]`: who did what, oldest
/// first. With `--case` it answers a household's question "who looked at my documents" (Art. 15
/// GDPR); `--action viewed --action exported --action access_denied` narrows it to that.
struct AuditLogCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Read the audit trail, oldest first.",
        discussion: """
            Each entry: number, time, actor (who authenticated: a caseworker, an API client, a worker, \
            the operator; `anonym` for failed logins), action, document or upload, details. What a client \
            only claimed (a sub-channel, a user name typed at login) is in the details as claimed….
            """)
    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("case"), help: "Only entries about documents of this household (BG-Nummer) and their uploads.")
    var caseID: String?
    @Option(help: "Only entries by this actor.") var actor: String?
    @Option(help: "Only entries since (YYYY-MM-DD or YYYY-MM-DD HH:MM, local time).") var since: String?
    @Option(
        name: .customLong("action"),
        help: "Only this action (repeatable): \(AuditAction.allCases.map(\.rawValue).joined(separator: ", ")).")
    var actions: [String] = []
    @Option(help: "At most this many entries (the newest).") var limit: Int = 1000
    @Flag(help: "Print JSON: an array of entries with their details as objects.") var json = false

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        for action in actions where AuditAction(rawValue: action) == nil {
            throw ValidationError(
                "--action '\(action)' is unknown (accepted: \(AuditAction.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
    }

    func execute() async throws {
        let akte = try store.openStore()
        let household = caseID.map { CaseIdentifiers.normalizeAny($0.trimmingCharacters(in: .whitespaces)) }
        let filter = AuditLogFilter(
            caseID: household, actor: actor, since: try Display.parseSince(since),
            actions: actions.compactMap(AuditAction.init(rawValue:)), limit: limit)
        let entries = try akte.auditLog(filter)
        if json {
            print(try Self.json(entries))
            return
        }
        if entries.isEmpty {
            print("no audit entries\(household.map { " for \($0)" } ?? "")")
            return
        }
        for entry in entries {
            let subject = entry.documentID.map { "doc " + $0.prefix(8) } ?? entry.uploadID.map { "upload " + $0 } ?? "-"
            let details = entry.detailValues.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            print(Self.printable("\(entry.seq)  \(Display.date(entry.at))  \(entry.actor)  \(entry.action.rawValue)  \(subject)  \(details)"))
        }
    }

    /// Control characters (a claim could carry terminal escapes) shown as `?`.
    static func printable(_ line: String) -> String {
        String(String.UnicodeScalarView(line.unicodeScalars.map { CharacterSet.controlCharacters.contains($0) ? "?" : $0 }))
    }

    static func json(_ entries: [AuditEntry]) throws -> String {
        let objects: [[String: Any]] = entries.map { entry in
            [
                "seq": entry.seq, "at": entry.at.formatted(.iso8601), "actor": entry.actor, "action": entry.action.rawValue,
                "document_id": entry.documentID ?? NSNull(), "upload_id": entry.uploadID ?? NSNull(),
                "details": (try? JSONSerialization.jsonObject(with: Data(entry.details.utf8))) ?? entry.details,
                "hash": entry.hash,
            ]
        }
        let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

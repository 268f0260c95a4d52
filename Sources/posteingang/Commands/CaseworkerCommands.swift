import Akte
import ArgumentParser
import Findings
import Foundation
import Pipeline

/// `posteingang inbox`: what was filed, newest first.
struct InboxCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(commandName: "inbox", abstract: "Documents filed, newest first, with class and key fields.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var findings: FindingsOptions
    @Option(name: .customLong("case"), help: "Only this household (BG-Nummer).") var caseID: String?
    @Option(help: "Only documents received since (YYYY-MM-DD or YYYY-MM-DD HH:MM).") var since: String?
    @Option(help: "At most this many.") var limit: Int = 50

    func execute() async throws {
        let akte = try store.openStore()
        let documents = try akte.inbox(since: try Display.parseSince(since), caseID: caseID, limit: limit)
        if documents.isEmpty { print("no documents"); return }
        // Open findings per document, computed once per household shown.
        let engine = try findings.engine()
        var openFindings: [String: Int] = [:]
        for household in Set(documents.compactMap(\.caseID)) {
            guard try akte.caseExists(household) else { continue }
            for finding in try CaseFindings.findings(household, in: akte, engine: engine) where finding.isOpen {
                for id in finding.documentIDs { openFindings[id, default: 0] += 1 }
            }
        }
        for d in documents {
            let count = openFindings[d.id] ?? 0
            let marker = count == 0 ? "" : "  [\(count) \(count == 1 ? "Befund" : "Befunde")]"
            print(Display.summaryLine(d) + (d.status == .needsReview ? "  [review]" : "") + marker)
        }
        let total = Set(openFindings.keys).count
        if total > 0 { print("\(total) document(s) with open findings; `posteingang akte show BG` lists them") }
    }
}

/// `posteingang review`: the triage queue.
struct ReviewCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(commandName: "review", abstract: "The triage queue: documents the machine could not decide, with the reasons.")
    @OptionGroup var store: StoreOptions

    func execute() async throws {
        let akte = try store.openStore()
        let queue = try akte.reviewQueue()
        if queue.isEmpty { print("review queue is empty"); return }
        for d in queue {
            print(Display.summaryLine(d))
            for reason in d.reviewReasons { print("      - \(reason)") }
        }
    }
}

/// `posteingang akte …`: a household's case file; document details.
struct AkteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "akte", abstract: "Look into the E-Akte.",
        subcommands: [AkteShowCommand.self, DocumentShowCommand.self, CheckFindingCommand.self])
}

struct AkteShowCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "A household's documents, newest first, with fields, and its findings.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var findings: FindingsOptions
    @Flag(help: "Print JSON (documents with fields, persons, findings).") var json = false
    @Argument(help: "BG-Nummer.") var caseID: String

    func execute() async throws {
        let akte = try store.openStore()
        guard try akte.caseExists(caseID) else { throw ValidationError("no household \(caseID) in the register") }
        let documents = try akte.documents(inCase: caseID)
        let found = try CaseFindings.findings(caseID, in: akte, engine: try findings.engine())
        if json {
            let iso = ISO8601DateFormatter()
            var entries: [JSONValue] = []
            for summary in documents {
                let d = try akte.document(id: summary.id, viewer: store.who)
                entries.append(.object([
                    "id": .string(d.id), "class": .string(d.effective.documentClass), "status": .string(d.effective.status.rawValue),
                    "received_at": .string(iso.string(from: d.receivedAt)), "filename": .string(d.originalFilename),
                    "fields": .object(Dictionary(d.fields.map { ($0.key, JSONValue.string($0.value)) }, uniquingKeysWith: { $1 })),
                    "doubtful_fields": .array(d.fields.filter(\.doubtful).map { .string($0.key) }),
                ]))
            }
            let persons = try akte.persons(inCase: caseID).map { p -> JSONValue in
                .object(["kundennummer": .string(p.kundennummer), "nachname": .string(p.nachname), "vorname": .string(p.vorname)])
            }
            let engine = try findings.engine()
            let requests = try CaseFindings.requestStatuses(caseID, in: akte, engine: engine, includeClosed: true)
            try Display.printJSON(JSONValue.object([
                "case": .string(caseID), "persons": .array(persons), "documents": .array(entries),
                "findings": .array(found.map(FindingDisplay.json)),
                "requests": .array(requests.map { RequestDisplay.json($0, engine: engine) }),
            ]))
            return
        }
        print("\(caseID): \(documents.count) document(s)")
        for summary in documents {
            let d = try akte.document(id: summary.id, viewer: store.who)
            print(Display.summaryLine(summary))
            for f in d.fields {
                print("      \(f.key): \(f.value)\(f.doubtful ? "  (doubtful\(f.reason.map { ": \($0)" } ?? ""))" : "")\(f.corrected ? "  (corrected; machine: \(f.machineValue ?? "—"))" : "")")
            }
        }
        let open = found.filter(\.isOpen).count
        print("Befunde: \(found.count) (\(open) offen)")
        for line in FindingDisplay.lines(found) { print(line) }
    }
}

struct DocumentShowCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(commandName: "document", abstract: "One document in full (the view is audited).")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Document id.") var documentID: String
    @Flag(help: "Print the text too.") var text = false

    func execute() async throws {
        let akte = try store.openStore()
        let d = try akte.document(id: try DocumentLookup.resolve(documentID, in: akte), viewer: store.who)
        print("document \(d.id)")
        print("  file: \(d.originalFilename) (\(d.format), \(d.pageCount) page(s)), sha256 \(d.sha256)")
        print("  received: \(Display.date(d.receivedAt)) via \(d.channel); receipts: \(d.receipts.count)")
        print("  class: \(d.effective.documentClass) (machine: \(d.machine.documentClass), \(String(format: "%.0f%%", d.classConfidence * 100)))")
        print("  case: \(d.effective.caseID ?? "—") (machine: \(d.machine.caseID ?? "—")); status: \(d.effective.status.rawValue)")
        if d.sensitive { print("  sensitive: health data, restricted") }
        for f in d.fields { print("  \(f.key): \(f.value)\(f.doubtful ? "  (doubtful)" : "")\(f.corrected ? "  (corrected)" : "")") }
        for r in d.reviewReasons { print("  review: \(r)") }
        try await store.withBlobs { blobs in
            if let archive = d.archivePDFSha256 { print("  searchable PDF: \(try blobs.locator(for: archive))") }
            print("  original: \(try blobs.locator(for: d.sha256))")
        }
        if text { print(d.text) }
    }
}

/// Accepts a full document id or a unique prefix of at least 8 characters (as the tables show).
enum DocumentLookup {
    static func resolve(_ id: String, in akte: any AkteStore) throws -> String {
        if id.count >= 36 { return id }
        guard id.count >= 8 else { throw ValidationError("document id '\(id)' too short: give the full id or its first 8 characters") }
        let matches = try akte.inbox(since: nil, caseID: nil, limit: 100_000).map(\.id).filter { $0.hasPrefix(id.lowercased()) }
        guard matches.count == 1 else {
            throw ValidationError(matches.isEmpty ? "no document with id \(id)" : "document id prefix \(id) is ambiguous; give more characters")
        }
        return matches[0]
    }
}

/// `posteingang search TEXT`.
struct SearchCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Full-text search over the documents the caller may see.")
    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("case"), help: "Limit to these households (repeatable). Without it: all.") var cases: [String] = []
    @Argument(help: "Words to find.") var text: String

    func execute() async throws {
        let akte = try store.openStore()
        let hits = try akte.search(text, cases: cases.isEmpty ? nil : Set(cases))
        if hits.isEmpty { print("nothing found"); return }
        for hit in hits {
            print(Display.summaryLine(hit.document))
            print("      " + hit.snippet.split(whereSeparator: \.isWhitespace).joined(separator: " "))
        }
    }
}

/// `posteingang status ID|SHA256`: what a citizen's app shows.
struct StatusCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Status of an upload by upload id or SHA-256: received, processing, filed, needs_review, refused.")
    @OptionGroup var store: StoreOptions
    @Flag(help: "Print JSON.") var json = false
    @Argument(help: "Upload id or SHA-256 of the file.") var reference: String

    func execute() async throws {
        let akte = try store.openStore()
        guard let status = try akte.uploadStatus(idOrSha: reference) else {
            throw ValidationError("no upload with id or SHA-256 \(reference)")
        }
        if json {
            var object: [String: JSONValue] = ["state": .string(status.state.rawValue), "sha256": .string(status.sha256)]
            object["upload_id"] = .optional(status.uploadID)
            object["reason"] = .optional(status.reason)
            object["document_id"] = .optional(status.documentID)
            if !status.parts.isEmpty {
                object["parts"] = .array(status.parts.map { part in
                    .object([
                        "number": .number(Double(part.number)), "first_page": .number(Double(part.firstPage)),
                        "last_page": .number(Double(part.lastPage)), "document_id": .string(part.documentID),
                        "state": .string(part.state.rawValue), "reason": .optional(part.stateReason),
                        "cover_page": part.coverPage.map { .number(Double($0)) } ?? .null,
                    ])
                })
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(object), as: UTF8.self))
        } else {
            print("\(status.uploadID ?? status.sha256): \(status.state.rawValue)\(status.reason.map { " (\($0))" } ?? "")")
            for part in status.parts {
                print("  part \(part.number) of \(part.count), pages \(part.firstPage)-\(part.lastPage): \(part.state.rawValue), document \(part.documentID)")
            }
        }
    }
}

/// `posteingang export DOC|BG --to DIR`.
struct ExportCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export a document or a household's documents: original, searchable PDF and a JSON of the record (audited).")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Document id or BG-Nummer.") var reference: String
    @Option(help: "Target folder.") var to: String

    func execute() async throws {
        let akte = try store.openStore()
        let ids: [String]
        if try akte.caseExists(reference) {
            ids = try akte.documents(inCase: reference).map(\.id)
        } else {
            ids = [try DocumentLookup.resolve(reference, in: akte)]
        }
        let target = URL(fileURLWithPath: to, isDirectory: true)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try await store.withBlobs { blobs in
            for id in ids {
                let d = try akte.document(id: id, viewer: store.who)
                let base = target.appendingPathComponent(d.id)
                let original = try await blobs.read(sha256: d.sha256)
                let ext = URL(fileURLWithPath: d.originalFilename).pathExtension
                try original.write(to: base.appendingPathExtension(ext.isEmpty ? d.format : ext))
                if let archive = d.archivePDFSha256 {
                    try await blobs.read(sha256: archive).write(to: target.appendingPathComponent(d.id + ".searchable.pdf"))
                }
                try DocumentExport(d).json().write(to: base.appendingPathExtension("json"))
                try akte.recordExport(documentID: d.id, by: store.who)
            }
        }
        print("exported \(ids.count) document(s) to \(target.path)")
    }
}

/// The JSON of a record for export.
struct DocumentExport: Encodable {
    var id, sha256, originalFilename, channel, receivedAt, format, documentClass, machineClass, status: String
    var caseID, machineCaseID: String?
    var pageCount: Int
    var fields: [String: String]
    var doubtfulFields: [String]
    var reviewReasons: [String]
    var receipts: [[String: String]]
    var text: String

    init(_ d: FiledDocument) {
        let iso = ISO8601DateFormatter()
        id = d.id; sha256 = d.sha256; originalFilename = d.originalFilename; channel = d.channel
        receivedAt = iso.string(from: d.receivedAt); format = d.format
        documentClass = d.effective.documentClass; machineClass = d.machine.documentClass
        status = d.effective.status.rawValue; caseID = d.effective.caseID; machineCaseID = d.machine.caseID
        pageCount = d.pageCount
        fields = Dictionary(d.fields.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        doubtfulFields = d.fields.filter(\.doubtful).map(\.key)
        reviewReasons = d.reviewReasons
        receipts = d.receipts.map { ["upload_id": $0.uploadID, "filename": $0.filename, "channel": $0.channel, "received_at": iso.string(from: $0.receivedAt)] }
        text = d.text
    }

    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}

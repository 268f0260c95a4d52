import Foundation

/// The E-Akte's rules that do not depend on the backend, one owner for both `SQLiteAkte` and
/// `PostgresAkte`: what a valid document, part, register row, request or token is, the audit
/// details they write, how an upload's state follows from its document, which documents are
/// health data.
enum AkteRules {
    /// The audit entries of a new document, in order: classified, then filed, moved to review
    /// or quarantined (the same on every backend).
    static func newDocumentAudit(
        _ record: DocumentRecord, _ document: NewDocument, classifiedDetails: [String: AuditDetail]
    ) -> [(AuditAction, [String: AuditDetail])] {
        let classified: [String: AuditDetail] = [
            "class": .text(document.documentClass), "confidence": .number(document.classConfidence),
            "fields": .list(document.fields.map(\.key)),
            "doubtfulFields": .list(document.fields.filter(\.doubtful).map(\.key)),
        ].merging(classifiedDetails) { _, extra in extra }
        let outcome: (AuditAction, [String: AuditDetail])
        switch record.effectiveStatus {
        case .filed:
            outcome = (.filed, ["case": AuditDetail(record.effectiveCaseID)])
        case .needsReview:
            outcome = (.movedToReview, ["case": AuditDetail(record.effectiveCaseID), "reasons": .list(record.reviewReasons)])
        case .quarantined:
            outcome = (.quarantined, ["reasons": .list(record.reviewReasons)])
        }
        return [(.classified, classified), outcome]
    }

    /// The review reason of a document whose case the register does not hold (German: a
    /// caseworker reads it).
    static func caseNotInRegister(_ caseID: String) -> String { "Der Fall \(caseID) steht nicht im Fallregister" }
    /// The review reason of a document filed without a case.
    static let noCaseMatched = "Kein Fall gefunden"

    /// The assignee trimmed (nil for nobody), after checking a team name or that the login exists.
    static func checkedAssignee(_ assignee: String?, isCaseworker: (String) throws -> Bool) throws -> String? {
        let assignee = assignee?.trimmingCharacters(in: .whitespaces)
        if let assignee, !assignee.isEmpty {
            if assignee.hasPrefix("team:") {
                let name = assignee.dropFirst(5)
                guard (1...40).contains(name.count),
                    name.allSatisfy({ $0.isLetter || $0.isNumber || "-_. ".contains($0) })
                else {
                    throw AkteError.invalidInput(
                        "team name '\(name)' is not accepted: 1 to 40 letters, digits, '-', '_', '.' or spaces after 'team:'")
                }
            } else if try !isCaseworker(assignee) {
                throw AkteError.invalidInput(
                    "no caseworker '\(assignee)'; name a login (`posteingang users list`) or a team as 'team:NAME'")
            }
        }
        return assignee?.isEmpty == false ? assignee : nil
    }

    /// Refuses a follow-up day that is not a real ISO day.
    static func checkFollowUpDay(_ day: String) throws {
        do {
            let parts = day.split(separator: "-").compactMap { Int($0) }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            guard day.count == 10, parts.count == 3,
                let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
                calendar.dateComponents([.year, .month, .day], from: date) == DateComponents(year: parts[0], month: parts[1], day: parts[2])
            else {
                throw AkteError.invalidInput("follow-up day '\(day)' is not a date (YYYY-MM-DD)")
            }
        }
    }

    /// SQL that is true for health-data rows of `documents`.
    static var healthDataCondition: String {
        let classes = HealthData.classes.sorted().map { "'\($0)'" }.joined(separator: ", ")
        return "(documents.sensitive OR documents.documentClass IN (\(classes)) OR documents.effectiveClass IN (\(classes)))"
    }

    static func validate(_ document: NewDocument) throws {
        guard !document.uploadID.isEmpty else { throw AkteError.invalidInput("the document has no upload id") }
        guard SHA256Hex.isValid(document.sha256) else { throw AkteError.invalidSha256(document.sha256) }
        if let archive = document.archivePDFSha256, !SHA256Hex.isValid(archive) {
            throw AkteError.invalidSha256(archive)
        }
        guard document.pageCount >= 0, document.pageTexts.count <= document.pageCount else {
            throw AkteError.invalidInput(
                "upload \(document.uploadID): \(document.pageTexts.count) page texts for \(document.pageCount) pages")
        }
        guard (0...1).contains(document.classConfidence) else {
            throw AkteError.invalidInput(
                "upload \(document.uploadID): class confidence \(document.classConfidence) is not within 0…1")
        }
        guard !document.documentClass.isEmpty else {
            throw AkteError.invalidInput("upload \(document.uploadID) has no document class (use 'sonstiges')")
        }
        var keys = Set<String>()
        for field in document.fields where !keys.insert(field.key).inserted {
            throw AkteError.invalidInput("upload \(document.uploadID): field '\(field.key)' appears twice")
        }
    }

    /// The audit details of `request_added`.
    static func requestAddedDetails(_ request: NewDocumentRequest, id: Int64, note: String) -> [String: AuditDetail] {
        var details: [String: AuditDetail] = [
            "case": .text(request.bgNummer), "request": .text(String(id)), "class": .text(request.documentClass),
            "due": .text(request.dueDate),
        ]
        if let period = request.period { details["period"] = .text("\(period.from)..\(period.to)") }
        if !note.isEmpty { details["note"] = .text(note) }
        return details
    }

    /// Refuses a request without a class, with a due date or period that are not ISO days.
    static func checkRequest(_ request: NewDocumentRequest) throws {
        guard !request.documentClass.isEmpty else { throw AkteError.invalidInput("a request needs the class asked for") }
        guard Self.isISODay(request.dueDate) else {
            throw AkteError.invalidInput("due date '\(request.dueDate)' is not a day (YYYY-MM-DD)")
        }
        if let period = request.period {
            guard Self.isISODay(period.from), Self.isISODay(period.to) else {
                throw AkteError.invalidInput("period \(period.from) to \(period.to) is not two days (YYYY-MM-DD)")
            }
            guard period.from <= period.to else {
                throw AkteError.invalidInput("period starts (\(period.from)) after it ends (\(period.to))")
            }
        }
    }

    static func isISODay(_ text: String) -> Bool {
        guard text.count == 10, text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil else { return false }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.isLenient = false
        return formatter.date(from: text).map { formatter.string(from: $0) == text } ?? false
    }

    /// The machine's fields with the latest correction of each applied; corrected-only fields last.
    static func effectiveFields(machine: [FieldRecord], corrections: [Correction]) -> [DocumentField] {
        var latest: [String: String] = [:]
        var correctedOnly: [String] = []
        let machineKeys = Set(machine.map(\.key))
        for correction in corrections where correction.kind == .field {
            guard let key = correction.key, let value = correction.newValue else { continue }
            if latest[key] == nil, !machineKeys.contains(key) { correctedOnly.append(key) }
            latest[key] = value
        }
        let read = machine.map { field in
            DocumentField(
                key: field.key, machineValue: field.value, value: latest[field.key] ?? field.value,
                doubtful: latest[field.key] == nil && field.doubtful, reason: field.reason,
                corrected: latest[field.key] != nil)
        }
        let added = correctedOnly.map { key in
            DocumentField(
                key: key, machineValue: nil, value: latest[key]!, doubtful: false, reason: nil, corrected: true)
        }
        return read + added
    }

    /// A caseworker's note on a document, trimmed: 1 to `DocumentNote.maxLength` characters.
    static func checkedNote(_ text: String) throws -> String {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= DocumentNote.maxLength else {
            throw AkteError.invalidInput("a note needs 1 to \(DocumentNote.maxLength) characters (this one has \(text.count))")
        }
        return text
    }

    /// A finding marked as checked: its note trimmed; refused without a note, key or code.
    static func checkedFindingNote(_ note: String, findingKey: String, code: String) throws -> String {
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw AkteError.invalidInput("a finding marked as checked needs a note") }
        guard !findingKey.isEmpty, !code.isEmpty else { throw AkteError.invalidInput("a finding needs its key and code") }
        return note
    }

    static func findingReviewedDetails(bgNummer: String, findingKey: String, code: String, note: String, documentIDs: [String])
        -> [String: AuditDetail]
    {
        ["case": .text(bgNummer), "finding": .text(findingKey), "code": .text(code), "note": .text(note), "documents": .list(documentIDs)]
    }

    /// The actor of entries about someone not (yet) authenticated: a failed or throttled login.
    static let anonymousActor = "anonym"

    /// A hash to check wrong user names against, so that they take as long as wrong passwords.
    static let decoyHash = (try? PasswordHash.make("decoy-password-for-unknown-users")) ?? ""

    static func encodeRoles(_ roles: Set<CaseworkerRole>) -> String {
        roles.map(\.rawValue).sorted().joined(separator: " ")
    }

    /// A new token and its secret after checking the client name and rate (both backends).
    static func newAPIToken(client: String, caseID: String?, ratePerMinute: Int, by actor: String, at: Date) throws
        -> (APIToken, String)
    {
        let name = client.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.utf8.count <= 64,
            name.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) })
        else {
            throw AkteError.invalidInput(
                "client name '\(client)' is not accepted: use 1–64 ASCII letters, digits, '-', '_' or '.' (e.g. jobcenter-app)")
        }
        guard (1...100_000).contains(ratePerMinute) else {
            throw AkteError.invalidInput("rate \(ratePerMinute)/min is not accepted: use 1 to 100000 uploads per minute")
        }
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
        let secret = "pst_" + bytes.map { String(format: "%02x", $0) }.joined()
        let id = "tok-" + UUID().uuidString.lowercased().prefix(8)
        let token = APIToken(
            id: id, client: name, caseID: caseID, ratePerMinute: ratePerMinute, createdAt: at, createdBy: actor,
            revokedAt: nil)
        return (token, secret)
    }
}

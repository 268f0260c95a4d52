import Akte
import Classification
import Foundation
import Hummingbird

/// Corrections posted from the document page and the review queue. They go through the same
/// store calls as the command line (`reclassify`, `set-field`, `assign`), so they are kept
/// beside the machine's values and audited as `corrected` / `review_resolved`.
extension CaseworkerWeb {
    func reclassify(_ caseworker: LoggedInCaseworker, _ access: DocumentAccess, _ form: FormBody) throws -> Response {
        let known = documentClasses.map(\.id)
        guard let documentClass = form.text("klasse"), known.contains(documentClass) else {
            return badInput(
                "Unbekannte Klasse „\(form.text("klasse") ?? "")“ (bekannt: \(known.joined(separator: ", "))).", caseworker, access)
        }
        try environment.akte.reclassify(documentID: access.id, to: documentClass, by: caseworker.identity.username)
        return saved(access, .classChanged)
    }

    func setField(_ caseworker: LoggedInCaseworker, _ access: DocumentAccess, _ form: FormBody) throws -> Response {
        guard let key = form.text("feld") else { return badInput("Es fehlt, welches Feld geändert werden soll.", caseworker, access) }
        let definitions = documentClasses.flatMap(\.fields)
        guard let definition = definitions.first(where: { $0.key == key }) else {
            let keys = Array(Set(definitions.map(\.key))).sorted()
            return badInput("Unbekanntes Feld „\(key)“ (bekannt: \(keys.joined(separator: ", "))).", caseworker, access)
        }
        guard let raw = form.text("wert") else { return badInput("Bitte einen Wert für „\(definition.label)“ eingeben.", caseworker, access) }
        let value: String
        switch Self.normalize(raw, as: definition.type) {
        case .success(let normalized): value = normalized
        case .failure(let problem): return badInput("\(definition.label): \(problem.message)", caseworker, access)
        }
        try environment.akte.setField(documentID: access.id, key: key, value: value, by: caseworker.identity.username)
        return saved(access, .fieldSaved, field: key)
    }

    func assign(_ caseworker: LoggedInCaseworker, _ access: DocumentAccess, _ form: FormBody, resolvingReview: Bool) throws
        -> Response
    {
        guard let entered = form.text("fall") else { return badInput("Bitte eine BG-Nummer angeben.", caseworker, access) }
        let caseID = CaseIdentifiers.normalizeAny(entered)
        do {
            try environment.akte.assign(documentID: access.id, caseID: caseID, by: caseworker.identity.username)
            if resolvingReview {
                do {
                    try environment.akte.resolveReview(
                        documentID: access.id, by: caseworker.identity.username, note: "assigned on the review page")
                } catch AkteError.notInReview {
                    // Someone else closed the review meanwhile; the assignment stands.
                }
            }
        } catch AkteError.unknownCase {
            return badInput(
                "Fall „\(caseID)“ steht nicht im Fallregister. Prüfen Sie die BG-Nummer (Form: 96301BG0012345).", caseworker, access)
        }
        if resolvingReview {
            return HTML.redirect(to: "/pruefung?hinweis=\(Notice.assignedAndReviewClosed.rawValue)&fall=\(HTML.urlComponent(caseID))")
        }
        return saved(access, .caseAssigned)
    }

    func resolveReview(_ caseworker: LoggedInCaseworker, _ access: DocumentAccess) throws -> Response {
        do {
            try environment.akte.resolveReview(documentID: access.id, by: caseworker.identity.username, note: nil)
        } catch AkteError.notInReview {
            return HTML.errorPage(
                .conflict, title: "Nicht in Prüfung", message: "Dieses Dokument wartet auf keine Prüfung (mehr).",
                caseworker: caseworker)
        } catch AkteError.noCaseAssigned {
            return badInput("Ordnen Sie das Dokument zuerst einem Fall zu.", caseworker, access)
        }
        return saved(access, .reviewClosed)
    }

    /// Back to the document with a notice code (the page shows its fixed text).
    private func saved(_ access: DocumentAccess, _ notice: Notice, field: String? = nil) -> Response {
        HTML.redirect(
            to: "/dokumente/\(access.id)?gespeichert=\(notice.rawValue)\(field.map { "&feld=" + HTML.urlComponent($0) } ?? "")")
    }

    private func badInput(_ message: String, _ caseworker: LoggedInCaseworker, _ access: DocumentAccess) -> Response {
        let body = """
            <h1>Nicht gespeichert</h1>
            <p class="error" role="alert">\(HTML.escape(message))</p>
            <p><a href="/dokumente/\(HTML.escape(access.id))">Zurück zum Dokument</a></p>
            """
        return HTML.response(HTML.page(title: "Nicht gespeichert", caseworker: caseworker, body: body), status: .badRequest)
    }

    struct ValueProblem: Error {
        var message: String
    }

    /// A caseworker's entry in the normalised form the E-Akte keeps (amounts `1234.56`, dates
    /// `2025-03-01`, …), read with the same parsers as documents; doubtful values are refused.
    static func normalize(_ raw: String, as type: FieldType) -> Result<String, ValueProblem> {
        let parsed: ParsedValue?
        let accepted: String
        switch type {
        case .amount:
            parsed = AmountParser.parse(raw) ?? canonical(raw, #"^-?\d+\.\d{2}$"#)
            accepted = "ein Betrag, z. B. 1.234,56 oder 1234.56"
        case .date:
            parsed = DateParser.parse(raw) ?? canonicalDate(raw)
            accepted = "ein Datum, z. B. 01.03.2025 oder 2025-03-01"
        case .month:
            parsed = MonthParser.parse(raw) ?? canonical(raw, #"^\d{4}-(0[1-9]|1[0-2])$"#)
            accepted = "ein Monat, z. B. 03/2025 oder 2025-03"
        case .iban:
            parsed = IBAN.parse(raw)
            accepted = "eine IBAN, z. B. DE89 3704 0044 0532 0130 00"
        case .area:
            parsed = AreaParser.parse(raw) ?? canonical(raw, #"^\d+\.\d{2}$"#)
            accepted = "eine Fläche in m², z. B. 62,40"
        case .integer:
            parsed = IntegerParser.parse(raw)
            accepted = "eine ganze Zahl, z. B. 3"
        case .text, .name:
            parsed = TextValue.normalize(raw).map { ParsedValue(normalized: $0, raw: raw) }
            accepted = "Text"
        }
        guard let parsed else { return .failure(ValueProblem(message: "„\(raw)“ wird nicht angenommen (erwartet: \(accepted)).")) }
        if parsed.doubtful {
            return .failure(ValueProblem(message: "„\(raw)“ ist nicht plausibel: \(parsed.reason ?? "Prüfung fehlgeschlagen")."))
        }
        return .success(parsed.normalized)
    }

    private static func canonical(_ raw: String, _ pattern: String) -> ParsedValue? {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard trimmed.range(of: pattern, options: .regularExpression) != nil else { return nil }
        return ParsedValue(normalized: trimmed, raw: raw)
    }

    private static func canonicalDate(_ raw: String) -> ParsedValue? {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.isLenient = false
        guard trimmed.count == 10, let date = formatter.date(from: trimmed), formatter.string(from: date) == trimmed else {
            return nil
        }
        return ParsedValue(normalized: trimmed, raw: raw)
    }
}

import Akte
import Classification
import Corrections
import Foundation
import Hummingbird

/// Corrections posted from the document page and the review queue. They go through
/// `Corrections`, as the command line's `reclassify`, `set-field` and `assign` do, so they are
/// checked and normalised alike, kept beside the machine's values and audited as `corrected` /
/// `review_resolved`.
extension CaseworkerWeb {
    /// The corrections door shared with the command line.
    var corrections: Corrections { Corrections(store: environment.akte, classes: documentClasses) }

    func reclassify(_ caseworker: LoggedInCaseworker, _ access: DocumentAccess, _ form: FormBody) throws -> Response {
        let documentClass = form.text("klasse") ?? ""
        do {
            try corrections.reclassify(documentID: access.id, to: documentClass, by: caseworker.identity.username)
        } catch let refusal as CorrectionError {
            return badInput(refusal.description, caseworker, access)
        }
        return saved(access, .classChanged)
    }

    func setField(_ caseworker: LoggedInCaseworker, _ access: DocumentAccess, _ form: FormBody) throws -> Response {
        guard let key = form.text("feld") else { return badInput("Es fehlt, welches Feld geändert werden soll.", caseworker, access) }
        do {
            _ = try corrections.setField(
                documentID: access.id, key: key, value: form.text("wert") ?? "", by: caseworker.identity.username)
        } catch let refusal as CorrectionError {
            return badInput(refusal.description, caseworker, access)
        }
        return saved(access, .fieldSaved, field: key)
    }

    func assign(_ caseworker: LoggedInCaseworker, _ access: DocumentAccess, _ form: FormBody, resolvingReview: Bool) throws
        -> Response
    {
        let caseID: String
        do {
            caseID = try corrections.assign(documentID: access.id, caseID: form.text("fall") ?? "", by: caseworker.identity.username)
        } catch let refusal as CorrectionError {
            return badInput(refusal.description, caseworker, access)
        }
        if resolvingReview {
            do {
                try environment.akte.resolveReview(
                    documentID: access.id, by: caseworker.identity.username, note: "assigned on the review page")
            } catch AkteError.notInReview {
                // Someone else closed the review meanwhile; the assignment stands.
            }
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
}

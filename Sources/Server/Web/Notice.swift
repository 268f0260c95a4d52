import Foundation

/// The green notices after a form was saved. The redirect carries only a code; the
/// text is one of these fixed sentences, so that a link cannot put its own words on our page
/// (`?gespeichert=Bitte überweisen Sie …` shows nothing).
enum Notice: String, CaseIterable {
    case classChanged = "klasse"
    case fieldSaved = "feld"
    case caseAssigned = "fall"
    case reviewClosed = "pruefung"
    case assignedAndReviewClosed = "zugeordnet"
    case workStateChanged = "stand"
    case workAssigned = "zustaendig"
    case noteAdded = "notiz"
    case followUpSet = "wiedervorlage"

    /// The sentence; `subject` is a field label or a registered BG-Nummer the page has checked.
    func text(subject: String? = nil) -> String {
        switch self {
        case .classChanged: return "Die Klasse wurde geändert."
        case .fieldSaved: return subject.map { "„\($0)“ wurde gespeichert." } ?? "Die Angabe wurde gespeichert."
        case .caseAssigned: return subject.map { "Das Dokument wurde dem Fall \($0) zugeordnet." } ?? "Das Dokument wurde dem Fall zugeordnet."
        case .reviewClosed: return "Die Prüfung ist abgeschlossen."
        case .assignedAndReviewClosed:
            return (subject.map { "Das Dokument wurde dem Fall \($0) zugeordnet" } ?? "Das Dokument wurde zugeordnet")
                + "; die Prüfung ist abgeschlossen."
        case .workStateChanged: return "Der Stand der Bearbeitung wurde geändert."
        case .workAssigned: return "Die Zuständigkeit wurde gespeichert."
        case .noteAdded: return "Die Notiz wurde gespeichert."
        case .followUpSet: return "Die Wiedervorlage wurde gespeichert."
        }
    }

    /// The notice paragraph for the code in `parameter`, or "" for none or an unknown code.
    static func html(code parameter: Substring?, subject: String? = nil) -> String {
        guard let parameter, let notice = Notice(rawValue: String(parameter)) else { return "" }
        return "<p class=\"notice\" role=\"status\">\(HTML.escape(notice.text(subject: subject)))</p>"
    }
}

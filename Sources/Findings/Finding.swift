import Akte
import Foundation

/// What a finding is about. The raw values are stable: they are stored with a caseworker's
/// "geprüft" and printed by `akte show --json`.
public enum FindingCode: String, Sendable, Codable, CaseIterable, Comparable {
    case kduOverLimit = "kdu_over_limit"
    case wohnflaecheOverLimit = "wohnflaeche_over_limit"
    case heizkostenOverLimit = "heizkosten_over_limit"
    case statementGap = "statement_gap"
    case balanceMismatch = "balance_mismatch"
    case incomeChanged = "income_changed"
    case newEmployer = "new_employer"
    case newIBAN = "new_iban"
    case rentChanged = "rent_changed"
    case noticeReceived = "notice_received"
    case requestOpen = "request_open"
    case requestOverdue = "request_overdue"
    case requestFulfilled = "request_fulfilled"

    /// The German title a caseworker reads.
    public var title: String {
        switch self {
        case .kduOverLimit: "Bruttokaltmiete über der Angemessenheitsgrenze"
        case .wohnflaecheOverLimit: "Wohnfläche über der Angemessenheitsgrenze"
        case .heizkostenOverLimit: "Heizkosten über der Grenze je m²"
        case .statementGap: "Lücke zwischen Kontoauszügen"
        case .balanceMismatch: "Kontostände schließen nicht aneinander an"
        case .incomeChanged: "Nettolohn geändert"
        case .newEmployer: "Neuer Arbeitgeber"
        case .newIBAN: "Neue Kontoverbindung"
        case .rentChanged: "Miete geändert"
        case .noticeReceived: "Kündigung eingegangen"
        case .requestOpen: "Angeforderte Unterlagen ausstehend"
        case .requestOverdue: "Angeforderte Unterlagen überfällig"
        case .requestFulfilled: "Angeforderte Unterlagen eingegangen"
        }
    }

    public static func < (lhs: FindingCode, rhs: FindingCode) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// How urgently a caseworker should look.
public enum FindingSeverity: String, Sendable, Codable {
    /// Worth knowing; usually nothing to do.
    case info
    /// Needs a caseworker's check.
    case warning

    public var label: String {
        switch self {
        case .info: "Hinweis"
        case .warning: "Prüfen"
        }
    }
}

/// Something a caseworker would otherwise check by hand, found on a household's filed documents.
/// A finding never blocks filing and never changes a value; it is computed afresh from the
/// documents whenever it is shown.
public struct Finding: Sendable, Equatable {
    public var code: FindingCode
    public var severity: FindingSeverity
    /// One German sentence with the figures it rests on.
    public var message: String
    /// The documents it rests on, oldest first.
    public var documentIDs: [String]
    /// The figures, normalised (`"788.00"`, `"2025-02-01"`), for programs.
    public var figures: [String: String]
    /// ISO day of the newest document it rests on (a request's findings: the day it was
    /// recorded while open, its due date once overdue).
    public var date: String
    /// The request a `request_*` finding is about.
    public var requestID: Int64?
    /// A caseworker's "geprüft", if any.
    public var review: FindingReview?

    public init(
        code: FindingCode, severity: FindingSeverity, message: String, documentIDs: [String], figures: [String: String],
        date: String, requestID: Int64? = nil, review: FindingReview? = nil
    ) {
        self.code = code
        self.severity = severity
        self.message = message
        self.documentIDs = documentIDs
        self.figures = figures
        self.date = date
        self.requestID = requestID
        self.review = review
    }

    /// Stable as long as what it rests on is the same: code, the request if any
    /// (`anforderung-3`), and the document ids.
    public var key: String {
        let parts = (requestID.map { ["anforderung-\($0)"] } ?? []) + documentIDs
        return code.rawValue + ":" + parts.joined(separator: "+")
    }

    /// Whether it can be marked "geprüft": every finding but a request still within its
    /// deadline, which is a state to know, not something to check.
    public var isCheckable: Bool { code != .requestOpen }

    /// Still wants a caseworker's look: checkable and not yet marked "geprüft". What the inbox
    /// counts as "offene Befunde".
    public var isOpen: Bool { isCheckable && review == nil }
}

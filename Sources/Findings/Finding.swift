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
    /// ISO day of the newest document it rests on.
    public var date: String
    /// A caseworker's "geprüft", if any.
    public var review: FindingReview?

    public init(
        code: FindingCode, severity: FindingSeverity, message: String, documentIDs: [String], figures: [String: String],
        date: String, review: FindingReview? = nil
    ) {
        self.code = code
        self.severity = severity
        self.message = message
        self.documentIDs = documentIDs
        self.figures = figures
        self.date = date
        self.review = review
    }

    /// Stable as long as the documents it rests on are the same: code and document ids.
    public var key: String { code.rawValue + ":" + documentIDs.joined(separator: "+") }

    /// Not yet marked "geprüft".
    public var isOpen: Bool { review == nil }
}

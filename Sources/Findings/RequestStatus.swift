import Akte
import Classification
import Foundation

/// How a class's documents say which days they cover, so that a request with a period can be
/// ticked off: a statement's `zeitraum_von`/`zeitraum_bis`, a payslip's `abrechnungsmonat`.
public enum RequestPeriodKind: Sendable, Equatable {
    /// Two date fields, first and last day (`zeitraum_von`, `zeitraum_bis`).
    case days(from: String, to: String)
    /// A month field (`abrechnungsmonat`): the document covers that month.
    case month(String)
    /// No field gives a period (a rent contract): only requests without a period.
    case none

    /// Read from a class's fields in `pipeline.yml`: a date field `X_von` with a date field
    /// `X_bis` (`zeitraum_von` preferred), else the first month field, else none.
    public init(fields: [FieldDefinition]) {
        let dates: Set<String> = Set(fields.filter { $0.type == .date }.map(\.key))
        func end(of start: String) -> String { String(start.dropLast(4)) + "_bis" }
        let starts: [String] = dates.filter { $0.hasSuffix("_von") && dates.contains(end(of: $0)) }.sorted()
        if let start = starts.contains("zeitraum_von") ? "zeitraum_von" : starts.first {
            self = .days(from: start, to: end(of: start))
        } else if let month = fields.first(where: { $0.type == .month }) {
            self = .month(month.key)
        } else {
            self = .none
        }
    }

    /// Without a configuration: the keys the shipped classes use (payslips by month, the
    /// others by `zeitraum_von`/`zeitraum_bis`).
    static func conventional(_ documentClass: String) -> RequestPeriodKind {
        ["lohnabrechnung", "einkommensbescheinigung"].contains(documentClass)
            ? .month("abrechnungsmonat") : .days(from: "zeitraum_von", to: "zeitraum_bis")
    }

    /// Whether a request for such a class can name a period.
    public var hasPeriod: Bool { self != .none }
}

/// Where a request stands, computed from the household's filed documents.
public struct RequestStatus: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        /// Not (fully) there, due date not passed.
        case open
        /// Not (fully) there, due date passed.
        case overdue
        /// Everything asked for is filed: the period without gaps, or one document after the request.
        case fulfilled
        /// Taken back by a caseworker.
        case closed

        /// German, as the pages show it.
        public var label: String {
            switch self {
            case .open: "offen"
            case .overdue: "überfällig"
            case .fulfilled: "erfüllt"
            case .closed: "zurückgenommen"
            }
        }
    }

    /// Days of the period no document covers, per account for bank statements.
    public struct Gap: Sendable, Equatable {
        /// The IBAN whose statements miss these days, when the statements show more than one account.
        public var account: String?
        public var from: String
        public var to: String
    }

    public var request: DocumentRequest
    public var state: State
    /// The documents that count towards it, oldest first.
    public var documentIDs: [String]
    /// What is still missing (empty when fulfilled, or when nothing with a period was asked).
    public var gaps: [Gap]
    /// ISO day the last counting document came in.
    public var lastReceived: String?
    /// Days past the due date (0 unless overdue).
    public var daysOverdue: Int

    /// Still awaited: open or overdue.
    public var isAwaited: Bool { state == .open || state == .overdue }

    /// The order every list shows: overdue first (the earliest due date, so the longest overdue,
    /// first), then open by due date, then fulfilled, then taken back.
    public static func ordered(_ statuses: [RequestStatus]) -> [RequestStatus] {
        let rank: [State: Int] = [.overdue: 0, .open: 1, .fulfilled: 2, .closed: 3]
        return statuses.sorted {
            (rank[$0.state] ?? 9, $0.request.dueDate, $0.request.id) < (rank[$1.state] ?? 9, $1.request.dueDate, $1.request.id)
        }
    }
}

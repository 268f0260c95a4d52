import Classification
import Akte
import Foundation

/// A request as a caseworker enters it, on the case page or with `posteingang requests add`:
/// the class, a period as "the last N months" or from (and to) a month or day, the due date.
/// `validated` turns it into what the E-Akte stores, or says in German and English what is wrong.
public struct RequestEntry: Sendable, Equatable {
    public var bgNummer: String
    public var documentClass: String
    /// "The last N months": the N whole months before the month of the request.
    public var months: Int?
    /// `2025-01`, `01/2025` (its first day), `2025-01-15` or `15.01.2025`.
    public var from: String?
    /// As `from` (a month: its last day). Without it: to the end of the month before the
    /// request (at least to the end of `from`'s month).
    public var to: String?
    /// `2025-04-30` or `30.04.2025`; not before the day of the request.
    public var due: String
    public var note: String

    public init(
        bgNummer: String, documentClass: String, months: Int? = nil, from: String? = nil, to: String? = nil, due: String,
        note: String = ""
    ) {
        self.bgNummer = bgNummer
        self.documentClass = documentClass
        self.months = months
        self.from = from?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        self.to = to?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        self.due = due.trimmingCharacters(in: .whitespaces)
        self.note = note
    }

    /// What is wrong with an entry, for a caseworker (German) and the command line (English).
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var german: String
        public var english: String
        public var description: String { english }
    }

    /// The request to store, judged on `today` (ISO day of the request).
    public func validated(by engine: FindingsEngine, today: String) throws(Problem) -> NewDocumentRequest {
        if !engine.classLabels.isEmpty, engine.classLabels[documentClass] == nil {
            let known = engine.classLabels.keys.sorted().joined(separator: ", ")
            throw Problem(
                german: "Unbekannte Dokumentklasse „\(documentClass)“ (bekannt: \(known)).",
                english: "unknown document class '\(documentClass)' (known: \(known))")
        }
        let label = engine.label(ofClass: documentClass)
        if engine.restrictedClasses.contains(documentClass) {
            throw Problem(
                german: "\(label): geschützte Unterlagen (Gesundheitsdaten, Ausweise) werden für Befunde nicht gelesen, ihr Eingang wird hier nicht verfolgt.",
                english: "\(documentClass) documents are restricted (health data, identity documents), which findings never read; such a request cannot be tracked")
        }
        guard let dueDay = Self.day(due) else {
            throw Problem(
                german: "Die Frist „\(due)“ ist kein Datum (z. B. 30.04.2025).",
                english: "due date '\(due)' is not a day (use YYYY-MM-DD or DD.MM.YYYY)")
        }
        guard dueDay >= today else {
            throw Problem(
                german: "Die Frist \(GermanFormat.date(dueDay)) liegt vor dem heutigen Tag (\(GermanFormat.date(today))).",
                english: "due date \(dueDay) lies before today (\(today))")
        }
        let period = try self.period(today: today)
        if period != nil, !engine.periodKind(ofClass: documentClass).hasPeriod {
            throw Problem(
                german: "\(label) nennt keinen Zeitraum; fordern Sie sie ohne Zeitraum an.",
                english: "\(documentClass) documents give no period (no date range or month field); request it without one")
        }
        return NewDocumentRequest(
            bgNummer: bgNummer, documentClass: documentClass, period: period, dueDate: dueDay,
            note: note.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private func period(today: String) throws(Problem) -> RequestedPeriod? {
        let requestMonth = String(today.prefix(7))
        guard let previousMonth = GermanFormat.addingMonths(-1, to: requestMonth),
            let endOfPreviousMonth = GermanFormat.lastDay(ofMonth: previousMonth)
        else { return nil }
        if let months {
            guard from == nil, to == nil else {
                throw Problem(
                    german: "Entweder „letzte Monate“ oder „von/bis“ angeben, nicht beides.",
                    english: "give either --months or --from/--to, not both")
            }
            guard (1...36).contains(months) else {
                throw Problem(
                    german: "Die Zahl der Monate muss zwischen 1 und 36 liegen (war \(months)).",
                    english: "--months must lie between 1 and 36 (was \(months))")
            }
            guard let first = GermanFormat.addingMonths(-months, to: requestMonth) else { return nil }
            return RequestedPeriod(from: first + "-01", to: endOfPreviousMonth)
        }
        guard let fromText = from else {
            if to != nil {
                throw Problem(german: "„bis“ braucht ein „von“.", english: "--to needs --from")
            }
            return nil
        }
        guard let start = Self.day(fromText) ?? Self.month(fromText).map({ $0 + "-01" }) else {
            throw Problem(
                german: "„\(fromText)“ ist weder ein Monat (01/2025) noch ein Datum (15.01.2025).",
                english: "'\(fromText)' is neither a month (2025-01, 01/2025) nor a day (2025-01-15, 15.01.2025)")
        }
        let end: String
        if let toText = to {
            guard let parsed = Self.day(toText) ?? Self.month(toText).flatMap(GermanFormat.lastDay(ofMonth:)) else {
                throw Problem(
                    german: "„\(toText)“ ist weder ein Monat (03/2025) noch ein Datum (31.03.2025).",
                    english: "'\(toText)' is neither a month (2025-03, 03/2025) nor a day (2025-03-31, 31.03.2025)")
            }
            end = parsed
        } else {
            end = max(endOfPreviousMonth, GermanFormat.lastDay(ofMonth: String(start.prefix(7))) ?? start)
        }
        guard start <= end else {
            throw Problem(
                german: "Der Zeitraum beginnt (\(GermanFormat.date(start))) nach seinem Ende (\(GermanFormat.date(end))).",
                english: "the period starts (\(start)) after it ends (\(end))")
        }
        return RequestedPeriod(from: start, to: end)
    }

    /// An ISO day from `2025-04-30` or `30.04.2025`; nil for anything else or a day that does not exist.
    static func day(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var iso = trimmed
        let german = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        if german.count == 3, german.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }), german[2].count == 4 {
            let pad = { (part: Substring) in part.count == 1 ? "0" + part : String(part) }
            iso = "\(german[2])-\(pad(german[1]))-\(pad(german[0]))"
        }
        guard iso.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil,
            GermanFormat.adding(0, to: iso) == iso
        else { return nil }
        return iso
    }

    /// An ISO month from `2025-01`, `01/2025` or `1/2025`.
    static func month(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.range(of: #"^\d{4}-(0[1-9]|1[0-2])$"#, options: .regularExpression) != nil { return trimmed }
        let parts = trimmed.split(separator: "/")
        guard parts.count == 2, parts[1].count == 4, let number = Int(parts[0]), (1...12).contains(number), Int(parts[1]) != nil
        else { return nil }
        return "\(parts[1])-\(number < 10 ? "0" : "")\(number)"
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}

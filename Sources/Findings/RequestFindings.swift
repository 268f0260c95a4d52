import Classification
import Akte
import Foundation

/// Requested documents (`request_open`, `request_overdue`, `request_fulfilled`): the household's
/// filed documents tick a request off by class and period; a period counts only without gaps.
extension FindingsEngine {
    func requestFindings(_ file: CaseFile) -> [Finding] {
        file.requests.filter { !$0.isClosed }.map { finding(for: status(of: $0, in: file), today: file.today) }
    }

    /// The kind of period a class's documents give.
    public func periodKind(ofClass id: String) -> RequestPeriodKind {
        periodKinds[id] ?? (periodKinds.isEmpty ? .conventional(id) : .none)
    }

    /// Where `request` stands among `file`'s documents on `file.today`.
    ///
    /// With a period, every filed document of the class counts, whenever it came in: what it
    /// covers matters. Bank statements are judged per account: each account whose statements
    /// reach into the period must cover all of it (statements without an IBAN count for every
    /// account). Without a period, the first document of the class received on or after the day
    /// of the request fulfils it (later ones change nothing, so a "geprüft" on it holds).
    public func status(of request: DocumentRequest, in file: CaseFile) -> RequestStatus {
        let candidates = file.chronological.filter { $0.documentClass == request.documentClass }
        var counting: [CaseDocument] = []
        var gaps: [RequestStatus.Gap] = []
        let requestedDay = GermanFormat.isoDay(request.requestedAt)
        if let period = request.period {
            switch periodKind(ofClass: request.documentClass) {
            case .days(let fromKey, let toKey):
                (counting, gaps) = dayCoverage(period, candidates, fromKey: fromKey, toKey: toKey)
            case .month(let key):
                (counting, gaps) = monthCoverage(period, candidates, key: key)
            case .none:
                counting = Array(candidates.filter { $0.day >= requestedDay }.prefix(1))
                if counting.isEmpty { gaps = [RequestStatus.Gap(account: nil, from: period.from, to: period.to)] }
            }
        } else {
            counting = Array(candidates.filter { $0.day >= requestedDay }.prefix(1))
        }
        let fulfilled = request.period == nil ? !counting.isEmpty : gaps.isEmpty
        let overdueBy = max(0, GermanFormat.days(from: request.dueDate, to: file.today) ?? 0)
        let state: RequestStatus.State =
            request.isClosed ? .closed : fulfilled ? .fulfilled : overdueBy > 0 ? .overdue : .open
        return RequestStatus(
            request: request, state: state, documentIDs: counting.map(\.id), gaps: fulfilled ? [] : gaps,
            lastReceived: counting.map(\.day).max(), daysOverdue: state == .overdue ? overdueBy : 0)
    }

    private func dayCoverage(
        _ period: RequestedPeriod, _ candidates: [CaseDocument], fromKey: String, toKey: String
    ) -> ([CaseDocument], [RequestStatus.Gap]) {
        struct Cover {
            var document: CaseDocument
            var from: String
            var to: String
            var account: String?
        }
        let covers: [Cover] = candidates.compactMap { document in
            guard let from = document.fields[fromKey], let to = document.fields[toKey],
                let length = GermanFormat.days(from: from, to: to), length >= 0, from <= period.to, to >= period.from
            else { return nil }
            return Cover(document: document, from: from, to: to, account: Self.iban(document.fields["iban"]))
        }
        let accounts = Self.uniqueStrings(covers.compactMap(\.account))
        // One pass per account; statements without an IBAN count for each. No IBAN at all: one pass.
        let passes: [String?] = accounts.isEmpty ? [nil] : accounts
        var gaps: [RequestStatus.Gap] = []
        for account in passes {
            let mine = covers.filter { account == nil || $0.account == nil || $0.account == account }
                .sorted { ($0.from, $0.to) < ($1.from, $1.to) }
            var cursor = period.from
            for cover in mine where cover.to >= cursor {
                if cover.from > cursor, let lastMissing = GermanFormat.adding(-1, to: cover.from) {
                    gaps.append(RequestStatus.Gap(account: account, from: cursor, to: lastMissing))
                }
                guard let next = GermanFormat.adding(1, to: cover.to) else { break }
                cursor = max(cursor, next)
            }
            if cursor <= period.to { gaps.append(RequestStatus.Gap(account: account, from: cursor, to: period.to)) }
        }
        // One account: naming it says nothing.
        if accounts.count == 1 { gaps = gaps.map { RequestStatus.Gap(account: nil, from: $0.from, to: $0.to) } }
        return (covers.map(\.document), gaps)
    }

    private func monthCoverage(
        _ period: RequestedPeriod, _ candidates: [CaseDocument], key: String
    ) -> ([CaseDocument], [RequestStatus.Gap]) {
        let first = String(period.from.prefix(7))
        let last = String(period.to.prefix(7))
        let counting = candidates.filter { document in
            guard let month = document.fields[key] else { return false }
            return month >= first && month <= last
        }
        let present = Set(counting.compactMap { $0.fields[key] })
        var gaps: [RequestStatus.Gap] = []
        var month = first
        while month <= last {
            if !present.contains(month), let end = GermanFormat.lastDay(ofMonth: month) {
                // Consecutive missing months make one gap.
                if let previous = gaps.last, GermanFormat.adding(1, to: previous.to) == month + "-01" {
                    gaps[gaps.count - 1].to = end
                } else {
                    gaps.append(RequestStatus.Gap(account: nil, from: month + "-01", to: end))
                }
            }
            guard let next = GermanFormat.addingMonths(1, to: month) else { break }
            month = next
        }
        return (counting, gaps)
    }

    /// What was asked for, in German: `Kontoauszug für 01/2025 bis 03/2025`.
    public func describe(_ request: DocumentRequest) -> String {
        let label = label(ofClass: request.documentClass)
        guard let period = request.period else { return label }
        return "\(label) für \(GermanFormat.span(from: period.from, to: period.to))"
    }

    /// What is still missing, in German: `03/2025`, `01.03.2025 bis 15.03.2025 zum Konto DE89 …`.
    public func describe(_ gaps: [RequestStatus.Gap]) -> String {
        let accounts = Self.uniqueStrings(gaps.map { $0.account ?? "" })
        return GermanFormat.list(
            accounts.map { account in
                let spans = GermanFormat.list(
                    gaps.filter { ($0.account ?? "") == account }.map { GermanFormat.span(from: $0.from, to: $0.to) })
                return account.isEmpty ? spans : "\(spans) zum Konto \(GermanFormat.iban(account))"
            })
    }

    func finding(for status: RequestStatus, today: String) -> Finding {
        let request = status.request
        let requested = GermanFormat.isoDay(request.requestedAt)
        let head = "Angefordert am \(GermanFormat.date(requested)): \(describe(request))"
        let due = GermanFormat.date(request.dueDate)
        let received = status.documentIDs.count
        var figures = [
            "request": String(request.id), "class": request.documentClass, "due": request.dueDate, "requested": requested,
            "state": status.state.rawValue,
        ]
        figures["period_from"] = request.period?.from
        figures["period_to"] = request.period?.to
        if !status.gaps.isEmpty {
            figures["missing"] = status.gaps.map { ($0.account.map { $0 + " " } ?? "") + "\($0.from)..\($0.to)" }
                .joined(separator: "; ")
        }
        let stillMissing: String
        if request.period == nil || received == 0 {
            stillMissing = "noch nichts eingegangen"
        } else {
            stillMissing = "es fehlt noch \(describe(status.gaps))"
        }
        switch status.state {
        case .fulfilled:
            let last = status.lastReceived ?? today
            let intime =
                last <= request.dueDate
                ? "innerhalb der Frist bis \(due)" : "nach Ablauf der Frist am \(due)"
            let what =
                request.period == nil
                ? "eingegangen am \(GermanFormat.date(last))"
                : "lückenlos eingegangen (\(received == 1 ? "1 Dokument" : "\(received) Dokumente"), zuletzt am \(GermanFormat.date(last)))"
            figures["received"] = last
            return Finding(
                code: .requestFulfilled, severity: .info, message: "\(head); \(what), \(intime).",
                documentIDs: status.documentIDs, figures: figures, date: last, requestID: request.id)
        case .overdue:
            figures["days_overdue"] = String(status.daysOverdue)
            let days = status.daysOverdue == 1 ? "1 Tag" : "\(status.daysOverdue) Tagen"
            return Finding(
                code: .requestOverdue, severity: .warning,
                message: "\(head); die Frist bis \(due) ist seit \(days) abgelaufen, \(stillMissing).",
                documentIDs: status.documentIDs, figures: figures, date: request.dueDate, requestID: request.id)
        case .open, .closed:
            return Finding(
                code: .requestOpen, severity: .info, message: "\(head), Frist bis \(due); \(stillMissing).",
                documentIDs: status.documentIDs, figures: figures, date: requested, requestID: request.id)
        }
    }

    static func uniqueStrings(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }
}

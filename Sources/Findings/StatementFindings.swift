import Classification
import Foundation

extension FindingsEngine {
    /// Per IBAN: periods that do not join (`statement_gap`) and a closing balance that is not
    /// the next statement's opening balance (`balance_mismatch`).
    func statementFindings(_ file: CaseFile) -> [Finding] {
        struct Statement {
            var document: CaseDocument
            var from: String
            var to: String
        }
        var byIBAN: [String: [Statement]] = [:]
        for document in file.documents where document.documentClass == "kontoauszug" {
            guard let iban = Self.iban(document.fields["iban"]), let from = document.fields["zeitraum_von"],
                let to = document.fields["zeitraum_bis"], let length = GermanFormat.days(from: from, to: to), length >= 0
            else { continue }
            byIBAN[iban, default: []].append(Statement(document: document, from: from, to: to))
        }
        var findings: [Finding] = []
        for (iban, statements) in byIBAN {
            let ordered = statements.sorted {
                ($0.from, $0.to, $0.document.receivedAt, $0.document.id) < ($1.from, $1.to, $1.document.receivedAt, $1.document.id)
            }
            guard var previous = ordered.first else { continue }
            let account = GermanFormat.iban(iban)
            for next in ordered.dropFirst() {
                // A statement within the period already covered (the same one twice) says nothing new.
                guard next.to > previous.to else { continue }
                defer { previous = next }
                guard let expected = GermanFormat.adding(1, to: previous.to) else { continue }
                let documents = [previous.document, next.document]
                let ids = documents.sorted { ($0.receivedAt, $0.id) < ($1.receivedAt, $1.id) }.map(\.id)
                let date = max(previous.document.day, next.document.day)
                if next.from > expected {
                    let lastMissing = GermanFormat.adding(-1, to: next.from) ?? next.from
                    let missing = (GermanFormat.days(from: expected, to: lastMissing) ?? 0) + 1
                    let span =
                        missing == 1
                        ? "der \(GermanFormat.date(expected)) (1 Tag)"
                        : "der Zeitraum \(GermanFormat.date(expected)) bis \(GermanFormat.date(lastMissing)) (\(missing) Tage)"
                    findings.append(
                        Finding(
                            code: .statementGap, severity: .warning,
                            message:
                                "Zwischen den Kontoauszügen zum Konto \(account) fehlt \(span): ein Auszug endet am \(GermanFormat.date(previous.to)), der nächste beginnt am \(GermanFormat.date(next.from)).",
                            documentIDs: ids,
                            figures: [
                                "iban": iban, "previous_to": previous.to, "next_from": next.from, "missing_from": expected,
                                "missing_to": lastMissing, "missing_days": String(missing),
                            ],
                            date: date))
                } else if next.from == expected, let closing = amount(previous.document, "saldo_neu"),
                    let opening = amount(next.document, "saldo_alt"), closing != opening
                {
                    findings.append(
                        Finding(
                            code: .balanceMismatch, severity: .warning,
                            message:
                                "Der Kontoauszug zum Konto \(account) ab \(GermanFormat.date(next.from)) beginnt mit einem Kontostand von \(GermanFormat.euro(opening)), der vorige endete am \(GermanFormat.date(previous.to)) mit \(GermanFormat.euro(closing)) (Differenz \(GermanFormat.signedEuro(opening - closing))).",
                            documentIDs: ids,
                            figures: [
                                "iban": iban, "previous_to": previous.to, "next_from": next.from,
                                "saldo_neu": Self.money(closing), "saldo_alt": Self.money(opening),
                                "difference": Self.money(opening - closing),
                            ],
                            date: date))
                }
            }
        }
        return findings
    }

    /// An IBAN without spaces, in capitals; nil when empty.
    static func iban(_ value: String?) -> String? {
        guard let value else { return nil }
        let compact = value.filter { !$0.isWhitespace }.uppercased()
        return compact.isEmpty ? nil : compact
    }
}

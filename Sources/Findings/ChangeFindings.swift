import Classification
import Foundation

/// Changes the household must report (§ 60 SGB I): income, employer, account, rent.
extension FindingsEngine {
    /// `income_changed` and `new_employer`, payslip by payslip in the order of their months.
    func payslipFindings(_ file: CaseFile) -> [Finding] {
        struct Payslip {
            var document: CaseDocument
            var month: String
            var employer: String?
            var employerName: String?
            var net: Decimal?
        }
        let payslips = file.documents.filter { $0.documentClass == "lohnabrechnung" }.map { document in
            let name = document.fields["arbeitgeber"]?.trimmingCharacters(in: .whitespaces)
            return Payslip(
                document: document, month: document.fields["abrechnungsmonat"] ?? String(document.day.prefix(7)),
                employer: name.map(Self.employerKey).flatMap { $0.isEmpty ? nil : $0 }, employerName: name,
                net: amount(document, "netto"))
        }.sorted { ($0.month, $0.document.receivedAt, $0.document.id) < ($1.month, $1.document.receivedAt, $1.document.id) }

        var findings: [Finding] = []
        for (index, payslip) in payslips.enumerated() {
            let earlier = payslips[..<index]
            let knownEmployers = earlier.compactMap(\.employer)
            if let employer = payslip.employer, !knownEmployers.isEmpty, !knownEmployers.contains(employer) {
                let previousNames = Self.unique(earlier.filter { $0.employer != nil }.compactMap(\.employerName))
                var figures = ["arbeitgeber": payslip.employerName ?? "", "month": payslip.month]
                figures["previous_arbeitgeber"] = previousNames.joined(separator: "; ")
                findings.append(
                    Finding(
                        code: .newEmployer, severity: .warning,
                        message:
                            "Die Lohnabrechnung für \(GermanFormat.month(payslip.month)) nennt den Arbeitgeber „\(payslip.employerName ?? "")“, der in den früheren Lohnabrechnungen nicht vorkommt (bisher: \(previousNames.map { "„\($0)“" }.joined(separator: ", "))).",
                        documentIDs: [payslip.document.id], figures: figures, date: payslip.document.day))
                continue
            }
            // The previous payslip of the same employer (a household may have two earners).
            guard let net = payslip.net,
                let previous = earlier.last(where: {
                    $0.net != nil && (payslip.employer == nil || $0.employer == nil || $0.employer == payslip.employer)
                }),
                let previousNet = previous.net, previousNet > 0
            else { continue }
            let difference = net - previousNet
            let share = (difference < 0 ? -difference : difference) / previousNet
            guard share > settings.incomeChangeShare else { continue }
            let direction = difference > 0 ? "höher" : "niedriger"
            let magnitude = difference < 0 ? -difference : difference
            findings.append(
                Finding(
                    code: .incomeChanged, severity: .warning,
                    message:
                        "Der Nettolohn für \(GermanFormat.month(payslip.month)) beträgt \(GermanFormat.euro(net)) und ist \(GermanFormat.euro(magnitude)) (\(GermanFormat.percent(share))) \(direction) als in der vorigen Lohnabrechnung für \(GermanFormat.month(previous.month)) (\(GermanFormat.euro(previousNet))); gemeldet wird eine Änderung von mehr als \(GermanFormat.percent(settings.incomeChangeShare)).",
                    documentIDs: [previous.document.id, payslip.document.id],
                    figures: [
                        "netto": Self.money(net), "previous_netto": Self.money(previousNet), "difference": Self.money(difference),
                        "share": Self.plain(GermanFormat.rounded(share, 4)), "threshold": Self.plain(settings.incomeChangeShare),
                        "month": payslip.month, "previous_month": previous.month,
                    ],
                    date: payslip.document.day))
        }
        return findings
    }

    /// `new_iban`: a bank statement of an account no earlier statement of the household showed.
    func ibanFindings(_ file: CaseFile) -> [Finding] {
        var known: [String] = []
        var findings: [Finding] = []
        for document in file.chronological where document.documentClass == "kontoauszug" {
            guard let iban = Self.iban(document.fields["iban"]), !known.contains(iban) else { continue }
            defer { known.append(iban) }
            guard !known.isEmpty else { continue }
            findings.append(
                Finding(
                    code: .newIBAN, severity: .info,
                    message:
                        "\(named(document)) nennt das Konto \(GermanFormat.iban(iban)), das in den Unterlagen bisher nicht vorkam (bekannt: \(known.map(GermanFormat.iban).joined(separator: ", "))).",
                    documentIDs: [document.id], figures: ["iban": iban, "known_ibans": known.joined(separator: " ")],
                    date: document.day))
        }
        return findings
    }

    /// `rent_changed`: a rent contract or certificate whose figures differ from the previous one.
    func rentChangeFindings(_ file: CaseFile) -> [Finding] {
        let parts = [
            ("kaltmiete", "Kaltmiete"), ("nebenkosten", "Nebenkosten"), ("heizkosten", "Heizkosten"),
            ("gesamtmiete", "Gesamtmiete"),
        ]
        let documents = file.chronological.filter { Self.rentChangeClasses.contains($0.documentClass) }
            .filter { document in parts.contains { amount(document, $0.0) != nil } }
        var findings: [Finding] = []
        for (previous, next) in zip(documents, documents.dropFirst()) {
            var changes: [String] = []
            var figures: [String: String] = [:]
            for (key, name) in parts {
                guard let before = amount(previous, key), let now = amount(next, key), before != now else { continue }
                changes.append("\(name) \(GermanFormat.euro(now)) statt \(GermanFormat.euro(before)) (\(GermanFormat.signedEuro(now - before)))")
                figures[key] = Self.money(now)
                figures["previous_" + key] = Self.money(before)
            }
            guard !changes.isEmpty else { continue }
            findings.append(
                Finding(
                    code: .rentChanged, severity: .info,
                    message: "Die Miete laut \(named(next)) weicht von \(named(previous)) ab: \(changes.joined(separator: ", ")).",
                    documentIDs: [previous.id, next.id], figures: figures, date: next.day))
        }
        return findings
    }

    /// An employer's name for comparison: letters and digits only, lower case, without the
    /// legal form, so that "Müller Logistik GmbH" and "MÜLLER LOGISTIK GMBH" are one.
    static func employerKey(_ name: String) -> String {
        let words = name.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        let legalForms: Set<String> = ["gmbh", "co", "kg", "ag", "ug", "ohg", "e", "v", "ev", "mbh", "se", "kgaa", "haftungsbeschränkt"]
        return words.filter { !legalForms.contains($0) }.joined(separator: " ")
    }

    static func unique(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert(employerKey($0)).inserted }
    }
}

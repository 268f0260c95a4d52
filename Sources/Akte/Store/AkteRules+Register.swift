import Foundation

/// Which rows of a register import are stored, and why the others are not, on every backend.
extension AkteRules {
    /// The rows of a register import to store: each valid person, the first row of a Kundennummer
    /// only; the others are added to `rejected` with the reason. The report's counts are left at
    /// 0 for the backend to fill.
    static func registerRows(_ persons: [RegisterPerson], rejected: [RegisterRejection]) -> (rows: [RegisterPerson], report: RegisterImportReport) {
        var report = RegisterImportReport(added: 0, changed: 0, unchanged: 0, rejected: rejected)
        var seen = Set<String>()
        var rows: [RegisterPerson] = []
        for person in persons {
            if let problem = problem(with: person) {
                report.rejected.append(RegisterRejection(line: nil, reason: problem))
            } else if !seen.insert(person.kundennummer).inserted {
                report.rejected.append(
                    RegisterRejection(
                        line: nil,
                        reason: "Kundennummer \(person.kundennummer) appears more than once in this import; "
                            + "the first row was kept, fix the export"))
            } else {
                rows.append(person)
            }
        }
        return (rows, report)
    }

    static func problem(with person: RegisterPerson) -> String? {
        if person.kundennummer.trimmingCharacters(in: .whitespaces).isEmpty {
            return "person \(person.vorname) \(person.nachname) has no Kundennummer; fix the export"
        }
        if person.bgNummer.trimmingCharacters(in: .whitespaces).isEmpty {
            return "person \(person.kundennummer) has no BG-Nummer; fix the export"
        }
        if person.nachname.trimmingCharacters(in: .whitespaces).isEmpty {
            return "person \(person.kundennummer) has no Nachname; fix the export"
        }
        return nil
    }
}

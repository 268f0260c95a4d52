import Foundation
import GRDB

extension SQLiteAkte {
    public func importRegister(_ persons: [RegisterPerson], rejected: [RegisterRejection]) throws
        -> RegisterImportReport
    {
        let importedAt = now()
        return try dbPool.write { db in
            let registered = AkteRules.registerRows(persons, rejected: rejected)
            var report = registered.report
            for person in registered.rows {
                if try !HouseholdRecord.exists(db, key: person.bgNummer) {
                    try HouseholdRecord(bgNummer: person.bgNummer, importedAt: importedAt, updatedAt: importedAt)
                        .insert(db)
                }
                if let existing = try PersonRecord.fetchOne(db, key: person.kundennummer) {
                    if existing.person == person {
                        report.unchanged += 1
                    } else {
                        try PersonRecord(person, importedAt: existing.importedAt, updatedAt: importedAt).update(db)
                        report.changed += 1
                    }
                } else {
                    try PersonRecord(person, importedAt: importedAt, updatedAt: importedAt).insert(db)
                    report.added += 1
                }
            }
            return report
        }
    }

    public func households() throws -> [Household] {
        try dbPool.read { db in
            let persons =
                try PersonRecord
                .order(PersonRecord.Columns.bgNummer, PersonRecord.Columns.nachname, PersonRecord.Columns.vorname)
                .fetchAll(db)
            let byCase = Dictionary(grouping: persons, by: \.bgNummer)
            return try HouseholdRecord.order(HouseholdRecord.Columns.bgNummer).fetchAll(db).map { household in
                Household(bgNummer: household.bgNummer, persons: (byCase[household.bgNummer] ?? []).map(\.person))
            }
        }
    }

    public func persons(inCase bgNummer: String) throws -> [RegisterPerson] {
        try dbPool.read { db in
            try PersonRecord
                .filter(PersonRecord.Columns.bgNummer == bgNummer)
                .order(PersonRecord.Columns.nachname, PersonRecord.Columns.vorname)
                .fetchAll(db)
                .map(\.person)
        }
    }

    public func caseExists(_ bgNummer: String) throws -> Bool {
        try dbPool.read { db in try HouseholdRecord.exists(db, key: bgNummer) }
    }
}

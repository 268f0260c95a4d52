import Foundation

/// The case register: imported persons and households, looked up by case; the same rules as the SQLite side.
extension PostgresAkte {
    public func importRegister(_ persons: [RegisterPerson], rejected: [RegisterRejection]) throws -> RegisterImportReport {
        let importedAt = now()
        return try write { db in
            let registered = AkteRules.registerRows(persons, rejected: rejected)
            var report = registered.report
            for person in registered.rows {
                try db.query(
                    "INSERT INTO households (bgNummer, importedAt, updatedAt) VALUES ($1, $2, $2) ON CONFLICT DO NOTHING",
                    [person.bgNummer, importedAt])
                if let existing = try db.fetchOne(
                    PersonRecord.self, "SELECT * FROM persons WHERE kundennummer = $1 FOR UPDATE", [person.kundennummer])
                {
                    if existing.person == person {
                        report.unchanged += 1
                    } else {
                        try db.update(
                            PersonRecord(person, importedAt: existing.importedAt, updatedAt: importedAt), in: "persons",
                            key: ["kundennummer"])
                        report.changed += 1
                    }
                } else {
                    try db.insert(PersonRecord(person, importedAt: importedAt, updatedAt: importedAt), into: "persons")
                    report.added += 1
                }
            }
            return report
        }
    }

    public func households() throws -> [Household] {
        try read { db in
            let persons = try db.fetchAll(
                PersonRecord.self, "SELECT * FROM persons ORDER BY bgNummer COLLATE \"C\", nachname, vorname")
            let byCase = Dictionary(grouping: persons, by: \.bgNummer)
            return try db.query("SELECT bgNummer FROM households ORDER BY bgNummer COLLATE \"C\"").map { row in
                let bgNummer = try row.string("bgNummer")
                return Household(bgNummer: bgNummer, persons: (byCase[bgNummer] ?? []).map(\.person))
            }
        }
    }

    public func persons(inCase bgNummer: String) throws -> [RegisterPerson] {
        try read { db in
            try db.fetchAll(PersonRecord.self, "SELECT * FROM persons WHERE bgNummer = $1 ORDER BY nachname, vorname", [bgNummer])
                .map(\.person)
        }
    }

    public func caseExists(_ bgNummer: String) throws -> Bool {
        try read { db in try Self.caseExists(bgNummer, db) }
    }
}

import Foundation
import GRDB

struct HouseholdRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "households"
    var bgNummer: String
    var importedAt: Date
    var updatedAt: Date

    enum Columns {
        static let bgNummer = Column(CodingKeys.bgNummer)
    }
}

struct PersonRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "persons"
    var kundennummer: String
    var bgNummer: String
    var nachname: String
    var vorname: String
    var geburtsdatum: String?
    var strasse: String?
    var plz: String?
    var ort: String?
    var importedAt: Date
    var updatedAt: Date

    enum Columns {
        static let kundennummer = Column(CodingKeys.kundennummer)
        static let bgNummer = Column(CodingKeys.bgNummer)
        static let nachname = Column(CodingKeys.nachname)
        static let vorname = Column(CodingKeys.vorname)
    }

    init(_ person: RegisterPerson, importedAt: Date, updatedAt: Date) {
        kundennummer = person.kundennummer
        bgNummer = person.bgNummer
        nachname = person.nachname
        vorname = person.vorname
        geburtsdatum = person.geburtsdatum
        strasse = person.strasse
        plz = person.plz
        ort = person.ort
        self.importedAt = importedAt
        self.updatedAt = updatedAt
    }

    var person: RegisterPerson {
        RegisterPerson(
            bgNummer: bgNummer, kundennummer: kundennummer, nachname: nachname, vorname: vorname,
            geburtsdatum: geburtsdatum, strasse: strasse, plz: plz, ort: ort)
    }
}

/// One person of the case register (one CSV row).
public struct RegisteredPerson: Sendable, Equatable, Codable {
    /// Normalised BG-Nummer of the household (`96301BG0012345`).
    public var bgNummer: String
    /// Normalised Kundennummer (`963D123456`), empty when unknown.
    public var kundennummer: String
    public var nachname: String
    public var vorname: String
    /// ISO date `yyyy-mm-dd`.
    public var geburtsdatum: String
    public var strasse: String
    public var plz: String
    public var ort: String
    /// CSV line the person was read from.
    public var line: Int

    public init(
        bgNummer: String, kundennummer: String, nachname: String, vorname: String, geburtsdatum: String,
        strasse: String, plz: String, ort: String, line: Int
    ) {
        self.bgNummer = bgNummer
        self.kundennummer = kundennummer
        self.nachname = nachname
        self.vorname = vorname
        self.geburtsdatum = geburtsdatum
        self.strasse = strasse
        self.plz = plz
        self.ort = ort
        self.line = line
    }
}

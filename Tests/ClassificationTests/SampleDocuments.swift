/// Realistic OCR texts of the contract's document classes (names and numbers invented).
enum SampleDocuments {
    static let mietvertrag = """
        Wohnraummietvertrag
        Mietvertrag über Wohnraum
        zwischen
        Vermieter: Wohnbau Nord GmbH, Lindenstraße 4, 10969 Berlin
        und
        Mieter: Anna Müller
        § 1 Mietsache
        Die Wohnung im 2. OG, Hauptstraße 12, 10115 Berlin, Wohnfläche: 62,40 m²
        § 2 Mietzeit
        Das Mietverhältnis beginnt am 1. März 2025 und läuft auf unbestimmte Zeit.
        § 3 Miete
        Nettokaltmiete                    450,00 EUR
        Vorauszahlung Betriebskosten      120,00 EUR
        Vorauszahlung Heizkosten           80,00 EUR
        Gesamtmiete                       650,00 EUR
        § 4 Mietsicherheit
        Die Kaution beträgt drei Nettokaltmieten.
        """

    static let mietbescheinigung = """
        Jobcenter Berlin Mitte
        Mietbescheinigung
        (vom Vermieter auszufüllen)
        Name des Vermieters: Hausverwaltung Schulz & Partner
        Mieter: Peter Schmidt, Am Markt 3, 12049 Berlin
        Mietverhältnis seit: 01.10.2019
        Wohnfläche           55 qm
        Grundmiete           390,50 €
        Betriebskosten       95,00 €
        Heizkosten           70,00 €
        Gesamtmiete          555,50 €
        Ort, Datum, Unterschrift des Vermieters
        """

    static let lohnabrechnung = """
        Muster Logistik GmbH · Hafenweg 2 · 20457 Hamburg
        Abrechnung der Brutto/Netto-Bezüge für März 2025
        Arbeitgeber: Muster Logistik GmbH
        Personalnummer 00417   Herrn Thomas Weber
        StKl   Kinderfreibetrag   Konfession
        1      0,0                ev
        Bezeichnung                     Betrag
        Gehalt                          2.450,00
        Gesamt-Brutto                   2.450,00
        Lohnsteuer                        256,91
        Solidaritätszuschlag                0,00
        Krankenversicherung               199,68
        Rentenversicherung                227,85
        Nettoverdienst                  1.694,18
        Auszahlungsbetrag               1.694,18
        """

    static let kontoauszug = """
        Sparkasse Köln Bonn
        Kontoauszug 3/2025   Zeitraum 01.03.2025 bis 31.03.2025
        Girokonto  IBAN DE89 3704 0044 0532 0130 00   BIC COLSDE33XXX
        Alter Kontostand vom 28.02.2025          312,40 EUR
        Buchungstag  Wert   Verwendungszweck                 Betrag
        03.03.  03.03.  Lastschrift Stadtwerke             -85,00
        05.03.  05.03.  Gutschrift Jobcenter Köln         563,00
        Neuer Kontostand vom 31.03.2025          790,40 EUR
        """

    static let betriebskostenabrechnung = """
        Hausverwaltung Schulz & Partner
        Betriebskostenabrechnung 2024
        Abrechnungszeitraum: 01.01.2024 - 31.12.2024
        Kostenart          Gesamtkosten   Umlageschlüssel   Ihr Anteil
        Grundsteuer          4.200,00     Wohnfläche          98,40
        Müllabfuhr           2.880,00     Personen            67,20
        Summe Ihrer Kosten                                 1.284,60
        Ihre Vorauszahlungen                               1.140,00
        Nachzahlung                                          144,60
        Bitte überweisen Sie den Betrag bis zum 15.06.2025.
        """

    static let kindergeldbescheid = """
        Bundesagentur für Arbeit
        Familienkasse Nordrhein-Westfalen Nord
        Kindergeldnummer: 123FK456789
        Bescheid über Kindergeld
        Sehr geehrte Frau Müller,
        für Ihre 2 Kinder wird Kindergeld ab dem 01.01.2025 festgesetzt.
        Das Kindergeld beträgt monatlich 510,00 €.
        """

    static let auBescheinigung = """
        Arbeitsunfähigkeitsbescheinigung
        Erstbescheinigung
        Krankenkasse: AOK Nordost
        Name, Vorname des Versicherten: Müller, Anna
        arbeitsunfähig seit 03.03.2025
        voraussichtlich arbeitsunfähig bis einschließlich 07.03.2025
        festgestellt am 03.03.2025
        Vertragsarztstempel / Unterschrift des Arztes
        """

    static let sonstiges = """
        Stadtbibliothek Mitte
        Erinnerung: Die Leihfrist für das Buch "Kochen für Anfänger" ist abgelaufen.
        Bitte geben Sie es bis zum 20.03.2025 zurück.
        """
}

import Testing

@testable import Classification

/// Layouts of other senders than those in `fixtures/` (the kinds `tools/fixtures/wild.py`
/// draws): parties in two columns, form labels over their values beside another column,
/// prose whose sentences wrap before the value, a payroll "Verdienstnachweis", a direct bank
/// named only in its footer, children listed in prose or in a table with names.
@Suite("Layouts of other senders")
struct WildLayoutTests {
    private func analyze(_ text: String) -> DocumentAnalysis {
        TestResources.analyzer.analyze(text: text)
    }

    private func field(_ analysis: DocumentAnalysis, _ key: String) -> ExtractedField? {
        analysis.fields.first { $0.key == key }
    }

    @Test("Parties in two columns: the landlord is the first column's firm under 'Vermieter:'")
    func partiesInTwoColumnsFirm() {
        let fields = TestResources.fields(
            "mietvertrag",
            """
            Wohnraummietvertrag
            Vermieter: Mieter:
            Isartal Wohnen eG Jürgen Schäfer
            Lindwurmstraße 88 Venloer Straße 310
            80337 München 50823 Köln
            """)
        #expect(fields["vermieter"]?.value == "Isartal Wohnen eG")
        #expect(fields["vermieter"]?.doubtful == false)
    }

    @Test("Two persons side by side: the landlord's name is a guess, and doubtful")
    func partiesInTwoColumnsPersons() {
        let fields = TestResources.fields(
            "mietvertrag",
            """
            Wohnraummietvertrag
            Vermieter: Mieter:
            Dieter Sommerfeld Elif Özdemir
            Eichenweg 4 Altenessener Straße 201
            """)
        #expect(fields["vermieter"]?.value == "Dieter Sommerfeld")
        #expect(fields["vermieter"]?.doubtful == true)
    }

    @Test("A form's label over its value, beside the rent's column: the name, not the other label")
    func formLabelBesideAnotherColumn() {
        let fields = TestResources.fields(
            "mietbescheinigung",
            """
            Mietbescheinigung
            Name des Vermieters Miete ohne Nebenkosten
            Dieter Sommerfeld 471,90 €
            Anschrift des Vermieters kalte Nebenkosten (Vorauszahlung)
            Eichenweg 4, 33617 Bielefeld 225,00 €
            """)
        #expect(fields["vermieter"]?.value == "Dieter Sommerfeld")
        #expect(fields["kaltmiete"]?.value == "471.90")
        #expect(fields["nebenkosten"]?.value == "225.00")
    }

    @Test(
        "A company named in prose whose sentence runs over the line to its role",
        arguments: [
            ("Hamburg, vertreten", "durch die Geschäftsführung, – nachfolgend Vermieterin genannt – und Herrn Daniel Hoffmann, –"),
            ("Hamburg, vertreten durch die", "Geschäftsführung, – nachfolgend Vermieterin genannt – und Herrn Daniel Hoffmann, –"),
        ])
    func companyInProseOverLines(end: String, next: String) {
        let fields = TestResources.fields(
            "mietvertrag",
            """
            Mietvertrag über eine Wohnung
            Zwischen der Hanse Immobilienverwaltung GmbH, Große Bleichen 21, 20354 \(end)
            \(next)
            nachfolgend Mieter genannt – wird folgender Mietvertrag geschlossen:
            """)
        #expect(fields["vermieter"]?.value == "Hanse Immobilienverwaltung GmbH")
    }

    @Test("Rent sentences that wrap between the label and its amount")
    func rentSentencesWrapping() {
        let fields = TestResources.fields(
            "mietvertrag",
            """
            Mietvertrag über eine Wohnung
            2. Die monatliche Nettokaltmiete beträgt 748,00 €. Hinzu kommen eine Vorauszahlung für die
            Betriebskosten (ohne Heizung) von 65,00 € und eine Vorauszahlung für Heizung und Warmwasser
            von 100,50 €, insgesamt somit 913,50 € monatlich.
            """)
        #expect(fields["kaltmiete"]?.value == "748.00")
        #expect(fields["nebenkosten"]?.value == "65.00")
        #expect(fields["heizkosten"]?.value == "100.50")
        #expect(fields["gesamtmiete"]?.value == "913.50")
    }

    @Test("A 'Verdienstnachweis' is a payslip")
    func verdienstnachweis() {
        let analysis = analyze(
            """
            Logistikzentrum Nord GmbH & Co. KG · Hafenrandstraße 90 · 20457 Hamburg
            Herrn
            Peter Schmidt
            Verdienstnachweis März 2025
            StKl Kfb Kirche KK Tage Std.
            1 0 – TK 30 160
            Summe Bruttobezüge 2.359,59
            Nettobezüge 1.699,04
            Überweisungsbetrag 1.659,04
            """)
        #expect(analysis.classification.classID == "lohnabrechnung")
        #expect(field(analysis, "arbeitgeber")?.value == "Logistikzentrum Nord GmbH & Co. KG")
        #expect(field(analysis, "brutto")?.value == "2359.59")
        #expect(field(analysis, "steuerklasse")?.value == "1")
    }

    @Test("A direct bank named only in its footer; a booking's counterparty is not the sender")
    func directBankInFooter() {
        let fields = TestResources.fields(
            "kontoauszug",
            """
            Kontoauszug
            1. November 2025 bis 30. November 2025
            Peter Schmidt IBAN: DE65 1001 1001 1234 5678 90
            Anfangssaldo 120,00 €
            Endsaldo 80,00 €
            Buchungsdatum Beschreibung Betrag
            16.11.2025 Lastschrift Funkwerk Mobil GmbH -40,00 €
            N26 Bank AG Amtsgericht Charlottenburg
            """)
        #expect(fields["bank"]?.value == "N26 Bank AG")
        #expect(fields["zeitraum_von"]?.value == "2025-11-01")
        #expect(fields["zeitraum_bis"]?.value == "2025-11-30")
    }

    @Test("A bank name read without its umlaut is written as the register writes it")
    func bankSpelledAsRegistered() {
        let fields = TestResources.fields(
            "kontoauszug",
            """
            Stadtsparkasse Dusseldorf
            Kontoauszug 3/2025
            Girokonto IBAN DE98 3005 0110 1234 5678 90 BIC DUSSDEDDXXX
            Kontostand am 31.03.2025 80,00
            Stadtsparkasse Düsseldorf BIC DUSSDEDDXXX
            """)
        #expect(fields["bank"]?.value == "Stadtsparkasse Düsseldorf")
        #expect(fields["bank"]?.doubtful == false)
    }

    @Test("'ab Januar 2025' is the first of that month; 'bis März 2025' gives no day")
    func monthWithoutDay() {
        let fields = TestResources.fields(
            "kindergeldbescheid", "Familienkasse Bayern Süd\nKindergeldfestsetzung\ndas Kindergeld wird ab Januar 2025 wie folgt festgesetzt:")
        #expect(fields["gueltig_ab"]?.value == "2025-01-01")
        let sick = TestResources.fields("au_bescheinigung", "Arbeitsunfähigkeitsbescheinigung\narbeitsunfähig bis März 2025")
        #expect(sick["au_bis"] == nil)
    }

    @Test("A statement whose bank is not the IBAN's bank: the IBAN is doubtful too (maybe a counterparty's)")
    func ibanOfAnotherBank() {
        let fields = TestResources.fields(
            "kontoauszug", "Sparkasse Bielefeld\nKontoauszug 3/2025\nIBAN DE89 3704 0044 0532 0130 00\n")
        #expect(fields["bank"]?.doubtful == true)
        #expect(fields["iban"]?.value == "DE89370400440532013000")
        #expect(fields["iban"]?.doubtful == true)
        #expect(fields["iban"]?.reason?.contains("Sparkasse Bielefeld") == true)
        // A sender that is no bank at all judges nothing about the IBAN.
        let other = TestResources.fields(
            "kontoauszug", "Kontoauszug 3/2025\nIBAN DE89 3704 0044 0532 0130 00\nFunkwerk Mobil GmbH · Ring 4 · 33602 Bielefeld\n")
        #expect(other["iban"]?.doubtful == false)
    }

    @Test("A remark in parentheses after the label is no name; dot leaders and 'bewohnt seit'")
    func remarkAfterLabel() {
        let fields = TestResources.fields(
            "mietbescheinigung",
            """
            Bescheinigung über die Mietkosten
            Name des Vermieters (bzw. der Hausverwaltung): Hanse Immobilienverwaltung GmbH, Große Bleichen 21,
            20354 Hamburg
            Grundmiete .................................... 459,90 €
            Wohnfläche .................................... 54,20 m²
            bewohnt seit .................................. 15.01.2025
            """)
        #expect(fields["vermieter"]?.value == "Hanse Immobilienverwaltung GmbH")
        #expect(PartyFinder.returnAddress("Vermieter (Name, Anschrift): Hanse GmbH, Ring 2, 20354 Hamburg") == nil)
        #expect(PartyName.clean("(Name, Anschrift)") == nil)
        #expect(FieldExtractor.afterRemark(in: "Vermieter (Name, Anschrift): Hanse", from: 9) == 29)
        #expect(FieldExtractor.afterRemark(in: "Vermieter: Hanse", from: 10) == 10)
        #expect(fields["kaltmiete"]?.value == "459.90")
        #expect(fields["mietbeginn"]?.value == "2025-01-15")
    }

    @Test("A small firm's 'Lohnabrechnung für den Monat': 'Steuerkl.', 'Bruttoarbeitslohn', 'Netto-Betrag'")
    func smallFirmPayslip() {
        let analysis = analyze(
            """
            Elektro Wagner e.K.
            Schwanthalerstraße 140 · 80339 München
            Lohnabrechnung für den Monat 04/2025
            Steuerkl. 3
            Grundlohn 2.000,00
            Bruttoarbeitslohn 2.154,00
            Steuern -173,63
            Sozialversicherung -437,40
            Netto-Betrag 1.723,20
            Auszahlung 1.723,20
            """)
        #expect(analysis.classification.classID == "lohnabrechnung")
        #expect(field(analysis, "brutto")?.value == "2154.00")
        #expect(field(analysis, "netto")?.value == "1723.20")
        #expect(field(analysis, "steuerklasse")?.value == "3")
        #expect(field(analysis, "arbeitgeber")?.value == "Elektro Wagner e.K.")
    }

    @Test(
        "Children listed in prose or in a table of names are counted",
        arguments: [
            ("Kindergeld für folgende Kinder bewilligt:\n– Lena, geb. 03.06.2015\n– Tim, geb. 11.02.2018", "2"),
            ("Name des Kindes geboren am monatlicher Betrag\nLena 03.06.2015 255,00 €\nTim 11.02.2018 255,00 €\nEmma 01.01.2020 255,00 €", "3"),
        ])
    func childrenCounted(body: String, expected: String) {
        let fields = TestResources.fields("kindergeldbescheid", "Familienkasse Bayern Süd\nBescheid\n" + body)
        #expect(fields["anzahl_kinder"]?.value == expected)
    }
}

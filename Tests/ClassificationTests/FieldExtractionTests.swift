import Testing

@testable import Classification

@Suite("Field extraction")
struct FieldExtractionTests {
    private func fields(_ classID: String, _ text: String) -> [String: ExtractedField] {
        TestResources.fields(classID, text)
    }

    private func values(_ fields: [String: ExtractedField]) -> [String: String] {
        fields.mapValues(\.value)
    }

    @Test("Rent contract: every field, and the sum check passes")
    func mietvertrag() throws {
        let found = fields("mietvertrag", SampleDocuments.mietvertrag)
        #expect(
            values(found) == [
                "kaltmiete": "450.00", "nebenkosten": "120.00", "heizkosten": "80.00", "gesamtmiete": "650.00",
                "wohnflaeche": "62.40", "mietbeginn": "2025-03-01",
                "vermieter": "Wohnbau Nord GmbH",
            ])
        let total = try #require(found["gesamtmiete"])
        #expect(!total.doubtful)
        #expect(total.checks.first?.passed == true)
        #expect(total.line == 15)
        #expect(total.anchor == "Gesamtmiete")
        #expect(total.raw == "650,00 EUR")
    }

    @Test("A total that is not the sum of its parts makes all involved fields doubtful")
    func sumMismatch() throws {
        let text = SampleDocuments.mietvertrag.replacingOccurrences(of: "650,00 EUR", with: "700,00 EUR")
        let found = fields("mietvertrag", text)
        for key in ["gesamtmiete", "kaltmiete", "nebenkosten", "heizkosten"] {
            let field = try #require(found[key])
            #expect(field.doubtful, "\(key)")
            let reason = field.reason ?? ""
            #expect(reason.contains("Gesamtmiete 700,00 € ≠ Kaltmiete "), "\(key): \(reason)")
            #expect(reason.contains(" + Nebenkosten ") && reason.contains(" + Heizkosten ") && reason.contains(" = 650,00 €"), "\(key): \(reason)")
        }
        #expect(found["wohnflaeche"]?.doubtful == false)
        #expect(found["gesamtmiete"]?.checks.first?.passed == false)
    }

    @Test("Rent certificate: labels in a form with spaced columns")
    func mietbescheinigung() {
        #expect(
            values(fields("mietbescheinigung", SampleDocuments.mietbescheinigung)) == [
                "kaltmiete": "390.50", "nebenkosten": "95.00", "heizkosten": "70.00", "gesamtmiete": "555.50",
                "wohnflaeche": "55.00", "mietbeginn": "2019-10-01", "vermieter": "Hausverwaltung Schulz & Partner",
            ])
    }

    @Test("Payslip: month, amounts, employer and a tax class from the line below its label")
    func lohnabrechnung() throws {
        let found = fields("lohnabrechnung", SampleDocuments.lohnabrechnung)
        #expect(
            values(found) == [
                "abrechnungsmonat": "2025-03", "brutto": "2450.00", "netto": "1694.18", "auszahlung": "1694.18",
                "arbeitgeber": "Muster Logistik GmbH", "steuerklasse": "1",
            ])
        #expect(found["steuerklasse"]?.line == 6)
        #expect(found["steuerklasse"]?.checks.first?.passed == true)
    }

    @Test("A tax class outside 1...6 is doubtful")
    func taxClassRange() {
        let found = fields("lohnabrechnung", "Steuerklasse 8")
        #expect(found["steuerklasse"]?.doubtful == true)
    }

    @Test("Bank statement: IBAN, period, old and new balance and bank")
    func kontoauszug() {
        #expect(
            values(fields("kontoauszug", SampleDocuments.kontoauszug)) == [
                "iban": "DE89370400440532013000", "zeitraum_von": "2025-03-01", "zeitraum_bis": "2025-03-31",
                "saldo_alt": "312.40", "saldo_neu": "790.40", "bank": "Sparkasse Köln Bonn",
            ])
    }

    @Test("Bank statement: a line beginning 'Kontostand am' is the opening balance, the last one the closing; neither doubtful")
    func kontostandAmTwice() {
        let text = """
            Sparkasse Köln Bonn
            Kontoauszug Nr. 2 vom 01.02.2025 bis 28.02.2025
            IBAN DE89 3704 0044 0532 0130 00
            Kontostand am 31.01.2025, Auszug Nr. 1 334,94
            03.02.2025 03.02. Lastschrift Stadtwerke -85,00
            Kontostand am 28.02.2025 um 22:33 Uhr 249,94
            """
        let found = fields("kontoauszug", text)
        #expect(found["saldo_alt"]?.value == "334.94")
        #expect(found["saldo_alt"]?.doubtful == false)
        #expect(found["saldo_neu"]?.value == "249.94")
    }

    @Test("A bank statement IBAN with a bad checksum is doubtful")
    func badIBAN() {
        let text = SampleDocuments.kontoauszug.replacingOccurrences(of: "0130 00", with: "0130 01")
        let iban = fields("kontoauszug", text)["iban"]
        #expect(iban?.value == "DE89370400440532013001")
        #expect(iban?.doubtful == true)
    }

    @Test("Operating-cost statement: period and Nachzahlung, no Guthaben")
    func betriebskosten() {
        #expect(
            values(fields("betriebskostenabrechnung", SampleDocuments.betriebskostenabrechnung)) == [
                "zeitraum_von": "2024-01-01", "zeitraum_bis": "2024-12-31", "nachzahlung": "144.60",
            ])
    }

    @Test("Child-benefit notice: amount, number of children, start")
    func kindergeld() {
        #expect(
            values(fields("kindergeldbescheid", SampleDocuments.kindergeldbescheid)) == [
                "betrag_monatlich": "510.00", "anzahl_kinder": "2", "gueltig_ab": "2025-01-01",
            ])
    }

    @Test("Sick note: only the period")
    func au() {
        #expect(
            values(fields("au_bescheinigung", SampleDocuments.auBescheinigung)) == [
                "au_von": "2025-03-03", "au_bis": "2025-03-07",
            ])
    }

    @Test("A sick note ending before it starts is doubtful")
    func auOrder() {
        let text = SampleDocuments.auBescheinigung.replacingOccurrences(
            of: "einschließlich 07.03.2025", with: "einschließlich 01.03.2025")
        #expect(fields("au_bescheinigung", text)["au_bis"]?.doubtful == true)
    }

    @Test("A label with one OCR error still anchors, and a date that does not exist is doubtful")
    func ocrLabel() throws {
        let found = fields("mietvertrag", "Nettokaltmlete 450,00 EUR\nMietbeginn: 31.02.2025")
        #expect(found["kaltmiete"]?.value == "450.00")
        #expect(found["kaltmiete"]?.anchor == "Nettokaltmiete")
        let start = try #require(found["mietbeginn"])
        #expect(start.value == "2025-02-31")
        #expect(start.doubtful)
    }

    @Test("A label split by OCR (Gesamt miete) anchors")
    func splitLabel() {
        #expect(fields("mietvertrag", "Gesamt miete: 1.050,00 €")["gesamtmiete"]?.value == "1050.00")
    }

    @Test("Values in a table row below their labels are taken by column")
    func tableColumns() {
        let text = """
            Kaltmiete      Nebenkosten    Heizkosten     Gesamtmiete
            500,00         150,00         90,00          740,00
            """
        let found = fields("mietvertrag", text)
        #expect(
            values(found) == ["kaltmiete": "500.00", "nebenkosten": "150.00", "heizkosten": "90.00", "gesamtmiete": "740.00"])
        #expect(found["gesamtmiete"]?.doubtful == false)
    }

    @Test("OCR reading order: the value may follow one line further, after another label")
    func valueAfterAnotherLabel() {
        let text = """
            arbeitsunfähig seit

            03.03.25

            voraussichtlich arbeitsunfähig bis einschließlich

            festgestellt am

            07.03.25
            """
        #expect(values(fields("au_bescheinigung", text)) == ["au_von": "2025-03-03", "au_bis": "2025-03-07"])
        let form = "Name / Firma:\n\nAnschrift:\n\nIBAN:\n\n| Kowalski, Marek |"
        #expect(fields("mietbescheinigung", form)["vermieter"] == nil)
    }

    @Test("A label in a heading does not take the figure below when the label stands beside a value elsewhere")
    func headingLabel() {
        let text = """
            3. Miete und Nebenkosten
            Die monatliche Miete setzt sich wie folgt zusammen:
            Nettokaltmiete 555,00 €
            Nebenkosten (Vorauszahlung) 150,50 €
            """
        #expect(fields("mietvertrag", text)["nebenkosten"]?.value == "150.50")
    }

    @Test("A label in running prose does not take a value from the next line")
    func prose() {
        let text = "Eine Nachzahlung ist nach unserer Prüfung nicht zu erwarten.\nSumme 1.284,60"
        #expect(fields("betriebskostenabrechnung", text)["nachzahlung"] == nil)
    }

    @Test("The landlord is the party named after 'Zwischen'; '„Vermieter“ genannt' is no label")
    func landlordAfterZwischen() {
        let text = """
            Mietvertrag über Wohnraum
            Zwischen
            Hans-Jürgen Bauer
            Am Stadtgarten 3, 45127 Essen
            – im Folgenden „Vermieter“ genannt –
            """
        let found = fields("mietvertrag", text)
        #expect(found["vermieter"]?.value == "Hans-Jürgen Bauer")
        #expect(found["vermieter"]?.anchor == "Zwischen")
    }

    @Test("A label with a colon does not match the word without it by OCR tolerance")
    func colonLabel() {
        #expect(fields("mietbescheinigung", "Mietbescheinigung – vom Vermieter auszufüllen")["vermieter"] == nil)
        #expect(
            fields("mietbescheinigung", "4. Angaben zum Vermieter\nName / Firma: Ingrid Kluge")["vermieter"]?.value
                == "Ingrid Kluge")
    }

    @Test("Employer and bank are read from the letterhead when no label names them")
    func letterheads() {
        let payslip =
            "Kundennummer: 963H101352\nPflegedienst Sonnenschein gGmbH\nFriedrichstraße 55 · 42105 Wuppertal\nLohnabrechnung 01/2025"
        #expect(fields("lohnabrechnung", payslip)["arbeitgeber"]?.value == "Pflegedienst Sonnenschein gGmbH")
        let statement = "Sparkasse Rheinufer\nPostfach 10 11 22 · 44011 Dortmund\nKontoauszug vom 01.04.2025 bis 30.04.2025"
        #expect(fields("kontoauszug", statement)["bank"]?.value == "Sparkasse Rheinufer")
    }

    @Test("Without a stated number, the children are counted from the table rows")
    func countedChildren() throws {
        let text = """
            Kind geboren am Kindergeld ab monatlich
            Lena Müller 03.06.2015 01.01.2025 255,00 €
            Jonas Müller 17.11.2018 01.01.2025 EUR 255,00
            Ab 1. Januar 2025 erhalten Sie monatlich insgesamt 510,00 EUR Kindergeld.
            """
        let found = fields("kindergeldbescheid", text)
        let children = try #require(found["anzahl_kinder"])
        #expect(children.value == "2")
        #expect(children.anchor == "count_of")
        #expect(children.line == 2)
        #expect(found["betrag_monatlich"]?.value == "510.00")
    }

    @Test("A header with a month does not lend its next line to a label in it")
    func headerWithDigits() {
        let text = "Abrechnung der Brutto/Netto-Bezüge für April 2025\nSt.-Kl. 1 Kinderfreibeträge 0,0\nNettobezüge 1.691,31 €"
        let found = fields("lohnabrechnung", text)
        #expect(found["netto"]?.value == "1691.31")
        #expect(found["steuerklasse"]?.value == "1")
    }
}

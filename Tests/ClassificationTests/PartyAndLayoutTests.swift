import Testing

@testable import Classification

/// Layouts real mail has and no label rule reads: parties in prose, senders without a label,
/// booking lines, closing balances, children tables, debit markers.
@Suite("Names and layouts without labels")
struct PartyAndLayoutTests {
    private func fields(_ classID: String, _ text: String) -> [String: ExtractedField] {
        TestResources.fields(classID, text)
    }

    @Test(
        "Names lose salutation, address, role and debris; legal forms stay whole",
        arguments: [
            ("Herrn Hans Seidel, Radweg 63, 82023 Ort (Vermieter) und", "Hans Seidel"),
            ("Volksbank Mittelweser eG Bra", "Volksbank Mittelweser eG"),
            ("Café Sonne UG (haftungsbeschränkt), Markt 3, 33602 Bielefeld", "Café Sonne UG (haftungsbeschränkt)"),
            ("Müller & Söhne GmbH & Co. KG · Ringstr. 4 · 33602 Bielefeld", "Müller & Söhne GmbH & Co. KG"),
            ("Bäckerei Korn e.K.", "Bäckerei Korn e.K."),
            ("Frau Dr. Anna Berg Lindenallee 5 50667 Köln", "Dr. Anna Berg"),
            ("Firma Wohnbau Lippe eG, vertreten durch den Vorstand", "Wohnbau Lippe eG"),
            ("Sparkasse KölnBonn", "Sparkasse KölnBonn"),
            ("Rhein-Ruhr Wohnen GmbH & Co.KG", "Rhein-Ruhr Wohnen GmbH & Co. KG"),
            ("Lippe Bau GmbH&Co. KG, Markt 1", "Lippe Bau GmbH & Co. KG"),
            // OCR's slips: "Herrn" read as "Herrm", a logo read as a digit.
            ("Herrm Hans Seidel, Radweg 63, 82023 Ort", "Hans Seidel"),
            ("\"2 Dortmunder Volksbank eG", "Dortmunder Volksbank eG"),
            ("1. FC Köln e.V.", "1. FC Köln e.V."),
            ("Wohnungsbaugesellschaft Leinetal.mbH, Lavesallee 12", "Wohnungsbaugesellschaft Leinetal mbH"),
        ])
    func names(raw: String, expected: String) {
        #expect(PartyName.clean(raw) == expected)
    }

    @Test("A contract naming the landlord in prose gives the landlord's name only")
    func landlordInProse() {
        let text = """
            Mietvertrag für Wohnräume
            Der Mietvertrag wird geschlossen zwischen Herrn Hans Seidel, Radweg 63, 82023 Ort (Vermieter) und
            Frau Julia Becker, bisher wohnhaft Berliner Straße 44, 51063 Köln (Mieterin).
            § 1 Mietsache
            Die monatliche Grundmiete beträgt 450,00 €.
            """
        #expect(fields("mietvertrag", text)["vermieter"]?.value == "Hans Seidel")
    }

    @Test("A cooperative named in prose whose address runs into the line of its role")
    func cooperativeOverLineBreak() {
        let text = """
            Dauernutzungsvertrag
            Zwischen der Bau- und Wohnungsgenossenschaft Wupperhöhe eG, Hofaue 21, 42103
            Wuppertal, – nachstehend „Genossenschaft“ genannt – und dem Mitglied Herrn
            Wolfgang Schulze, – nachstehend „Mitglied“ genannt – wird folgender Vertrag geschlossen:
            """
        #expect(fields("mietvertrag", text)["vermieter"]?.value == "Bau- und Wohnungsgenossenschaft Wupperhöhe eG")
    }

    @Test("A landlord over several lines, then '– im Folgenden „Vermieter“ genannt –'")
    func landlordOverLines() {
        let text = """
            Mietvertrag
            Zwischen
            Wohnbau Lippe eG
            Bahnhofstraße 1, 32756 Detmold
            – im Folgenden „Vermieter“ genannt –
            und
            Herrn Peter Schmidt
            – im Folgenden „Mieter“ genannt –
            """
        #expect(fields("mietvertrag", text)["vermieter"]?.value == "Wohnbau Lippe eG")
    }

    @Test("An employer named only in the return-address line above the address window")
    func employerFromReturnAddress() throws {
        let text = """
            Kranz Gebäudetechnik · Ringstr. 4 · 33602 Bielefeld
            Herrn
            Peter Schmidt
            Lindenstraße 12
            44137 Dortmund
            Abrechnung der Brutto/Netto-Bezüge für März 2025
            Gesamtbrutto 2.450,00
            Nettoverdienst 1.712,34
            Auszahlungsbetrag 1.712,34
            """
        let employer = try #require(fields("lohnabrechnung", text)["arbeitgeber"])
        #expect(employer.value == "Kranz Gebäudetechnik")
        #expect(employer.anchor == "return_address")
    }

    @Test("An employer named only in the footer")
    func employerFromFooter() {
        let text = """
            Verdienstabrechnung 03/2025
            Herrn Peter Schmidt
            Gesamtbrutto 2.450,00
            Nettoverdienst 1.712,34
            Geschäftsführer: Jan Kranz | Amtsgericht Bielefeld HRB 4711
            Kranz Gebäudetechnik GmbH | Ringstr. 4 | 33602 Bielefeld
            """
        #expect(fields("lohnabrechnung", text)["arbeitgeber"]?.value == "Kranz Gebäudetechnik GmbH")
    }

    static let statement = """
        Sparkasse Paderborn-Detmold · 33095 Paderborn
        Kontoauszug 3/2025
        Konto DE89 3704 0044 0532 0130 00
        Kontostand am 28.02.2025 1.020,00 H
        03.03. 03.03. Lastschrift Stadtwerke 48,71S
        IBAN DE02 1203 0000 0000 2020 51
        05.03. 05.03. Miete März 650,00 S
        IBAN: DE44 5001 0517 5407 3249 31
        Kontostand am 31.03.2025 321,29 H
        """

    @Test("A statement: the account's IBAN from the header, not a booking's; the last balance; S and H markers")
    func statementHeader() throws {
        let found = fields("kontoauszug", Self.statement)
        #expect(found["iban"]?.value == "DE89370400440532013000")
        #expect(found["saldo_neu"]?.value == "321.29")
        #expect(found["bank"]?.value == "Sparkasse Paderborn-Detmold")
    }

    @Test("Debit and credit markers glued to amounts are signs, not digits")
    func debitMarkers() {
        #expect(AmountParser.allMatches(in: "Lastschrift 48,71S").map(\.value.normalized) == ["-48.71"])
        #expect(AmountParser.allMatches(in: "Saldo 1.234,56 S").map(\.value.normalized) == ["-1234.56"])
        #expect(AmountParser.allMatches(in: "Saldo 1.234,56 H").map(\.value.normalized) == ["1234.56"])
        #expect(AmountParser.allMatches(in: "12,50 Sparkasse").map(\.value.normalized) == ["12.50"])
    }

    @Test("The Familienkasse's children table is counted and 'mit Wirkung vom' gives the start")
    func childrenTable() {
        let text = """
            Familienkasse Nordrhein-Westfalen Nord
            Bescheid über Kindergeld
            Kindergeldnummer 123FK456789
            mit Wirkung vom 01.08.2024 wird Kindergeld festgesetzt:
            Kind Vorname des Kindes Geburtsdatum Zählkind Betrag monatlich
            1. Kind Lena 12.03.2015 1 255,00 €
            2. Kind Tim 02.11.2018 2 255,00 €
            """
        let found = fields("kindergeldbescheid", text)
        #expect(found["anzahl_kinder"]?.value == "2")
        #expect(found["gueltig_ab"]?.value == "2024-08-01")
    }

    @Test("The same label before two different values makes the value doubtful")
    func conflictingLabels() throws {
        let text = """
            Mietbescheinigung
            Kaltmiete 450,00 €
            Nebenkosten 120,00 €
            Kaltmiete 480,00 €
            """
        let rent = try #require(fields("mietbescheinigung", text)["kaltmiete"])
        #expect(rent.value == "450.00")
        #expect(rent.doubtful)
        #expect(rent.reason?.contains("480,00") == true)
    }
}

@Suite("The bank an IBAN names")
struct BankOfIBANTests {
    private func bank(_ text: String) -> ExtractedField? {
        let definitions = TestResources.configuration.documentClass("kontoauszug")?.fields ?? []
        return FieldExtractor(today: "2025-06-15").extract(definitions, from: DocumentText(text)).first { $0.key == "bank" }
    }

    @Test("Debris around an agreeing bank name is dropped")
    func debris() throws {
        let field = try #require(bank("GA Commerzbank\nKontoauszug 3/2025\nIBAN DE89 3704 0044 0532 0130 00\n"))
        #expect(field.value == "Commerzbank")
        #expect(!field.doubtful)
    }

    @Test("A bank name that disagrees with the IBAN's bank code is doubtful")
    func disagrees() throws {
        let field = try #require(bank("Sparkasse Bielefeld\nKontoauszug 3/2025\nIBAN DE89 3704 0044 0532 0130 00\n"))
        #expect(field.value == "Sparkasse Bielefeld")
        #expect(field.doubtful)
        #expect(field.reason?.contains("37040044") == true)
    }

    @Test("A brand in the letterhead ('DKB') gives way to the full name the page gives elsewhere; a non-bank's name never")
    func fullNameOnPage() throws {
        let statement = """
            DKB
            Kontoauszug 2/2025
            Kontonummer 5434936175 / IBAN DE19 1203 0000 5434 9361 75
            Jobcenter Berlin Mitte
            Deutsche Kreditbank AG · Taubenstraße 7-9 · 10117 Berlin
            """
        let field = try #require(bank(statement))
        #expect(field.value == "Deutsche Kreditbank AG")
        #expect(!field.doubtful)
        #expect(field.line == 5)
        // A name that shares only the bank's town is no bank's name: the brand stays, doubtful.
        let brandOnly = try #require(bank("DKB\nKontoauszug 2/2025\nIBAN DE19 1203 0000 5434 9361 75\nJobcenter Berlin Mitte\n"))
        #expect(brandOnly.value != "Jobcenter Berlin Mitte")
    }

    @Test("Without a bank name on the page the register names it")
    func fromRegister() throws {
        let field = try #require(bank("Kontoauszug 3/2025\nIBAN DE89 3704 0044 0532 0130 00\n"))
        #expect(field.value.contains("Commerzbank"))
        #expect(field.anchor.hasPrefix("Bankleitzahlenverzeichnis"))
    }
}

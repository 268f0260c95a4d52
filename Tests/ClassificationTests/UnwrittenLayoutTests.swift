import Testing

@testable import Classification

/// Sick notes and rent confirmations as real senders write them, none of them in `fixtures/`:
/// a GP's note for the Jobcenter, a hospital's stay certificate, a "bettlägerig" note for a
/// missed appointment, the printout of an eAU with two-digit years; a property manager's
/// letter confirming the rent, a cooperative's confirmation of the Nutzungsentgelt, a
/// landlord's declaration on a council form. And the Jobcenter's own invitation, which names
/// the sick note it asks for and is none.
@Suite("Sick notes and rent confirmations in layouts nobody wrote a rule for")
struct UnwrittenLayoutTests {
    private func analyze(_ text: String) -> DocumentAnalysis {
        TestResources.analyzer.analyze(text: text)
    }

    private func values(_ analysis: DocumentAnalysis) -> [String: String] {
        Dictionary(uniqueKeysWithValues: analysis.fields.map { ($0.key, $0.value) })
    }

    @Test("A GP's note for the Jobcenter: 'nicht arbeitsfähig' from one date to another")
    func doctorsNote() {
        let analysis = analyze(
            """
            Dr. med. Karin Vogt
            Fachärztin für Allgemeinmedizin
            Hauptstraße 12 · 44135 Dortmund · Tel. 0231 123456

            Ärztliche Bescheinigung zur Vorlage beim Jobcenter

            Herr Peter Schmidt, geb. 12.03.1985, wohnhaft Lindenweg 4, 44137 Dortmund,
            ist nach meiner heutigen Untersuchung in der Zeit vom 03.03.2025 bis einschließlich 14.03.2025
            nicht arbeitsfähig und kann in dieser Zeit keine Termine wahrnehmen.

            Dortmund, 03.03.2025
            Dr. med. K. Vogt
            """)
        #expect(analysis.classification.classID == "au_bescheinigung")
        #expect(values(analysis)["au_von"] == "2025-03-03")
        #expect(values(analysis)["au_bis"] == "2025-03-14")
    }

    @Test("A hospital's certificate of a stay: 'in stationärer Behandlung' from … to …")
    func hospitalStay() {
        let analysis = analyze(
            """
            Klinikum Nord · Innere Medizin · Münsterstraße 240 · 44145 Dortmund
            Patientenverwaltung

            Aufenthaltsbescheinigung

            Hiermit wird bescheinigt, dass
            Frau Julia Becker, geboren am 02.07.1990,
            sich vom 10.02.2025 bis 21.02.2025 in unserem Haus in stationärer Behandlung befand.
            Diese Bescheinigung dient zur Vorlage beim Arbeitgeber, der Krankenkasse oder dem Jobcenter.

            Dortmund, 21.02.2025
            """)
        #expect(analysis.classification.classID == "au_bescheinigung")
        #expect(values(analysis)["au_von"] == "2025-02-10")
        #expect(values(analysis)["au_bis"] == "2025-02-21")
    }

    @Test("A 'bettlägerig' note for a missed appointment")
    func bedriddenNote() {
        let analysis = analyze(
            """
            Praxis Dr. Yilmaz · Kinder- und Jugendmedizin · Bahnhofstr. 8 · 45127 Essen

            Bescheinigung

            Frau Aylin Demir war vom 05.05.2025 bis voraussichtlich 09.05.2025 bettlägerig erkrankt
            und konnte den Termin am 06.05.2025 beim Jobcenter Essen nicht wahrnehmen.

            Essen, 05.05.2025
            Stempel und Unterschrift der Ärztin / des Arztes
            """)
        #expect(analysis.classification.classID == "au_bescheinigung")
        #expect(values(analysis)["au_von"] == "2025-05-05")
        #expect(values(analysis)["au_bis"] == "2025-05-09")
    }

    @Test("The printout of an eAU for the insured person, with two-digit years")
    func eAUPrintout() {
        let analysis = analyze(
            """
            Ausdruck für Versicherte
            Krankenkasse bzw. Kostenträger
            AOK NordWest
            Name, Vorname des Versicherten
            Becker, Julia   geb. am 02.07.90
            Kostenträgerkennung  Versicherten-Nr.  Status
            103411401  X123456789  1000000
            Erstbescheinigung
            arbeitsunfähig seit
            03.03.25
            voraussichtlich arbeitsunfähig bis einschließlich oder letzter Tag der Arbeitsunfähigkeit
            07.03.25
            festgestellt am
            03.03.25
            """)
        #expect(analysis.classification.classID == "au_bescheinigung")
        #expect(values(analysis)["au_von"] == "2025-03-03")
        #expect(values(analysis)["au_bis"] == "2025-03-07")
    }

    @Test("The Jobcenter's invitation asks for a sick note and is none")
    func invitationIsNoSickNote() {
        let analysis = analyze(
            """
            Jobcenter Dortmund · Steinstraße 39 · 44147 Dortmund
            Herrn Peter Schmidt
            Lindenweg 4
            44137 Dortmund
            Einladung zu einem persönlichen Gespräch
            Sehr geehrter Herr Schmidt,
            bitte kommen Sie am 12.03.2025 um 09:30 Uhr in das Jobcenter, Zimmer 214.
            Ich möchte mit Ihnen über Ihre berufliche Situation sprechen.
            Wenn Sie den Termin nicht wahrnehmen können, teilen Sie mir dies bitte vorher mit.
            Sind Sie arbeitsunfähig erkrankt, legen Sie bitte eine Arbeitsunfähigkeitsbescheinigung vor.
            Rechtsfolgenbelehrung
            Kommen Sie ohne wichtigen Grund nicht, wird Ihr Bürgergeld um 10 Prozent gemindert (§ 32 SGB II).
            Mit freundlichen Grüßen
            Im Auftrag
            """)
        #expect(analysis.classification.classID != "au_bescheinigung")
    }

    @Test("A property manager's letter confirming the rent, without any form title")
    func managersRentConfirmation() {
        let analysis = analyze(
            """
            Hausverwaltung Krämer GmbH · Westenhellweg 50 · 44137 Dortmund
            Frau
            Julia Becker
            Kaiserstraße 17
            44135 Dortmund
            Ihr Mietverhältnis Kaiserstraße 17, 2. OG links
            Sehr geehrte Frau Becker,
            auf Ihren Wunsch bestätigen wir Ihnen zur Vorlage beim Jobcenter, dass Sie die oben genannte
            Wohnung seit dem 01.04.2019 von uns gemietet haben. Die Wohnfläche beträgt 58,40 m².
            Die monatliche Miete setzt sich derzeit wie folgt zusammen:
            Grundmiete 452,00 €
            Betriebskostenvorauszahlung 118,00 €
            Heizkostenvorauszahlung 74,00 €
            Gesamt 644,00 €
            Mit freundlichen Grüßen
            Hausverwaltung Krämer GmbH
            """)
        #expect(analysis.classification.classID == "mietbescheinigung")
        let found = values(analysis)
        #expect(found["kaltmiete"] == "452.00")
        #expect(found["nebenkosten"] == "118.00")
        #expect(found["heizkosten"] == "74.00")
        #expect(found["gesamtmiete"] == "644.00")
        #expect(found["wohnflaeche"] == "58.40")
        #expect(found["vermieter"] == "Hausverwaltung Krämer GmbH")
    }

    @Test("A landlord's declaration on a council form: 'Erklärung des Vermieters'")
    func landlordsDeclaration() {
        let analysis = analyze(
            """
            Stadt Bochum – Amt für Soziales
            Erklärung des Vermieters
            zur Höhe der Unterkunftskosten
            Mieter/in: Aylin Demir
            Anschrift der Wohnung: Herner Straße 112, 44791 Bochum
            Vermieter/in: Wohnungsgenossenschaft Bochum eG
            Die Wohnung ist vermietet seit: 15.08.2021
            Größe der Wohnung: 64,00 m²
            monatliche Nettokaltmiete: 389,50 EUR
            Vorauszahlung für Betriebskosten: 142,00 EUR
            Vorauszahlung für Heizkosten: 88,00 EUR
            monatlich zu zahlen insgesamt: 619,50 EUR
            Ort, Datum, Unterschrift des Vermieters
            """)
        #expect(analysis.classification.classID == "mietbescheinigung")
        let found = values(analysis)
        #expect(found["kaltmiete"] == "389.50")
        #expect(found["gesamtmiete"] == "619.50")
        #expect(found["mietbeginn"] == "2021-08-15")
        #expect(found["vermieter"] == "Wohnungsgenossenschaft Bochum eG")
    }

    @Test("A payroll header grid: 'StKl' among short column heads, the values in the row below")
    func taxClassInGrid() {
        let analysis = analyze(
            """
            Abrechnung der Brutto/Netto-Bezüge für März 2025
            Kranz Gebäudetechnik GmbH · Ringstr. 4 · 33602 Bielefeld
            Pers.-Nr. Eintritt Geb.-Datum StKl Ki.Frb. Konf. Faktor KK
            00123 01.04.2019 12.03.1985 3 1,0 ev 0,000 AOK
            Bezeichnung Betrag
            Gehalt 3.150,00
            Gesamtbrutto 3.150,00
            Nettoverdienst 2.214,37
            Auszahlungsbetrag 2.214,37
            """)
        #expect(analysis.classification.classID == "lohnabrechnung")
        #expect(values(analysis)["steuerklasse"] == "3")

        // Photographed: the l of St.Kl. read as I, commas after the abbreviations.
        let photographed = analyze(
            """
            Abrechnung der Brutto/Netto-Bezüge
            für April 2025
            Schulte Metallbau GmbH Gewerbering 9 44809 Bochum
            Pers.-NO St.KI, Kinderfreib, Konf, Eintritt Krankenkasse
            00666 1 0,0 ev 01.06.2019 BARMER
            Lohnart Bezeichnung Menge Faktor Betrag
            Gesamt-Brutto 1.022,27
            Netto-Verdienst 817,82
            Auszahlungsbetrag 817,82
            """)
        #expect(values(photographed)["steuerklasse"] == "1")

        // The comma of "1,0" lost: the entry under the head, not the one nearest in characters.
        let commaLost = analyze(
            """
            Abrechnung der Brutto/Netto-Bezüge
            für Juli 2025
            Pers.-NO St.Kl. Kinderfreib. Kontf. Eintritt Krankenkasse
            00263 3 10 - 01.01.2016 DAK-Gesundheit
            Gesamt-Brutto 3.581,59
            Netto-Verdienst 2.680,53
            Auszahlungsbetrag 2.640,53
            """)
        #expect(values(commaLost)["steuerklasse"] == "3")
    }

    @Test("'Lohnsteuerklasse' and a tax class written in Roman numerals as on the old tax card")
    func taxClassWords() {
        let analysis = analyze(
            """
            Verdienstabrechnung Februar 2025
            Bäckerei Korn e.K.
            Lohnsteuerklasse: III   Kinderfreibeträge: 1,0   Konfession: rk
            Bruttobezüge 2.480,00 €
            Netto 1.902,11 €
            Auszahlung 1.902,11 €
            """)
        #expect(analysis.classification.classID == "lohnabrechnung")
        #expect(values(analysis)["steuerklasse"] == "3")
    }

    @Test("A statement whose bookings run over lines without a date: the counterparty's IBAN is not the account's")
    func accountIBANNotTheCounterparty() {
        let analysis = analyze(
            """
            Sparkasse Dortmund
            Kontoauszug 3/2025 vom 01.03.2025 bis 31.03.2025
            Frau Julia Becker, Kaiserstraße 17, 44135 Dortmund
            Buchungstag Wert Vorgang Betrag
            Miete März Überweisung an Hausverwaltung Krämer GmbH
            IBAN DE16 3705 0198 0987 6543 21 -644,00
            Gehalt Gutschrift Kranz Gebäudetechnik
            2.214,37
            Kontostand am 31.03.2025 1.210,55
            Ihr Konto: IBAN DE69 4405 0199 0001 2345 67 · BIC DORTDE33XXX
            """)
        #expect(analysis.classification.classID == "kontoauszug")
        let iban = analysis.fields.first { $0.key == "iban" }
        #expect(iban?.value == "DE69440501990001234567" || iban?.doubtful == true, "\(String(describing: iban))")
    }

    @Test("A direct bank's statement: the logo says 'ING', the footer gives the bank's name with its legal form")
    func brandAndLegalName() {
        let analysis = analyze(
            """
            ING
            Girokonto Nummer 5566778899
            Kontoauszug Januar 2025 vom 01.01.2025 bis 31.01.2025
            IBAN DE26 5001 0517 5566 7788 99
            Buchung Valuta Vorgang Betrag
            02.01.2025 02.01.2025 Lastschrift Stadtwerke Essen -85,00
            Neuer Saldo 1.204,10
            ING-DiBa AG · Theodor-Heuss-Allee 2 · 60486 Frankfurt am Main · Vorstand: Nick Jue
            """)
        #expect(analysis.classification.classID == "kontoauszug")
        #expect(values(analysis)["bank"] == "ING-DiBa AG")
    }

    @Test("A closing balance misread by one digit is doubtful: opening balance plus bookings gives another")
    func balanceCheck() {
        func statement(closing: String) -> String {
            """
            Sparkasse Gelsenkirchen
            Kontoauszug 2/2025 Zeitraum 01.02.2025 - 28.02.2025
            Girokonto IBAN DE77 4205 0001 7981 5748 99
            Buchungstag Wert Erläuterung Betrag EUR
            Kontostand am 31.01.2025, Auszug Nr. 1 136,31
            02.02.2025 02.02. Gutschrift +228,00
            Jobcenter Wuppertal
            03.02.2025 03.02. Dauerauftrag -520,00
            Miete 02/2025
            05.02./05.02. Lastschrift Stadtwerke 70,00 S
            12.02.2025 13.02. Kartenzahlung -89,59
            girocard 12.02.2025
            Kontostand am 28.02.2025 um 21:21 Uhr \(closing)
            """
        }
        let right = analyze(statement(closing: "-315,28"))
        let saldo = right.fields.first { $0.key == "saldo_neu" }
        #expect(saldo?.value == "-315.28")
        #expect(saldo?.doubtful == false, "\(String(describing: saldo))")
        #expect(saldo?.checks.contains { $0.check == "balance saldo_alt" && $0.passed } == true)

        let misread = analyze(statement(closing: "-345,28")).fields.first { $0.key == "saldo_neu" }
        #expect(misread?.doubtful == true)
        #expect(misread?.reason?.contains("4 Buchungen") == true, "\(String(describing: misread?.reason))")
    }

    @Test("A sentence broken right after its label: the date the next line starts with")
    func labelAtLineBreak() {
        let analysis = analyze(
            """
            Praxis Dr. med. Jens Vogt · Allgemeinmedizin · Neumarkt 3 · 42103 Wuppertal
            Attest zur Vorlage beim Jobcenter
            Herr Wolfgang Schulze, geboren am 02.11.1969, wohnhaft Gelsenkirchener Straße 3, 45141 Essen, ist seit
            dem 22.06.2025 arbeitsunfähig erkrankt, voraussichtlich bis zum 28.06.2025.
            Wuppertal, 22.06.2025
            """)
        #expect(analysis.classification.classID == "au_bescheinigung")
        #expect(values(analysis)["au_von"] == "2025-06-22")
        #expect(values(analysis)["au_bis"] == "2025-06-28")

        // Broken after the article: "… ist seit dem" / "21.05.2025 arbeitsunfähig …".
        let afterArticle = analyze(
            """
            Dr. med. Ina Roth · Fachärztin für Allgemeinmedizin · Markt 2 · 44135 Dortmund
            Bescheinigung über Arbeitsunfähigkeit
            Frau Anna Müller, geboren am 02.09.1986, wohnhaft Kirchstraße 5, 44147 Dortmund, ist seit dem
            21.05.2025 arbeitsunfähig erkrankt, voraussichtlich bis zum 27.05.2025.
            Dortmund, 22.05.2025
            """)
        #expect(values(afterArticle)["au_von"] == "2025-05-21")
        #expect(values(afterArticle)["au_bis"] == "2025-05-27")
    }

    @Test("Muster 1 dates in a monospaced font whose dots OCR read as digits: the date, doubtful")
    func datesWithUnreadDots() {
        let analysis = analyze(
            """
            Arbeitsunfähigkeitsbescheinigung
            Ausfertigung für Versicherte
            Krankenkasse bzw. Kostenträger
            BARMER
            Name, Vorname des Versicherten
            Becker, Julia
            geb. am 27.08.93
            Kostenträgerkennung Versicherten-Ne Status
            104940005 0482593099 1000000
            Betriebsstätten-Ne Arzt-Ne Datum
            171629832 477163269 03.03.25
            X Erstbescheinigung [|] Folgebescheinigung
            arbeitsunfähig seit festgestellt am
            02503225 0250 3525
            voraussichtlich arbeitsunfähig bis einschließlich
            13503225
            """)
        #expect(analysis.classification.classID == "au_bescheinigung")
        let fields = Dictionary(uniqueKeysWithValues: analysis.fields.map { ($0.key, $0) })
        #expect(fields["au_von"]?.value == "2025-03-02")
        #expect(fields["au_bis"]?.value == "2025-03-13")
        #expect(fields["au_von"]?.doubtful == true)
        #expect(fields["au_bis"]?.reason?.contains("13.03.25") == true)
        // A run of digits that is no date where the dots would be (month 59) stays unread.
        #expect(DateParser.allMatchesWithUnreadSeparators(in: "seit 12593025").isEmpty)
        // Nine digits (an Arzt-Nr.) are no date.
        #expect(DateParser.allMatchesWithUnreadSeparators(in: "477163269").isEmpty)
    }

    @Test("A contract in prose whose label is broken over two lines: 'Heiz-' / 'und Warmwasserkosten von 55,00 €'")
    func labelBrokenOverLines() {
        let analysis = analyze(
            """
            Mietvertrag über Wohnraum
            Zwischen Frau Ursula Brinkmann, Am Vogelsang 9, 42369 Wuppertal (Vermieter) und Frau Katharina Wolff (Mieterin)
            3. Miete und Nebenkosten
            Die monatliche Miete ohne Nebenkosten beträgt 675,00 €. Daneben zahlt der Mieter monatlich eine
            Vorauszahlung auf die Betriebskosten in Höhe von 175,00 € sowie eine Vorauszahlung auf die Heiz-
            und Warmwasserkosten von 55,00 €. Die monatliche Gesamtzahlung beläuft sich somit auf 905,00 €.
            """)
        #expect(analysis.classification.classID == "mietvertrag")
        #expect(values(analysis)["kaltmiete"] == "675.00")
        #expect(values(analysis)["heizkosten"] == "55.00")
        #expect(values(analysis)["nebenkosten"] == "175.00")
    }

    @Test("An employer's name with a sign glued to a small letter ('Caf&' for 'Café') is doubtful; 'H&M' is not")
    func nameWithGlyphSlip() {
        let slipped = analyze(
            """
            Abrechnung der Brutto/Netto-Bezüge
            für Juli 2025
            Caf& Sonne UG (haftungsbeschränkt) Ostenhellweg 18 44135 Dortmund
            Herrn
            Marek Kowalski
            Gesamt-Brutto 3.581,59
            Netto-Verdienst 2.680,53
            Auszahlungsbetrag 2.640,53
            """)
        let employer = slipped.fields.first { $0.key == "arbeitgeber" }
        #expect(employer?.value.hasPrefix("Caf&") == true)
        #expect(employer?.doubtful == true)
        #expect(employer?.reason?.contains("„Caf&“") == true)
        #expect(FieldChecker.glyphSlip(in: "H&M Hennes & Mauritz B.V. & Co. KG") == nil)
        #expect(FieldChecker.glyphSlip(in: "C&A Mode GmbH & Co. KG") == nil)
        #expect(FieldChecker.glyphSlip(in: "Bäckerei M|ller") == "M|ller")
    }

    @Test("Muster 1 whose start date OCR lost: 'arbeitsunfähig seit' does not take the date under 'arbeitsunfähig bis'")
    func lostStartDate() {
        let analysis = analyze(
            """
            Arbeitsunfähigkeitsbescheinigung
            Ausfertigung für Versicherte
            Krankenkasse bzw. Kostenträger
            DAK-Gesundheit
            X Erstbescheinigung [_] Folgebescheinigung
            arbeitsunfähig seit festgestellt am
            0203,23 (ee. A ok: Pie:
            voraussichtlich arbeitsunfähig bis einschließlich
            08.03.25
            Arztstempel und Unterschrift
            """)
        #expect(analysis.classification.classID == "au_bescheinigung")
        // "arbeitsunfähig ab" with its "a" dropped is the start of "arbeitsunfähig bis": not a label.
        #expect(values(analysis)["au_von"] == nil)
        #expect(values(analysis)["au_bis"] == "2025-03-08")
    }

    @Test("Two fields read from the very same figure are both doubtful, and each names the other")
    func sharedValuePlace() {
        var fields = [
            ExtractedField(key: "au_von", type: .date, value: "2025-03-08", raw: "08.03.25", doubtful: false, reason: nil,
                           line: 3, anchor: "seit", checks: []),
            ExtractedField(key: "au_bis", type: .date, value: "2025-03-08", raw: "08.03.25", doubtful: false, reason: nil,
                           line: 3, anchor: "bis", checks: []),
        ]
        let document = DocumentText("arbeitsunfähig seit\nvoraussichtlich bis\n08.03.25")
        SharedValuePlace.check(&fields, labels: ["au_von": "Arbeitsunfähig von", "au_bis": "Arbeitsunfähig bis"], in: document)
        #expect(fields.filter(\.doubtful).count == 2)
        #expect(fields[0].reason?.contains("„Arbeitsunfähig bis“") == true)
        #expect(fields[1].reason?.contains("„Arbeitsunfähig von“") == true)
        // The same figure printed twice on the line ("02.03.25 02.03.25": seit and festgestellt am) is two places.
        var twice = fields.map { field -> ExtractedField in
            var copy = field
            copy.doubtful = false
            copy.reason = nil
            return copy
        }
        SharedValuePlace.check(&twice, labels: [:], in: DocumentText("x\ny\n08.03.25 08.03.25"))
        #expect(twice.filter(\.doubtful).isEmpty)
    }

    @Test("A payroll grid whose abbreviation points OCR read as commas: 'St.Kl,' is 'St.Kl.'")
    func commaForPoint() {
        let analysis = analyze(
            """
            Abrechnung der Brutto/Netto-Bezüge
            für 02/2025
            Reinigungsservice Blank e.K. Venloer Straße 600 50827 Köln
            Pers.-Nr. St.Kl, Kinderfreib,. Konf. Eintritt Krankenkasse
            00266 1 1,5 - 01.11.2017 AOK NordWest
            Gesamtbrutto 3.050,00
            Nettoverdienst 2.134,00
            Auszahlungsbetrag 2.134,00
            """)
        #expect(values(analysis)["steuerklasse"] == "1")
    }

    @Test("A resignation in the first person: 'Gekündigt durch' is doubtful and the reason quotes the phrase")
    func ownResignation() throws {
        let analysis = analyze(
            """
            Aylin Demir
            Brückstraße 40
            44135 Dortmund
            Pflegedienst Lebenswert GmbH
            Personalabteilung
            Dortmund, 28.04.2025
            Kündigung meines Arbeitsverhältnisses
            Sehr geehrte Damen und Herren,
            hiermit kündige ich mein Arbeitsverhältnis ordentlich und fristgerecht zum 31.05.2025.
            Mit freundlichen Grüßen
            """)
        #expect(analysis.classification.classID == "kuendigung")
        let field = try #require(analysis.fields.first { $0.key == "gekuendigt_durch" })
        #expect(field.doubtful)
        #expect(field.reason?.contains("„kündige ich mein“") == true)
        #expect(values(analysis)["wirksam_zum"] == "2025-05-31")
        // The employer's notice stays as it was.
        let employers = analyze(
            """
            Pflegedienst Lebenswert GmbH
            Frau Aylin Demir
            Kündigung Ihres Arbeitsverhältnisses
            hiermit kündigen wir das mit Ihnen bestehende Arbeitsverhältnis fristgerecht zum 31.05.2025.
            Ihren Resturlaub gewähren wir Ihnen bis dahin.
            """)
        let notice = try #require(employers.fields.first { $0.key == "gekuendigt_durch" })
        #expect(notice.value == "arbeitgeber")
        #expect(!notice.doubtful)
    }

    @Test("A name with a dotless ı or a word cut in two by OCR is doubtful; names' own small words are not")
    func nameSlips() {
        #expect(FieldChecker.dotlessI(in: "Aylın Demir") == "Aylın")
        #expect(FieldChecker.dotlessI(in: "Aylin Demir") == nil)
        #expect(FieldChecker.splitWord(in: "Hanse Immobi lienverwaltung GmbH") == "Immobi lienverwaltung")
        for name in ["Café Sonne UG (haftungsbeschränkt)", "Pflegedienst Sonnenschein gGmbH", "Haus unter den Linden e.V.",
                     "Müller & Söhne GmbH & Co. KG", "Gasthaus Zur Linde Inh. Peter Brandt e.K.", "Wohnbau eG", "Isartal wohnen GmbH"] {
            #expect(FieldChecker.splitWord(in: name) == nil, "\(name)")
        }
        let analysis = analyze(
            """
            Vermieterbescheinigung
            zur Vorlage beim Jobcenter
            Name des Vermieters: Hanse Immobi lienverwaltung GmbH
            Grundmiete: 370,50 €
            Nebenkosten: 145,50 €
            Heizkosten: 105,00 €
            Gesamtmiete: 621,00 €
            """)
        let landlord = analysis.fields.first { $0.key == "vermieter" }
        #expect(landlord?.doubtful == true)
        #expect(landlord?.reason?.contains("„Immobi lienverwaltung“") == true)
    }

    @Test("A statement of costs with a Nachzahlung and last year's Guthaben: both doubtful (not_with)")
    func nachzahlungAndGuthaben() throws {
        let analysis = analyze(
            """
            Hausverwaltung Sommer GmbH
            Nebenkostenabrechnung für den Zeitraum 01.01.2024 bis 31.12.2024
            Gesamtkosten Ihr Anteil 1.956,00 €
            Guthaben aus der Abrechnung 2023 (bereits verrechnet) 45,00 €
            Nachzahlung 156,00 €
            """)
        #expect(analysis.classification.classID == "betriebskostenabrechnung")
        let owed = try #require(analysis.fields.first { $0.key == "nachzahlung" })
        let credit = try #require(analysis.fields.first { $0.key == "guthaben" })
        #expect(owed.doubtful && credit.doubtful)
        #expect(owed.reason?.contains("stehen beide im Dokument") == true)
        let plain = analyze(
            """
            Hausverwaltung Sommer GmbH
            Nebenkostenabrechnung für den Zeitraum 01.01.2024 bis 31.12.2024
            Nachzahlung 156,00 €
            """)
        #expect(plain.fields.first { $0.key == "nachzahlung" }?.doubtful == false)
    }
}

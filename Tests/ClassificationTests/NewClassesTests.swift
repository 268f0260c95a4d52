import Foundation
import Testing

@testable import Classification

/// The classes of more of the real mail and the configuration they needed:
/// choice fields (who gives notice), the identity documents' machine-readable zone
/// (ICAO 9303 check digits) and the reason a class is sensitive.
@Suite("New classes")
struct NewClassesTests {
    let analyzer = TestResources.analyzer

    // MARK: - ICAO 9303 check digits, against the specimens published with the standard

    @Test("Check digits of the ICAO specimens (weights 7-3-1, A=10 … Z=35, < = 0)")
    func specimenCheckDigits() {
        #expect(MachineReadableZone.checkDigit(Array("L898902C3")) == 6)
        #expect(MachineReadableZone.checkDigit(Array("740812")) == 2)
        #expect(MachineReadableZone.checkDigit(Array("120415")) == 9)
        #expect(MachineReadableZone.checkDigit(Array("ZE184226B<<<<<")) == 1)
        #expect(MachineReadableZone.checkDigit(Array("D23145890")) == 7)
        #expect(MachineReadableZone.checkDigit(Array("T22000129")) == 3)
    }

    static let germanID = [
        "IDD<<T220001293<<<<<<<<<<<<<<<",
        "6408125<2010315D<<<<<<<<<<<<<4",
        "MUSTERMANN<<ERIKA<<<<<<<<<<<<<",
    ]
    static let passport = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ]

    private func zone(_ lines: [String]) -> MachineReadableZone? {
        MachineReadableZone.find(in: DocumentText(lines.joined(separator: "\n")).lines)
    }

    @Test("The German ID card specimen (TD1) and the ICAO passport specimen (TD3) pass every check digit")
    func specimensPass() throws {
        let card = try #require(zone(Self.germanID))
        #expect(card.format == .td1)
        #expect(card.checkDigits.count == 4)
        #expect(card.failedCheckDigits.isEmpty, "\(card.failedCheckDigits)")
        #expect(card.expiry == "2020-10-31")
        #expect(card.names.surname == "MUSTERMANN" && card.names.givenNames == "ERIKA")
        let pass = try #require(zone(Self.passport))
        #expect(pass.format == .td3)
        #expect(pass.checkDigits.count == 5)
        #expect(pass.failedCheckDigits.isEmpty, "\(pass.failedCheckDigits)")
        #expect(pass.expiry == "2012-04-15")
        #expect(pass.names.givenNames == "ANNA MARIA")
    }

    @Test("One altered digit fails its own check digit and the composite", arguments: [
        (1, 9, "2", ["Ablaufdatum", "Gesamtprüfziffer"]),  // expiry 2010 → 2210…
        (0, 6, "3", ["Dokumentnummer", "Gesamtprüfziffer"]),  // T22… → T32…
        (1, 0, "7", ["Geburtsdatum", "Gesamtprüfziffer"]),  // born 1964 → 1974
    ])
    func alteredDigitFails(line: Int, position: Int, digit: String, failing: [String]) throws {
        var lines = Self.germanID
        var chars = Array(lines[line])
        chars[position] = Character(digit)
        lines[line] = String(chars)
        let card = try #require(zone(lines))
        #expect(card.failedCheckDigits.map(\.covers) == failing)
    }

    @Test("OCR slips are undone where only digits may stand; miscounted fillers are re-padded")
    func ocrSlipsRepaired() throws {
        let read = [
            "IDD<<T220001293<<<<<<<<<<<<<<<<<",  // two fillers too many
            "64O8125 < 2O1O315D<<<<<<<<<<<4",  // O for 0, spaces, two fillers missing
            "MUSTERMANN<<ERIKA«<<<<<<<<<<",
        ]
        let card = try #require(zone(read))
        #expect(card.lines[1] == Self.germanID[1])
        #expect(card.failedCheckDigits.isEmpty)
        // Tesseract often sets each zone line apart as a paragraph.
        let spaced = try #require(zone([Self.germanID[0], "", Self.germanID[1], " ", Self.germanID[2]]))
        #expect(spaced.failedCheckDigits.isEmpty && spaced.format == .td1)
    }

    @Test("Noise in the name line's filler run (no check digit covers it) does not hide a passport's zone")
    func noisyNameLine() throws {
        let read = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<S<S<<SESSC<<", Self.passport[1]]
        let pass = try #require(zone(read))
        #expect(pass.format == .td3)
        #expect(pass.failedCheckDigits.isEmpty)
        #expect(pass.names.surname == "ERIKSSON")
    }

    @Test("A German document number has no vowels: O and A there are read back as 0 and 4; other issuers are left alone")
    func germanDocumentNumberRepaired() throws {
        var read = Self.germanID
        read[0] = "IDD<<T22OOO129A<<<<<<<<<<<<<<<"  // 0 read as O, the check digit 3 … as A would not be
        let card = try #require(zone(read))
        #expect(card.lines[0].hasPrefix("IDD<<T220001294"))
        #expect(card.failedCheckDigits.map(\.covers) == ["Dokumentnummer", "Gesamtprüfziffer"], "4 is not the check digit 3")
        read[0] = "IDD<<T22OOO1293<<<<<<<<<<<<<<<"
        #expect(try #require(zone(read)).failedCheckDigits.isEmpty)
        var foreign = Self.passport
        foreign[1] = "L898902C36UTO7408122F1204159ZE184226B<<<<<10".replacingOccurrences(of: "L898902C3", with: "L898902CA")
        #expect(try #require(zone(foreign)).lines[1].hasPrefix("L898902CA"))
    }

    @Test("Text without a zone has none; prose with a few '<' is not one")
    func noZone() {
        #expect(zone(["Name / Surname", "MUSTERMANN", "Gültig bis 31.10.2020"]) == nil)
        #expect(zone(["if a < b and b << c then a < c holds in every ordered set"]) == nil)
    }

    // MARK: - identity documents through the shipped pipeline.yml

    static func idCopy(zone: [String]) -> String {
        """
        Kopie des Ausweises (Vorder- und Rückseite)
        BUNDESREPUBLIK DEUTSCHLAND · PERSONALAUSWEIS
        Name / Surname
        MUSTERMANN
        Vornamen / Given names
        ERIKA
        Geburtstag / Date of birth
        12.08.1964
        Staatsangehörigkeit / Nationality
        DEUTSCH
        Gültig bis / Date of expiry
        31.10.2020
        Anschrift / Address
        51147 Köln
        Heidestraße 17
        """ + "\n" + zone.joined(separator: "\n")
    }

    @Test("An ID card copy is an 'ausweis': sensitive, only name and validity, the zone agrees")
    func identityDocument() throws {
        let analysis = analyzer.analyze(text: Self.idCopy(zone: Self.germanID))
        #expect(analysis.classification.classID == "ausweis")
        #expect(analysis.sensitive)
        #expect(Set(analysis.fields.map(\.key)) == ["nachname", "vorname", "gueltig_bis"])
        #expect(analysis.field("nachname")?.value == "MUSTERMANN")
        #expect(analysis.field("vorname")?.value == "ERIKA")
        let validity = try #require(analysis.field("gueltig_bis"))
        #expect(validity.value == "2020-10-31")
        #expect(!validity.doubtful, "\(validity.reason ?? "")")
        #expect(validity.checks.map(\.check) == ["mrz expiry"])
        #expect(validity.checks.first?.passed == true)
        #expect(analysis.reviewReasons.contains { $0.contains("besonders geschützte Klasse „Ausweis") && $0.contains("(Ausweisdokument") })
        #expect(!analysis.reviewReasons.contains { $0.contains("Art. 9") })
    }

    @Test("A zone whose check digit fails makes the document doubtful, naming the digit")
    func failingZoneIsDoubtful() throws {
        var zone = Self.germanID
        zone[1] = "6408125<2010315D<<<<<<<<<<<<<5"  // composite 4 → 5
        let analysis = analyzer.analyze(text: Self.idCopy(zone: zone))
        #expect(analysis.classification.classID == "ausweis")
        let validity = try #require(analysis.field("gueltig_bis"))
        #expect(validity.doubtful)
        #expect(validity.reason?.contains("Gesamtprüfziffer (gedruckt 5, berechnet 4)") == true, "\(validity.reason ?? "")")
        #expect(analysis.reviewReasons.contains { $0.hasPrefix("Angabe „") && $0.contains("zweifelhaft: Prüfziffern der maschinenlesbaren Zone") })
    }

    @Test("A visual zone that disagrees with an intact machine-readable zone is doubtful")
    func disagreementIsDoubtful() throws {
        let text = Self.idCopy(zone: Self.germanID).replacingOccurrences(of: "31.10.2020", with: "31.10.2030")
        let validity = try #require(analyzer.analyze(text: text).field("gueltig_bis"))
        #expect(validity.doubtful)
        #expect(validity.reason?.contains("weicht von der maschinenlesbaren Zone ab (Ablaufdatum: „31.10.2020“)") == true)
    }

    @Test("The front side alone (no zone) is recognised; nothing is claimed about a zone")
    func frontSideOnly() throws {
        let analysis = analyzer.analyze(text: Self.idCopy(zone: []))
        #expect(analysis.classification.classID == "ausweis")
        let validity = try #require(analysis.field("gueltig_bis"))
        #expect(!validity.doubtful)
        #expect(validity.checks.isEmpty)
    }

    // MARK: - choice fields: who gives notice

    static func notice(_ body: String) -> String {
        """
        Ruhrwohnen Immobilien GmbH
        Westfalendamm 87 · 44141 Dortmund
        Herrn Peter Schmidt
        Am Markt 3
        12049 Berlin
        Datum: 12.05.2025
        \(body)
        Mit freundlichen Grüßen
        """
    }

    @Test("Who gives notice, and when it takes effect", arguments: [
        (
            "Kündigung des Mietverhältnisses\nhiermit kündigen wir das Mietverhältnis über die Wohnung wegen Eigenbedarfs fristgerecht zum 31.08.2025.\nBitte geben Sie alle Schlüssel bei der Wohnungsübergabe zurück.",
            "vermieter", "2025-08-31"
        ),
        (
            "Kündigung des Arbeitsverhältnisses\nhiermit kündigen wir das Arbeitsverhältnis ordentlich zum 30. Juni 2025.\nIhr Arbeitszeugnis und die letzte Entgeltabrechnung erhalten Sie mit getrennter Post.",
            "arbeitgeber", "2025-06-30"
        ),
        (
            "Kündigung Ihres Stromliefervertrages\nwegen offener Zahlungen kündigen wir den Stromliefervertrag für Ihre Lieferstelle mit Wirkung zum\n15.07.2025. Die Schlussrechnung erhalten Sie nach Ablesung des Zählers.",
            "versorger", "2025-07-15"
        ),
    ])
    func whoGivesNotice(body: String, who: String, effective: String) throws {
        let analysis = analyzer.analyze(text: Self.notice(body))
        #expect(analysis.classification.classID == "kuendigung")
        let party = try #require(analysis.field("gekuendigt_durch"))
        #expect(party.value == who)
        #expect(!party.doubtful)
        #expect(party.anchor == "choices")
        #expect(analysis.field("wirksam_zum")?.value == effective)
    }

    @Test("A letter naming employer and landlord equally is doubtful, naming both")
    func tiedChoiceIsDoubtful() throws {
        let body = "Kündigung\nhiermit kündigen wir das Arbeitsverhältnis und das Mietverhältnis über die Räume im Betrieb fristgerecht zum 31.12.2025."
        let party = try #require(analyzer.analyze(text: Self.notice(body)).field("gekuendigt_durch"))
        #expect(party.value == "arbeitgeber")
        #expect(party.doubtful)
        #expect(party.reason?.contains("ebenso für „vermieter“ wie für „arbeitgeber“") == true, "\(party.reason ?? "")")
    }

    @Test("A gym's notice is a Kündigung, but not one the Jobcenter needs: it stays 'sonstiges'")
    func gymNoticeStaysUnknown() {
        let body = "Kündigung Ihrer Mitgliedschaft\nIhre Mitgliedschaft im Studio endet fristgerecht zum 30.06.2025. Die Beiträge werden bis zum Vertragsende eingezogen."
        #expect(analyzer.analyze(text: Self.notice(body)).classification.classID == "sonstiges")
    }

    @Test("A rent contract and an employment contract mention notice periods but are no notice")
    func contractsAreNotNotices() {
        #expect(analyzer.analyze(text: SampleDocuments.mietvertrag).classification.classID == "mietvertrag")
        let contract = """
            Logistikzentrum Westfalen GmbH
            Arbeitsvertrag
            Zwischen Logistikzentrum Westfalen GmbH – nachfolgend „Arbeitgeber“ genannt – und Herrn Peter Schmidt
            1 Beginn des Arbeitsverhältnisses
            Das Arbeitsverhältnis beginnt am 01.04.2025. Die ersten sechs Monate gelten als Probezeit.
            3. Arbeitszeit
            Die regelmäßige wöchentliche Arbeitszeit beträgt 30 Stunden.
            4. Vergütung
            Der Arbeitnehmer erhält ein monatliches Bruttogehalt von 2.150,00 €.
            Nach der Probezeit gelten die gesetzlichen Kündigungsfristen. Jede Kündigung bedarf der Schriftform.
            """
        let analysis = analyzer.analyze(text: contract)
        #expect(analysis.classification.classID == "arbeitsvertrag")
        #expect(analysis.field("arbeitgeber")?.value == "Logistikzentrum Westfalen GmbH")
        #expect(analysis.field("arbeitsbeginn")?.value == "2025-04-01")
        #expect(analysis.field("wochenstunden")?.value == "30")
        #expect(analysis.field("brutto_monatlich")?.value == "2150.00")
    }

    @Test("Electricity and gas bills: supplier, kind of energy, period, result and the new instalment")
    func energyBill() {
        let bill = """
            Energieversorgung Rhein-Ruhr AG
            Kruppstraße 30 · 45128 Essen
            Jahresabrechnung Erdgas 2024
            Abrechnungszeitraum: 1. Januar 2024 - 31. Dezember 2024
            Nachfolgend erhalten Sie die Abrechnung Ihres Erdgasverbrauchs.
            Arbeitspreis 11234 kWh x 12,40 ct 1.393,02 €
            Grundpreis 12 Monate 165,00 €
            Ihr Guthaben 118,40 €
            Ihr neuer monatlicher Abschlag 121,00 €
            """
        let analysis = analyzer.analyze(text: bill)
        #expect(analysis.classification.classID == "energierechnung")
        #expect(analysis.field("versorger")?.value == "Energieversorgung Rhein-Ruhr AG")
        #expect(analysis.field("energieart")?.value == "gas")
        #expect(analysis.field("zeitraum_von")?.value == "2024-01-01")
        #expect(analysis.field("zeitraum_bis")?.value == "2024-12-31")
        #expect(analysis.field("guthaben")?.value == "118.40")
        #expect(analysis.field("abschlag")?.value == "121.00")
        #expect(analysis.field("nachzahlung") == nil)
    }

    // MARK: - configuration errors name file:line:column and what is accepted

    private func error(_ yaml: String) -> ConfigurationError? {
        do {
            _ = try PipelineConfiguration(yaml: yaml, sourceName: "pipeline.yml")
            return nil
        } catch let error as ConfigurationError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    /// A valid configuration with one class whose fields are `fields` (YAML, indented for
    /// the field list).
    private func configuration(fields: String, classExtra: String = "") -> String {
        ConfigurationTests.header + """
          - id: kuendigung
            label: Kündigung
        \(classExtra)    threshold: 4
            rules:
              - phrase: Kündigung
                weight: 5
            fields:
        \(fields)
          - id: sonstiges
            label: Sonstiges
        """
    }

    @Test("A valid choice field and mrz check load")
    func validExtensionsLoad() throws {
        let yaml = configuration(
            fields: """
                      - key: durch
                        type: text
                        choices:
                          arbeitgeber: [Arbeitsverhältnis]
                          vermieter: Mietverhältnis
                      - key: gueltig_bis
                        type: date
                        labels: [Gültig bis]
                        checks:
                          - mrz: expiry
                """, classExtra: "    sensitive: true\n    sensitive_reason: 'identity document'\n")
        let loaded = try PipelineConfiguration(yaml: yaml)
        let documentClass = try #require(loaded.documentClass("kuendigung"))
        #expect(documentClass.fields[0].choices.map(\.value) == ["arbeitgeber", "vermieter"])
        #expect(documentClass.fields[1].checks == [.mrz(.expiry)])
        #expect(documentClass.sensitivityNote == "identity document")
    }

    @Test("Mistakes in the new keys are located and say what is accepted", arguments: [
        (
            "      - key: durch\n        type: amount\n        choices:\n          a: [x]\n          b: [y]", 22, 9,
            "choices apply to text fields only"
        ),
        ("      - key: durch\n        type: text\n        choices:\n          a: [x]", 23, 11, "need at least two values"),
        (
            "      - key: durch\n        type: text\n        choices:\n          Arbeitgeber: [x]\n          b: [y]", 23, 11,
            "must be a lower-case identifier"
        ),
        (
            "      - key: durch\n        type: text\n        labels: [von]\n        choices:\n          a: [x]\n          b: [y]",
            23, 9, "decided by its phrases alone"
        ),
        ("      - key: bis\n        type: date\n        labels: [bis]\n        checks:\n          - mrz: expirey", 24, 18,
         "unknown MRZ element 'expirey' on field 'bis' of class 'kuendigung' (accepted: expiry, surname, given_names; an identity document yields nothing else); did you mean 'expiry'?"),
        ("      - key: name\n        type: text\n        labels: [Name]\n        checks:\n          - mrz: expiry", 24, 13,
         "mrz: expiry applies to date fields only"),
    ])
    func locatedErrors(fields: String, line: Int, column: Int, message: String) throws {
        let found = try #require(error(configuration(fields: fields)))
        #expect(found.file == "pipeline.yml")
        #expect(found.message.contains(message), "\(found)")
        #expect(found.line == line && found.column == column, "\(found)")
    }

    @Test("sensitive_reason without sensitive: true is refused")
    func reasonNeedsSensitive() throws {
        let found = try #require(
            error(
                configuration(
                    fields: "      - key: a\n        type: text\n        labels: [A]",
                    classExtra: "    sensitive_reason: 'identity document'\n")))
        #expect(found.message.contains("sensitive_reason needs 'sensitive: true'"))
        #expect(found.line == 15)
    }

    // MARK: - the shipped rules tell the new classes apart

    @Test("Each new class is recognised from its typical wording", arguments: [
        ("Thermocount Abrechnungsdienst GmbH\nHeizkostenabrechnung 2024\nAbrechnungszeitraum: 01.01.2024 - 31.12.2024\nVerteilung nach der Heizkostenverordnung: Grundkosten 30 %, Verbrauchskosten 70 %\nNachzahlung 84,10 €", "heizkostenabrechnung"),
        ("Logistikzentrum Westfalen GmbH\nEinkommensbescheinigung\nNachweis über die Höhe des Arbeitsentgelts – vom Arbeitgeber auszufüllen\nBruttoarbeitsentgelt 1.250,00 €\nNettoarbeitsentgelt 980,00 €", "einkommensbescheinigung"),
        ("Deutsche Rentenversicherung Westfalen\nRentenbescheid – Regelaltersrente\nDie Rente beginnt am 01.04.2025.\nZahlbetrag 1.043,17 €", "rentenbescheid"),
        ("Stadt Essen\nAmt für Wohnen – Wohngeldstelle\nWohngeldbescheid\nIhnen wird Wohngeld (Mietzuschuss) bewilligt.\nBewilligungszeitraum: 01.02.2025 bis 31.01.2026", "wohngeldbescheid"),
        ("Stadt Köln\nBürgeramt\nMeldebescheinigung\nnach Paragraf 18 Bundesmeldegesetz (BMG)\nWohnungsstatus: Hauptwohnung\nEinzugsdatum: 15.11.2024", "meldebescheinigung"),
        ("Gesamtschule Köln-Kalk\nSchulbescheinigung\nHiermit wird bescheinigt, dass Mia Becker im Schuljahr 2024/2025 die Klasse 8b unserer Schule besucht.", "schulbescheinigung"),
        ("Funkfix Mobilfunk GmbH\nIhre Mobilfunkrechnung März 2025\nAbrechnungszeitraum: 01.03.2025 - 31.03.2025\nGrundgebühr Tarif Allnet S 9,99 €\nRechnungsbetrag 14,47 €", "sonstiges"),
    ])
    func recognised(text: String, expected: String) {
        let analysis = analyzer.analyze(text: text)
        #expect(analysis.classification.classID == expected, "\(analysis.classification.scores.prefix(3).map { "\($0.classID) \($0.score)" })")
    }
}

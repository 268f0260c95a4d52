import Testing

@testable import Classification

@Suite("Case matching")
struct CaseMatcherTests {
    private func match(_ text: String, sidecar: String? = nil, barcodes: [String] = []) -> CaseMatch {
        CaseMatcher(settings: TestResources.configuration.caseMatching, register: TestResources.register)
            .match(DocumentText(text), claims: .sidecar(sidecar), barcodes: barcodes)
    }

    @Test("A registered sidecar case decides")
    func sidecar() {
        let result = match("Kontoauszug", sidecar: "96301 BG 0067890")
        #expect(result.caseID == "96301BG0067890")
        #expect(result.route == .sidecar)
    }

    @Test("A sidecar naming an unknown case gives no case")
    func unknownSidecar() {
        let result = match("Frau Anna Müller\nHauptstraße 12\n10115 Berlin", sidecar: "96301BG0099999")
        #expect(result.caseID == nil)
        #expect(result.route == .none)
        #expect(result.reasons.first?.code == .namedCaseNotRegistered)
        #expect(result.candidates.map(\.caseID) == ["96301BG0012345"])
    }

    @Test("A sidecar contradicted by the number in the text gives no case")
    func sidecarConflict() {
        let result = match("BG-Nummer: 96301BG0012345", sidecar: "96301BG0067890")
        #expect(result.caseID == nil)
        #expect(result.route == .none)
    }

    private func match(_ text: String, claims: CaseClaims) -> CaseMatch {
        CaseMatcher(settings: TestResources.configuration.caseMatching, register: TestResources.register)
            .match(DocumentText(text), claims: claims, barcodes: [])
    }

    private static let anna = "Frau Anna Müller\nHauptstraße 12\n10115 Berlin"

    @Test("A sidecar from a trusted channel decides, and says which channel")
    func trustedChannel() {
        let claim = CaseClaims.SidecarClaim(caseID: "96301 BG 0067890", standing: .trustedChannel("poststelle"))
        let result = match("Kontoauszug", claims: CaseClaims(sidecar: claim))
        #expect(result.caseID == "96301BG0067890")
        #expect(result.route == .trustedChannel)
        #expect(result.reasons.map(\.code) == [.namedCase])
        #expect(result.reasons[0].german == "Die Begleitdatei aus dem vertrauenswürdigen Kanal 'poststelle' nennt den registrierten Fall 96301BG0067890")
    }

    @Test("A sidecar from an untrusted channel stands only when the content names the same household")
    func untrustedClaim() {
        let confirmed = match(Self.anna, claims: CaseClaims(sidecar: .init(caseID: "96301BG0012345", standing: .claim(channel: "app"))))
        #expect(confirmed.caseID == "96301BG0012345")
        #expect(confirmed.route == .name)
        #expect(confirmed.reasons.map(\.code) == [.nameConfirmed, .claimConfirmed])

        let refused = match(Self.anna, claims: CaseClaims(sidecar: .init(caseID: "96301BG0067890", standing: .claim(channel: "app"))))
        #expect(refused.caseID == nil)
        #expect(refused.route == .none)
        #expect(refused.reasons.map(\.code) == [.claimNotConfirmed])
        #expect(refused.reasons[0].german.contains("der Inhalt des Dokuments verweist auf 96301BG0012345"))
        #expect(refused.reasons[0].english.contains("the document's content points to 96301BG0012345"))
        #expect(refused.candidates.map(\.caseID) == ["96301BG0012345"])
    }

    @Test("A cover sheet's registered case decides before the content; an unregistered one or a contradicting sidecar gives no case")
    func coverSheet() {
        let cover = CaseClaims.CoverClaim(page: 1, caseID: "96301BG0067890")
        let named = match("Mietbescheinigung", claims: CaseClaims(cover: cover))
        #expect(named.caseID == "96301BG0067890")
        #expect(named.route == .coverSheet)
        #expect(named.reasons[0].german == "Das Deckblatt auf Seite 1 nennt den registrierten Fall 96301BG0067890")

        let unknown = match(Self.anna, claims: CaseClaims(cover: .init(page: 3, caseID: "96301BG0099999")))
        #expect(unknown.caseID == nil)
        #expect(unknown.reasons.map(\.code) == [.namedCaseNotRegistered])
        #expect(unknown.reasons[0].german.hasPrefix("Das Deckblatt auf Seite 3 nennt den Fall 96301BG0099999, der nicht im Fallregister steht"))

        let sidecar = CaseClaims.SidecarClaim(caseID: "96301BG0012345", standing: .operatorsOwn)
        let conflict = match("Mietbescheinigung", claims: CaseClaims(sidecar: sidecar, cover: cover))
        #expect(conflict.caseID == nil)
        #expect(conflict.reasons.map(\.code) == [.coverContradictsSidecar])

        // Contradicted by a number in the document like a sidecar would be.
        let contradicted = match("BG-Nummer: 96301BG0012345", claims: CaseClaims(cover: cover))
        #expect(contradicted.caseID == nil)
        #expect(contradicted.reasons.map(\.code) == [.namedCaseContradicted])
    }

    @Test("A name confirmed by its address reads in German, with the English beside it")
    func nameReasonInGerman() {
        let result = match("Mietbescheinigung\n" + Self.anna)
        #expect(result.route == .name)
        #expect(result.reasons.map(\.german) == ["Name einer registrierten Person in Zeile 2, bestätigt durch Straße und Postleitzahl"])
        #expect(result.reasons.map(\.english) == ["name of a registered person on line 2, confirmed by street and postcode"])
    }

    @Test("A barcode payload carrying a registered BG-Nummer decides")
    func barcode() {
        let result = match("Deckblatt", barcodes: ["POSTEINGANG;BG=96301BG0012345;SEITEN=3"])
        #expect(result.caseID == "96301BG0012345")
        #expect(result.route == .barcode)
    }

    @Test("A barcode with a number not in the register gives no case")
    func unknownBarcode() {
        let result = match("Deckblatt", barcodes: ["96301BG0099999"])
        #expect(result.caseID == nil)
        #expect(result.route == .none)
    }

    @Test(
        "A registered BG-Nummer in the text decides, in any printed form",
        arguments: ["BG-Nummer: 96301BG0012345", "Nummer der BG 96301 BG 0012345", "Az. 96301//0012345", "BG-Nr. 963O1BG00I2345"])
    func bgNumber(text: String) {
        let result = match("Sehr geehrte Damen und Herren,\n" + text)
        #expect(result.caseID == "96301BG0012345")
        #expect(result.route == .number)
    }

    @Test("A BG-Nummer whose 'BG' OCR read as '86' decides when registered; an unregistered digit run is ignored")
    func bgReadAsDigits() {
        let registered = match("BG-Nummer: |96301860012345")
        #expect(registered.caseID == "96301BG0012345")
        #expect(registered.route == .number)
        let other = match("Referenz 12345860000001\nFrau Anna Müller, Hauptstraße 12, 10115 Berlin")
        #expect(other.caseID == "96301BG0012345")
        #expect(other.route == .name)
    }

    @Test("A registered Kundennummer in the text decides for that person's household")
    func kundennummer() {
        let result = match("Kundennummer: 963D654321\nIhr Antrag vom 01.03.2025")
        #expect(result.caseID == "96301BG0067890")
        #expect(result.route == .number)
    }

    @Test("A BG-Nummer not in the register gives no case")
    func unknownNumber() {
        let result = match("BG-Nummer 96301BG0099999\nAnna Müller, Hauptstraße 12, 10115 Berlin")
        #expect(result.caseID == nil)
        #expect(result.route == .none)
        #expect(result.reasons.contains { $0.code == .numberNotRegistered && $0.german.contains("96301BG0099999") })
    }

    @Test("Numbers of two households give no case, both listed")
    func twoNumbers() {
        let result = match("96301BG0012345\n96301BG0067890")
        #expect(result.caseID == nil)
        #expect(result.candidates.map(\.caseID) == ["96301BG0012345", "96301BG0067890"])
    }

    @Test("A number of one household with the name of another gives no case")
    func numberNameConflict() {
        let result = match("BG-Nummer 96301BG0012345\nHerrn Peter Schmidt\nAm Markt 3\n12049 Berlin")
        #expect(result.caseID == nil)
        #expect(result.route == .none)
        #expect(Set(result.candidates.map(\.caseID)) == ["96301BG0012345", "96301BG0067890"])
    }

    @Test(
        "Name with street or postcode decides, umlaut- and OCR-tolerant",
        arguments: [
            "Frau Anna Müller\nHauptstraße 12\n10115 Berlin", "Anna Mueller, Hauptstr. 12", "MULLER, ANNA\n10115 Berlin",
            "Frau Anna Müler\nHauptstrasse 12",
        ])
    func name(text: String) {
        let result = match("Mietbescheinigung\n" + text)
        #expect(result.caseID == "96301BG0012345")
        #expect(result.route == .name)
    }

    @Test("A name found without its address gives no case")
    func nameWithoutAddress() {
        let result = match("Sehr geehrte Frau Anna Müller,\nanbei die Unterlagen.")
        #expect(result.caseID == nil)
        #expect(result.route == .none)
        #expect(result.candidates.map(\.caseID) == ["96301BG0012345"])
    }

    @Test("The same name in two households at the same postcode gives no case")
    func ambiguousName() {
        let result = match("Herrn Thomas Weber\n50667 Köln")
        #expect(result.caseID == nil)
        #expect(result.route == .none)
        #expect(result.candidates.map(\.caseID) == ["96301BG0011111", "96301BG0022222"])
    }

    @Test("The same name in two households is told apart by the street")
    func nameToldApartByStreet() {
        let result = match("Herrn Thomas Weber\nBirkenweg 7\n50667 Köln")
        #expect(result.caseID == "96301BG0022222")
        #expect(result.route == .name)
    }

    @Test("A person not in the register gives no case, even at a registered address")
    func unknownPerson() {
        let result = match("Frau Erika Mustermann\nHauptstraße 12\n10115 Berlin")
        #expect(result.caseID == nil)
        #expect(result.route == .none)
        #expect(result.candidates.isEmpty)
    }

    @Test("Names match whole words only", arguments: ["Thomas Webermann\nLindenallee 5", "Annabell Müllerschön\nHauptstraße 12"])
    func tokenBoundaries(text: String) {
        #expect(match(text).caseID == nil)
    }
}

@Suite("Street keys")
struct StreetKeyTests {
    @Test(
        "Street keys drop house numbers and additions",
        arguments: [
            ("Hauptstraße 12a", "hauptstr"), ("Am Markt 3, Hinterhaus", "ammarkt"), ("Lindenallee 5", "lindenallee"),
            ("Berliner Str. 7", "berlinerstr"),
        ])
    func streetKey(street: String, key: String) {
        #expect(CaseMatcher.streetKey(street) == key)
    }
}

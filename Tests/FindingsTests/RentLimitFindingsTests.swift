import Akte
import Classification
import Foundation
import Testing

@testable import Findings

@Suite("Findings: rent against the local limit")
struct RentLimitFindingsTests {
    @Test("a rent contract over the Köln limits for two persons raises all three findings with their figures")
    func overLimits() throws {
        let fixture = try FindingsFixture(persons: 2)
        let id = try fixture.file(
            "mietvertrag",
            ["kaltmiete": "650.00", "nebenkosten": "162.00", "heizkosten": "120.00", "gesamtmiete": "932.00", "wohnflaeche": "72.5"],
            received: "2025-02-03")

        let kdu = try fixture.findings(.kduOverLimit)
        #expect(kdu.count == 1)
        #expect(
            kdu.first?.message
                == "Die Bruttokaltmiete laut Mietvertrag vom 03.02.2025 beträgt 812,00 € (Kaltmiete 650,00 € + Nebenkosten 162,00 €) und liegt 24,00 € über der Angemessenheitsgrenze von 788,00 € für 2 Personen (Köln (Beispielwerte), gültig ab 01.01.2022)."
        )
        #expect(kdu.first?.documentIDs == [id])
        #expect(kdu.first?.severity == .warning)
        #expect(kdu.first?.figures["limit"] == "788.00")
        #expect(kdu.first?.figures["difference"] == "24.00")

        let area = try fixture.findings(.wohnflaecheOverLimit)
        #expect(
            area.first?.message
                == "Die Wohnfläche laut Mietvertrag vom 03.02.2025 beträgt 72,5 m² und liegt 7,5 m² über der angemessenen Wohnfläche von 65 m² für 2 Personen (Köln (Beispielwerte), gültig ab 01.01.2022)."
        )

        let heating = try fixture.findings(.heizkostenOverLimit)
        #expect(
            heating.first?.message
                == "Die Heizkosten laut Mietvertrag vom 03.02.2025 betragen 120,00 € für 72,5 m², also 1,66 €/m², und liegen über der Grenze von 1,30 €/m² (höchstens 94,25 €, 25,75 € darüber; Köln (Beispielwerte), gültig ab 01.01.2022)."
        )
        #expect(heating.first?.figures["difference"] == "25.75")
    }

    @Test("rent exactly at the limits raises nothing")
    func atTheEdge() throws {
        let fixture = try FindingsFixture(persons: 2)
        // 600 + 188 = 788 €; 65 m²; 84,50 € = 1,30 €/m² × 65 m².
        try fixture.file(
            "mietbescheinigung", ["kaltmiete": "600.00", "nebenkosten": "188.00", "heizkosten": "84.50", "wohnflaeche": "65"],
            received: "2025-02-03")
        #expect(try fixture.findings().isEmpty)
    }

    @Test("a larger household has larger limits: five persons 1.251 €, six 1.409 €; 110 m² for five")
    func householdSize() throws {
        let six = try FindingsFixture(persons: 6)
        try six.file("mietvertrag", ["kaltmiete": "1200.00", "nebenkosten": "209.00", "wohnflaeche": "110"], received: "2025-02-03")
        #expect(try six.findings().isEmpty)

        let five = try FindingsFixture(persons: 5)
        try five.file("mietvertrag", ["kaltmiete": "1200.00", "nebenkosten": "52.00", "wohnflaeche": "110.5"], received: "2025-02-03")
        #expect(try five.findings(.kduOverLimit).first?.figures["limit"] == "1251.00")
        #expect(try five.findings(.wohnflaecheOverLimit).first?.figures["limit"] == "110")
    }

    @Test("without kaltmiete and nebenkosten the Bruttokaltmiete is Gesamtmiete less Heizkosten")
    func fromTotal() throws {
        let fixture = try FindingsFixture(persons: 1)
        try fixture.file("mietbescheinigung", ["gesamtmiete": "800.00", "heizkosten": "60.00"], received: "2025-02-03")
        let kdu = try fixture.findings(.kduOverLimit)
        #expect(kdu.first?.figures["bruttokaltmiete"] == "740.00")
        #expect(kdu.first?.message.contains("(Gesamtmiete 800,00 € − Heizkosten 60,00 €) und liegt 89,00 € über der Angemessenheitsgrenze von 651,00 € für 1 Person") == true)
    }

    @Test("a document is judged by the limits in force on the day it came in, and by its area's limits")
    func byDateAndArea() throws {
        let settings = FindingSettings(rentLimits: [
            RentLimitPeriod(
                name: "Stadt", validFrom: "2022-01-01", postcodes: nil, bruttokaltmiete: [500, 600], bruttokaltmieteEachFurther: 100,
                wohnflaeche: [50, 65], wohnflaecheEachFurther: 15, heizkostenPerSquareMetre: nil),
            RentLimitPeriod(
                name: "Stadt", validFrom: "2024-01-01", postcodes: nil, bruttokaltmiete: [550, 700], bruttokaltmieteEachFurther: 100,
                wohnflaeche: [50, 65], wohnflaecheEachFurther: 15, heizkostenPerSquareMetre: nil),
            RentLimitPeriod(
                name: "Innenstadt", validFrom: "2023-01-01", postcodes: ["50667"], bruttokaltmiete: [600, 800],
                bruttokaltmieteEachFurther: 100, wohnflaeche: [50, 65], wohnflaecheEachFurther: 15, heizkostenPerSquareMetre: nil),
        ])
        let engine = FindingsEngine(settings: settings, classLabels: ["mietvertrag": "Mietvertrag"])
        let rent = ["kaltmiete": "550.00", "nebenkosten": "100.00"]  // 650 €

        // Outside the listed area: 2023 judged by 2022's 600 € (over), 2024 by 2024's 700 € (within).
        let suburb = try FindingsFixture(persons: 2, postcode: "51063")
        let early = try suburb.file("mietvertrag", rent, received: "2023-12-31")
        try suburb.file("mietvertrag", rent, received: "2024-01-01")
        let found = try suburb.findings(.kduOverLimit, engine)
        #expect(found.map(\.documentIDs) == [[early]])
        #expect(found.first?.figures["limit"] == "600.00")
        #expect(found.first?.message.hasSuffix("(Stadt, gültig ab 01.01.2022).") == true)

        // Before any period: nothing to judge by.
        let old = try FindingsFixture(persons: 2, postcode: "51063")
        try old.file("mietvertrag", rent, received: "2021-12-31")
        #expect(try old.findings(.kduOverLimit, engine).isEmpty)

        // In the listed area from 2023: 800 €, so within; in 2022 the default applies (600 €).
        let centre = try FindingsFixture(persons: 2, postcode: "50667")
        try centre.file("mietvertrag", rent, received: "2023-06-01")
        let before = try centre.file("mietvertrag", rent, received: "2022-06-01")
        let centreFound = try centre.findings(.kduOverLimit, engine)
        #expect(centreFound.map(\.documentIDs) == [[before]])
        #expect(centreFound.first?.figures["limits_area"] == "Stadt")
    }

    @Test("documents still in review and other households' documents are not judged")
    func onlyFiled() throws {
        let fixture = try FindingsFixture(persons: 1)
        try fixture.file("mietvertrag", ["kaltmiete": "900.00", "nebenkosten": "100.00"], received: "2025-02-03", status: .needsReview)
        #expect(try fixture.findings().isEmpty)
    }
}

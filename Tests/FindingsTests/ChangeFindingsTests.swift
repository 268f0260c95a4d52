import Akte
import Foundation
import Testing

@testable import Findings

@Suite("Findings: changes to report")
struct ChangeFindingsTests {
    func payslip(_ month: String, net: String, employer: String = "Müller Logistik GmbH") -> [String: String] {
        ["abrechnungsmonat": month, "netto": net, "brutto": "2000.00", "arbeitgeber": employer]
    }

    @Test("a net pay 17,9 % above the previous payslip's is a change; the shipped share is 10 %")
    func incomeChanged() throws {
        let fixture = try FindingsFixture()
        let february = try fixture.file("lohnabrechnung", payslip("2025-02", net: "1400.00"), received: "2025-03-03")
        let march = try fixture.file("lohnabrechnung", payslip("2025-03", net: "1650.00"), received: "2025-04-02")
        let found = try fixture.findings(.incomeChanged)
        #expect(found.count == 1)
        #expect(found.first?.documentIDs == [february, march])
        #expect(
            found.first?.message
                == "Der Nettolohn für 03/2025 beträgt 1.650,00 € und ist 250,00 € (17,9 %) höher als in der vorigen Lohnabrechnung für 02/2025 (1.400,00 €); gemeldet wird eine Änderung von mehr als 10 %."
        )
        #expect(found.first?.figures["difference"] == "250.00")
    }

    @Test("the same net pay, and a change of exactly 10 %, are not a change; a fall is")
    func incomeWithin() throws {
        let fixture = try FindingsFixture()
        try fixture.file("lohnabrechnung", payslip("2025-01", net: "1400.00"), received: "2025-02-03")
        try fixture.file("lohnabrechnung", payslip("2025-02", net: "1400.00"), received: "2025-03-03")
        try fixture.file("lohnabrechnung", payslip("2025-03", net: "1540.00"), received: "2025-04-02")
        #expect(try fixture.findings().isEmpty)
        try fixture.file("lohnabrechnung", payslip("2025-04", net: "1200.00"), received: "2025-05-02")
        let found = try fixture.findings(.incomeChanged)
        #expect(found.first?.message.contains("ist 340,00 € (22,1 %) niedriger als in der vorigen Lohnabrechnung für 03/2025 (1.540,00 €)") == true)
    }

    @Test("a payslip of another employer is a new employer, not an income change; the same name in capitals is not")
    func newEmployer() throws {
        let fixture = try FindingsFixture()
        try fixture.file("lohnabrechnung", payslip("2025-01", net: "1400.00"), received: "2025-02-03")
        try fixture.file("lohnabrechnung", payslip("2025-02", net: "1400.00", employer: "MÜLLER LOGISTIK GMBH"), received: "2025-03-03")
        #expect(try fixture.findings().isEmpty)
        let id = try fixture.file("lohnabrechnung", payslip("2025-03", net: "900.00", employer: "Bäckerei Schmidt"), received: "2025-04-02")
        let found = try fixture.findings()
        #expect(found.map(\.code) == [.newEmployer])
        #expect(found.first?.documentIDs == [id])
        #expect(
            found.first?.message
                == "Die Lohnabrechnung für 03/2025 nennt den Arbeitgeber „Bäckerei Schmidt“, der in den früheren Lohnabrechnungen nicht vorkommt (bisher: „Müller Logistik GmbH“)."
        )
    }

    @Test("a statement of an account not seen before is a new IBAN; the known IBAN is not")
    func newIBAN() throws {
        let fixture = try FindingsFixture()
        try fixture.file("kontoauszug", ["iban": "DE89370400440532013000"], received: "2025-02-03")
        try fixture.file("kontoauszug", ["iban": "DE89370400440532013000"], received: "2025-03-03")
        #expect(try fixture.findings().isEmpty)
        let id = try fixture.file("kontoauszug", ["iban": "DE46330600980105511873"], received: "2025-04-02")
        let found = try fixture.findings(.newIBAN)
        #expect(found.map(\.documentIDs) == [[id]])
        #expect(found.first?.severity == .info)
        #expect(
            found.first?.message
                == "Kontoauszug vom 02.04.2025 nennt das Konto DE46 3306 0098 0105 5118 73, das in den Unterlagen bisher nicht vorkam (bekannt: DE89 3704 0044 0532 0130 00)."
        )
    }

    @Test("a rent certificate with another rent than the contract is a rent change; the same rent is not")
    func rentChanged() throws {
        let fixture = try FindingsFixture(persons: 3)
        let rent = ["kaltmiete": "450.00", "nebenkosten": "120.00", "heizkosten": "60.00", "gesamtmiete": "630.00"]
        let contract = try fixture.file("mietvertrag", rent, received: "2025-01-10")
        try fixture.file("mietbescheinigung", rent, received: "2025-02-10")
        #expect(try fixture.findings().isEmpty)
        var raised = rent
        raised["kaltmiete"] = "500.00"
        raised["gesamtmiete"] = "680.00"
        let certificate = try fixture.file("mietbescheinigung", raised, received: "2025-03-10")
        let found = try fixture.findings(.rentChanged)
        #expect(found.count == 1)
        #expect(found.first?.documentIDs.last == certificate)
        #expect(found.first?.documentIDs.first != contract)  // compared with the latest, the February certificate
        #expect(
            found.first?.message
                == "Die Miete laut Mietbescheinigung vom 10.03.2025 weicht von Mietbescheinigung vom 10.02.2025 ab: Kaltmiete 500,00 € statt 450,00 € (+50,00 €), Gesamtmiete 680,00 € statt 630,00 € (+50,00 €)."
        )
    }

    @Test("a notice of termination is a finding that says who gave notice and to when")
    func notice() throws {
        let fixture = try FindingsFixture()
        let id = try fixture.file("kuendigung", ["gekuendigt_durch": "vermieter", "wirksam_zum": "2025-06-30"], received: "2025-03-03")
        let found = try fixture.findings()
        #expect(found.map(\.code) == [.noticeReceived])
        #expect(found.first?.documentIDs == [id])
        #expect(found.first?.message == "Kündigung durch den Vermieter eingegangen am 03.03.2025, wirksam zum 30.06.2025.")
    }
}

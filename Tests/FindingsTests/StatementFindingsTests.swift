import Akte
import Foundation
import Testing

@testable import Findings

@Suite("Findings: bank statements without gaps")
struct StatementFindingsTests {
    static let iban = "DE89370400440532013000"

    func statement(_ from: String, _ to: String, opening: String?, closing: String?, iban: String = iban) -> [String: String] {
        var fields = ["iban": iban, "zeitraum_von": from, "zeitraum_bis": to]
        fields["saldo_alt"] = opening
        fields["saldo_neu"] = closing
        return fields
    }

    @Test("three statements: a gap of one day between the first two, a balance mismatch between the last two")
    func gapAndMismatch() throws {
        let fixture = try FindingsFixture()
        let january = try fixture.file("kontoauszug", statement("2025-01-01", "2025-01-31", opening: "100.00", closing: "250.00"), received: "2025-03-05")
        let february = try fixture.file("kontoauszug", statement("2025-02-02", "2025-02-28", opening: "250.00", closing: "80.00"), received: "2025-03-05")
        let march = try fixture.file("kontoauszug", statement("2025-03-01", "2025-03-31", opening: "90.50", closing: "40.00"), received: "2025-04-02")

        let gaps = try fixture.findings(.statementGap)
        #expect(gaps.count == 1)
        #expect(Set(gaps.first?.documentIDs ?? []) == [january, february])
        #expect(
            gaps.first?.message
                == "Zwischen den Kontoauszügen zum Konto DE89 3704 0044 0532 0130 00 fehlt der 01.02.2025 (1 Tag): ein Auszug endet am 31.01.2025, der nächste beginnt am 02.02.2025."
        )
        #expect(gaps.first?.figures["missing_days"] == "1")

        let mismatches = try fixture.findings(.balanceMismatch)
        #expect(mismatches.count == 1)
        #expect(Set(mismatches.first?.documentIDs ?? []) == [february, march])
        #expect(
            mismatches.first?.message
                == "Der Kontoauszug zum Konto DE89 3704 0044 0532 0130 00 ab 01.03.2025 beginnt mit einem Kontostand von 90,50 €, der vorige endete am 28.02.2025 mit 80,00 € (Differenz +10,50 €)."
        )
        #expect(mismatches.first?.figures["difference"] == "10.50")
    }

    @Test("three statements that join with matching balances raise nothing, in whatever order they came")
    func joined() throws {
        let fixture = try FindingsFixture()
        try fixture.file("kontoauszug", statement("2025-03-01", "2025-03-31", opening: "-85.20", closing: "40.00"), received: "2025-04-02")
        try fixture.file("kontoauszug", statement("2025-01-01", "2025-01-31", opening: "100.00", closing: "250.00"), received: "2025-04-02")
        try fixture.file("kontoauszug", statement("2025-02-01", "2025-02-28", opening: "250.00", closing: "-85.20"), received: "2025-04-02")
        // The same statement again, and one without a period, change nothing.
        try fixture.file("kontoauszug", statement("2025-02-01", "2025-02-28", opening: "250.00", closing: "-85.20"), received: "2025-04-03")
        try fixture.file("kontoauszug", ["iban": Self.iban, "saldo_neu": "1.00"], received: "2025-04-03")
        #expect(try fixture.findings().isEmpty)
    }

    @Test("a longer gap names its days; statements of two accounts are checked each on its own")
    func perAccount() throws {
        let other = "DE46330600980105511873"
        let fixture = try FindingsFixture()
        try fixture.file("kontoauszug", statement("2025-01-01", "2025-01-31", opening: nil, closing: "10.00"), received: "2025-04-01")
        try fixture.file("kontoauszug", statement("2025-02-01", "2025-02-28", opening: "999.00", closing: nil, iban: other), received: "2025-04-01")
        try fixture.file("kontoauszug", statement("2025-03-01", "2025-03-31", opening: "10.00", closing: nil), received: "2025-04-01")
        let gaps = try fixture.findings(.statementGap)
        #expect(gaps.count == 1)
        #expect(gaps.first?.message.contains("fehlt der Zeitraum 01.02.2025 bis 28.02.2025 (28 Tage)") == true)
        #expect(try fixture.findings(.balanceMismatch).isEmpty)
    }
}

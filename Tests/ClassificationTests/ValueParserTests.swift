import Testing

@testable import Classification

@Suite("Value parsing")
struct ValueParserTests {
    @Test(
        "German amounts normalise to two decimals",
        arguments: [
            ("1.234,56 €", "1234.56"), ("EUR 1.234,56", "1234.56"), ("1234,56", "1234.56"), ("-12,30", "-12.30"),
            ("12,30-", "-12.30"), ("1 234,56", "1234.56"), ("450,00 EUR", "450.00"), ("€ 89,9", "89.90"),
            ("450,- €", "450.00"), ("450 €", "450.00"), ("0,50", "0.50"), ("12.345.678,90", "12345678.90"),
            ("1.2S4,5O", "1254.50"), ("l.234,56", "1234.56"), ("- 12,30 EUR", "-12.30"), ("€1.000,00", "1000.00"),
            ("EUR + 5.314,05", "5314.05"), ("+ 154,00", "154.00"),
        ])
    func amounts(input: String, expected: String) {
        #expect(AmountParser.parse(input)?.normalized == expected)
    }

    @Test("A sign after an amount and a space counts at the line's end only; mid-line it is a separator")
    func dashMidLine() {
        #expect(AmountParser.first(in: "Miete 450,00 - Nebenkosten 120,00")?.normalized == "450.00")
        // At the line's end it is the statement's sign.
        #expect(AmountParser.first(in: "Miete Mai 745,00 -")?.normalized == "-745.00")
        #expect(AmountParser.first(in: "Gutschrift 563,00 +")?.normalized == "563.00")
        #expect(AmountParser.first(in: "Kontostand 1.234,56 -\nSeite 2")?.normalized == "-1234.56")
    }

    @Test("Text that is not an amount gives none", arguments: ["01.03.2025", "Kaltmiete", "2025", "12.30", "Seite 1 von 2"])
    func notAmounts(input: String) {
        #expect(AmountParser.first(in: input) == nil)
    }

    @Test("Times, amounts and number lists are not dates with a misread point")
    func notDates() {
        for text in ["um 12:30.", "Betrag 12,50.2025", "Nr. 1.234,56", "10:15,2025 Uhr", "1,5.2025,3"] {
            #expect(DateParser.allMatches(in: text).isEmpty, "\(text)")
        }
    }

    @Test("The first amount in a line is found after other numbers")
    func amountInLine() {
        let value = AmountParser.first(in: "Neuer Kontostand vom 31.03.2025 1.234,56 EUR")
        #expect(value?.normalized == "1234.56")
        #expect(value?.raw == "1.234,56 EUR")
    }

    @Test(
        "German dates normalise to ISO",
        arguments: [
            ("01.03.2025", "2025-03-01"), ("1.3.25", "2025-03-01"), ("1. März 2025", "2025-03-01"),
            ("01. Maerz 2025", "2025-03-01"), ("15. Dezember 2024", "2024-12-15"), ("3. Okt. 2025", "2025-10-03"),
            ("29.02.2024", "2024-02-29"), ("O1.O3.2025", "2025-03-01"), ("1 . 3 . 2025", "2025-03-01"),
            ("31.12.99", "1999-12-31"),
            // A point read as a colon or comma.
            ("25:02.2017", "2017-02-25"), ("01.09,2025", "2025-09-01"), ("1, Juli 2023", "2023-07-01"),
        ])
    func dates(input: String, expected: String) {
        let value = DateParser.parse(input)
        #expect(value?.normalized == expected)
        #expect(value?.doubtful == false)
    }

    @Test(
        "Dates that do not exist are kept but doubtful",
        arguments: [
            ("31.02.2025", "2025-02-31"), ("29.02.2025", "2025-02-29"), ("31.04.2025", "2025-04-31"),
            ("12.13.2025", "2025-13-12"),
        ])
    func impossibleDates(input: String, expected: String) throws {
        let value = try #require(DateParser.parse(input))
        #expect(value.normalized == expected)
        #expect(value.doubtful)
        #expect(value.reason?.contains("gibt es nicht") == true)
    }

    @Test(
        "Months normalise to yyyy-mm",
        arguments: [
            ("03/2025", "2025-03"), ("März 2025", "2025-03"), ("03.2025", "2025-03"), ("Maerz 2025", "2025-03"),
            ("Abrechnung Dezember 2024", "2024-12"), ("01.03.2025 - 31.03.2025", "2025-03"), ("3/2025", "2025-03"),
            ("2025-03", "2025-03"),
        ])
    func months(input: String, expected: String) {
        #expect(MonthParser.first(in: input)?.normalized == expected)
    }

    @Test("A month 13 is doubtful")
    func impossibleMonth() {
        #expect(MonthParser.first(in: "13/2025")?.doubtful == true)
    }

    @Test(
        "Areas normalise to two decimals",
        arguments: [
            ("62,40 m²", "62.40"), ("62,4 qm", "62.40"), ("ca. 62 m2", "62.00"), ("Wohnfläche 105 Quadratmeter", "105.00"),
            ("48,5m²", "48.50"), ("45141 Essen 8l m? 01.10.2025", "81.00"), ("7O,5 m2", "70.50"),
        ])
    func areas(input: String, expected: String) {
        #expect(AreaParser.first(in: input)?.normalized == expected)
    }

    @Test(
        "Integers and tax-class numerals",
        arguments: [("3", "3"), ("StKl. III", "3"), ("für 2 Kinder", "2"), ("Klasse: IV", "4"), ("Anzahl Kinder: 02", "2")])
    func integers(input: String, expected: String) {
        #expect(IntegerParser.first(in: input)?.normalized == expected)
    }

    @Test("Text values are trimmed with single spaces")
    func textValues() {
        #expect(TextValue.normalize(" :  Wohnbau   Nord  GmbH ") == "Wohnbau Nord GmbH")
        #expect(TextValue.normalize(" : ") == nil)
    }

    @Test("OCR letters are repaired only inside numeric tokens")
    func ocrRepair() {
        #expect(OCRDigitRepair.repair("Betrag l.2S4,O0 EUR") == "Betrag 1.254,00 EUR")
        #expect(OCRDigitRepair.repair("Sollzinsen ISO Oslo") == "Sollzinsen ISO Oslo")
        #expect(OCRDigitRepair.repair("DE89 37O4") == "DE89 3704")
    }
}

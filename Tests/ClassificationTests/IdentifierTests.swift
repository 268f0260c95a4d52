import Testing

@testable import Classification

@Suite("IBAN and case identifiers")
struct IdentifierTests {
    @Test(
        "Valid IBANs pass the mod-97 check",
        arguments: [
            "DE89370400440532013000", "DE89 3704 0044 0532 0130 00", "DE02120300000000202051", "GB82 WEST 1234 5698 7654 32",
            "AT611904300234573201",
        ])
    func validIBANs(iban: String) {
        #expect(IBAN.isValid(iban))
    }

    @Test(
        "IBANs with a wrong digit, swapped digits or wrong length fail",
        arguments: ["DE89370400440532013001", "DE89370400440523013000", "DE8937040044053201300", "XX00"])
    func invalidIBANs(iban: String) {
        #expect(!IBAN.isValid(iban))
    }

    @Test("An IBAN is read from a line with spaces and trailing text")
    func ibanInLine() throws {
        let value = try #require(IBAN.first(in: "IBAN: DE89 3704 0044 0532 0130 00 BIC: COBADEFFXXX"))
        #expect(value.normalized == "DE89370400440532013000")
        #expect(!value.doubtful)
    }

    @Test("An IBAN with a bad checksum is kept but doubtful")
    func badChecksum() throws {
        let value = try #require(IBAN.first(in: "IBAN DE89 3704 0044 0532 0130 01"))
        #expect(value.normalized == "DE89370400440532013001")
        #expect(value.doubtful)
        #expect(value.reason?.contains("mod 97") == true)
    }

    @Test("OCR letters in a German IBAN are read as digits")
    func ocrIBAN() {
        #expect(IBAN.first(in: "DE89 37O4 OO44 O532 Ol3O OO")?.normalized == "DE89370400440532013000")
    }

    @Test("A German IBAN read with one character too many is the one reading without it that passes mod-97 and names a registered bank")
    func slipInIBAN() throws {
        // A photographed statement: "DE58 4416 …" read as "DES58 4416 …".
        let value = try #require(IBAN.first(in: "Konto DES58 4416 0014 5181 1154 15"))
        #expect(value.normalized == "DE58441600145181115415")
        #expect(!value.doubtful)
        // A wrong digit is not guessed at: the IBAN stays as read, doubtful.
        let wrong = try #require(IBAN.first(in: "Konto DES58 4416 0014 5181 1154 16"))
        #expect(wrong.doubtful)
    }

    @Test("A German IBAN whose 4 a photo's OCR read as A is taken where mod-97 and the bank code register agree")
    func widerConfusionsInIBAN() throws {
        let value = try #require(IBAN.first(in: "Girokonto IBAN DEA7 4205 0001 4528 6654 69 BIC WELADEDI1GEK"))
        #expect(value.normalized == "DE47420500014528665469")
        #expect(!value.doubtful)
        // One digit wrong besides: nothing is guessed, no IBAN.
        #expect(IBAN.allMatches(in: "IBAN DEA7 4205 0001 4528 6654 68").isEmpty)
        // A BIC before the IBAN does not hide it.
        #expect(IBAN.first(in: "BIC COBADEFFXXX IBAN DE89 3704 0044 0532 0130 00")?.normalized == "DE89370400440532013000")
    }

    @Test("Words are not IBANs: outside the listed countries letters are not taken for check digits")
    func wordsAreNotIBANs() {
        // "RESIDENCE PERMIT" read as country RE, check digits S I (5 1), passed mod-97 by chance.
        #expect(IBAN.allMatches(in: "AUFENTHALTSTITEL · RESIDENCE PERMIT").isEmpty)
        // A listed country still takes them: an Austrian IBAN whose check digit 1 was read as l.
        #expect(IBAN.first(in: "AT6l 1904 3002 3457 3201")?.normalized == "AT611904300234573201")
    }

    @Test(
        "BG-Nummern in every printed form normalise to one",
        arguments: [
            "96301BG0012345", "96301 BG 0012345", "96301//0012345", "963O1BG00I2345", "96301 bg 0012345", "9630l BG OO12345",
            "96301BG.0012345", "96301 BG: 0012345", "96301.BG0012345",
        ])
    func bgNummer(input: String) {
        #expect(CaseIdentifiers.normalizeBGNummer(input) == "96301BG0012345")
        #expect(CaseIdentifiers.isBGNummer(input))
    }

    @Test("Text of another shape is not a BG-Nummer")
    func notBGNummer() {
        #expect(!CaseIdentifiers.isBGNummer("96301XY0012345"))
        #expect(!CaseIdentifiers.isBGNummer("9630BG0012345"))
        // Dropping a stray dot must not make a number out of a different shape.
        #expect(!CaseIdentifiers.isBGNummer("9630.1BG0012345"))
        #expect(CaseIdentifiers.normalizeBGNummer("AZ.12.345") == "AZ.12.345")
    }

    @Test("Kundennummern normalise", arguments: ["963D123456", "963 D 123456", "963d123456", "963DI23456", "963D 123 456"])
    func kundennummer(input: String) {
        #expect(CaseIdentifiers.normalizeKundennummer(input) == "963D123456")
    }
}

@testable import Pipeline
import Testing

/// IBANs read with letters for digits are written with their digits in the page text when the
/// repaired IBAN passes the mod-97 check (`IBANTextRepair`); everything else stays as read.
struct IBANTextRepairTests {
    @Test("Check digits and account digits read as letters come back as digits")
    func repairsConfusedDigits() {
        // The photographed rent certificate's IBAN as the engine read it: "DEO5" for "DE05".
        #expect(IBANTextRepair.repaired("IBAN: DEO5 4402 0090 0612 2448 01\nBIC: WELADED1MST")
            == "IBAN: DE05 4402 0090 0612 2448 01\nBIC: WELADED1MST")
        #expect(IBANTextRepair.repaired("Konto DE89 37O4 OO44 O532 Ol3O OO bei der Bank")
            == "Konto DE89 3704 0044 0532 0130 00 bei der Bank")
        // Written without spaces, too.
        #expect(IBANTextRepair.repaired("DE89370400440532Ol3OOO") == "DE89370400440532013000")
    }

    @Test("An IBAN that fails the check, words and figures stay as read")
    func leavesTheRestAlone() {
        // One real digit wrong besides the letters: the check fails, nothing is guessed.
        let wrong = "IBAN DE89 37O4 OO44 O532 Ol3O O1"
        #expect(IBANTextRepair.repaired(wrong) == wrong)
        let prose = "DOSE und SOLL: 1O,OO EUR, Seite l von l"
        #expect(IBANTextRepair.repaired(prose) == prose)
        // A residence card's heading is no IBAN (country "RE", check digits "SI" passed mod-97).
        let card = "AUFENTHALTSTITEL · RESIDENCE PERMIT"
        #expect(IBANTextRepair.repaired(card) == card)
        let valid = "IBAN DE05 4402 0090 0612 2448 01"
        #expect(IBANTextRepair.repaired(valid) == valid)
    }
}

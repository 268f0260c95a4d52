import Testing

@testable import Pipeline

@Suite("Scanning centres' cover sheets and statements' debit markers")
struct CoverAndMarkerTests {
    static let instructions = """
        Deckblatt für die Einreichung von Unterlagen
        Bitte legen Sie dieses Blatt vor jedes Dokument, das Sie einreichen. Heften Sie die
        Unterlagen nicht. Der Code unten ordnet die Unterlagen Ihrer Bedarfsgemeinschaft zu;
        bitte nicht knicken oder beschriften. Scanzentrum des Jobcenters, Postfach 10 11 12,
        44011 Dortmund. Fragen beantwortet Ihr Jobcenter unter der bekannten Rufnummer.
        """

    @Test(
        "A page that calls itself a cover and carries a code naming a case in any common notation is a cover",
        arguments: ["BG:96301BG0012345", "BG=96301 BG 0012345", "BG-Nr. 96301BG0012345", "BG-Nummer: 96301//0012345", "bg:96301bg0012345"])
    func namedCover(code: String) throws {
        let cover = try #require(CoverSheet.detect(page: 1, codes: [code], pageText: Self.instructions))
        #expect(cover.caseReference == "96301BG0012345")
        #expect(cover.problems.isEmpty)
    }

    @Test("The same code on a page of many words that does not call itself a cover is no cover")
    func notACover() {
        let letter = Self.instructions.replacingOccurrences(of: "Deckblatt", with: "Merkblatt")
        #expect(CoverSheet.detect(page: 1, codes: ["BG:96301BG0012345"], pageText: letter) == nil)
        // A cover word without a code naming a case is no cover either.
        #expect(CoverSheet.detect(page: 1, codes: ["https://jobcenter.example/"], pageText: Self.instructions) == nil)
    }

    @Test("Debit markers glued to amounts or read as a third decimal are split off on a page that uses them")
    func debitMarkers() {
        let page = """
            alter Kontostand vom 31.03.2025 532,57 H
            02.04. 02.04. Gutschrift Jobcenter Dortmund 867,00 H
            15.04. 15.04. Lastschrift Funkwerk Mobil GmbH 27,378
            19.04. 19.04. Kartenzahlung Netto 70,81S
            20.04. 20.04. Lastschrift Energie Hellweg 75,00 $
            neuer Kontostand vom 30.04.2025 377,55 8
            Arbeitspreis 0,315
            """
        let repaired = DebitMarkerRepair.repaired(page)
        #expect(repaired.contains("Energie Hellweg 75,00 S"))
        #expect(repaired.contains("30.04.2025 377,55 S"))
        #expect(repaired.contains("Funkwerk Mobil GmbH 27,37 S"))
        #expect(repaired.contains("Netto 70,81 S"))
        // Only amounts with two decimals and thousands groups; prices with three decimals stay.
        #expect(repaired.contains("Arbeitspreis 0,315"))
        // The second page of a statement: one marker left readable, and the legend.
        let second = "14.06. 14.06. Kartenzahlung KiK Textilien 4,60 S\n16.06. 17.06. Kartenzahlung KiK 40,28 5)\n"
            + "neuer Kontostand vom 30.06.2025 377,55 8\nS = Soll (Belastung), H = Haben (Gutschrift)"
        let repairedSecond = DebitMarkerRepair.repaired(second)
        #expect(repairedSecond.contains("KiK 40,28 S\n") && repairedSecond.contains("30.06.2025 377,55 S"), "\(repairedSecond)")
        #expect(DebitMarkerRepair.repaired("neuer Kontostand vom 30.06.2025 377,55 8\nBuchung 4,60 S") == "neuer Kontostand vom 30.06.2025 377,55 8\nBuchung 4,60 S")
        // A page without S/H markers is left as read.
        let bill = "Arbeitspreis 0,315\nGrundpreis 12,958"
        #expect(DebitMarkerRepair.repaired(bill) == bill)
    }
}

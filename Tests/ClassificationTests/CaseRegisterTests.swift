import Testing

@testable import Classification

@Suite("Case register")
struct CaseRegisterTests {
    @Test("Rows are read, numbers normalised, households grouped")
    func reads() {
        let register = TestResources.register
        #expect(register.persons.count == 5)
        #expect(register.caseIDs == ["96301BG0011111", "96301BG0012345", "96301BG0022222", "96301BG0067890"])
        #expect(register.members(of: "96301 BG 0012345").map(\.vorname) == ["Anna", "Jonas"])
        #expect(register.caseID(forKundennummer: "963 D 654321") == "96301BG0067890")
    }

    @Test("A quoted field may contain commas and doubled quotes")
    func quoted() throws {
        let register = try CaseRegister(
            csv: #"""
                bg_nummer,kundennummer,nachname,vorname,geburtsdatum,strasse,plz,ort
                96301BG0000001,963D000001,"Meier, geb. ""Schulz""",Eva,1980-01-01,"Am Markt 3, Hinterhaus",12049,Berlin
                """#)
        #expect(register.persons.first?.nachname == "Meier, geb. \"Schulz\"")
        #expect(register.persons.first?.strasse == "Am Markt 3, Hinterhaus")
    }

    @Test(
        "Errors name the line and what is wrong",
        arguments: [
            ("bg_nummer,nachname\n", 1, "header lacks kundennummer"),
            (
                "bg_nummer,kundennummer,nachname,vorname,geburtsdatum,strasse,plz,ort\n96301BG0000001,963D000001,Meier,Eva,1980-02-30,Weg 1,12049,Berlin",
                2, "geburtsdatum '1980-02-30'"
            ),
            (
                "bg_nummer,kundennummer,nachname,vorname,geburtsdatum,strasse,plz,ort\n96301BG0000001,963D000001,Meier,Eva,1980-01-01,Weg 1,12049",
                2, "has 7 fields, the header has 8"
            ),
            (
                "bg_nummer,kundennummer,nachname,vorname,geburtsdatum,strasse,plz,ort\n96301BG0000001,963D000001,Meier,Eva,1980-01-01,\"Weg 1,12049,Berlin",
                2, "never closed"
            ),
            (
                "bg_nummer,kundennummer,nachname,vorname,geburtsdatum,strasse,plz,ort\n96301BG0000001,963D000001,Meier,Eva,1980-01-01,Weg 1,12049,Berlin\n96301BG0000002,963D000001,Meier,Udo,1980-01-01,Weg 2,12049,Berlin",
                3, "already belongs to household 96301BG0000001"
            ),
            (
                "bg_nummer,kundennummer,nachname,vorname,geburtsdatum,strasse,plz,ort\n,963D000001,Meier,Eva,1980-01-01,Weg 1,12049,Berlin",
                2, "bg_nummer is empty"
            ),
        ])
    func errors(csv: String, line: Int, message: String) {
        do {
            _ = try CaseRegister(csv: csv)
            Issue.record("expected an error")
        } catch let error as CaseRegister.LoadError {
            #expect(error.line == line)
            #expect(error.description.contains(message), "\(error)")
            #expect(error.description.hasPrefix("case register line \(line):"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}

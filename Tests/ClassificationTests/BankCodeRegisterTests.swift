import Foundation
import Testing

@testable import Classification

@Suite("BankCode register (Bundesbank Bankleitzahlendatei)")
struct BankCodeRegisterTests {
    let register = BankCodeRegister.shared

    @Test(
        "Real bank codes give the register's name and BIC",
        arguments: [
            ("37050198", "COLSDE33XXX", "Sparkasse KölnBonn"),
            ("10010010", "PBNKDEFFXXX", "Postbank Ndl der Deutsche Bank"),
            ("50010517", "INGDDEFFXXX", "ING-DiBa"),
            ("12030000", "BYLADEM1001", "Deutsche Kreditbank Berlin"),
            ("37040044", "COBADEFFXXX", "Commerzbank"),
            ("48050161", "SPBIDE3BXXX", "Sparkasse Bielefeld"),
        ])
    func knownCodes(code: String, bic: String, name: String) throws {
        let entry = try #require(register.bank(forCode: code))
        #expect(entry.code == code)
        #expect(entry.bic == bic)
        #expect(entry.name == name)
        #expect(!entry.shortName.isEmpty)
    }

    @Test("Sparkasse KölnBonn's BIC read as COLSDE33 (8 characters) agrees with COLSDE33XXX")
    func bicAgreement() throws {
        let entry = try #require(register.bank(forCode: "37050198"))
        #expect(register.bicAgrees("COLSDE33", with: entry))
        #expect(register.bicAgrees("colsde33xxx", with: entry))
        #expect(register.bicAgrees("COLS DE33 XXX", with: entry))
        #expect(!register.bicAgrees("COBADEFFXXX", with: entry))
    }

    @Test("The register holds the main entries of all bank codes, one per code")
    func size() {
        #expect(register.count > 3_000)
        #expect(register.count < 5_000)
    }

    @Test("Unknown or malformed bank codes give nil", arguments: ["99999999", "3705019", "370501988", "", "3705019X"])
    func unknownCodes(code: String) {
        #expect(register.bank(forCode: code) == nil)
    }

    @Test("A German IBAN gives its bank: DE89370400440532013000 is Commerzbank, BLZ 37040044")
    func ibanLookup() throws {
        let entry = try #require(register.bank(forIBAN: "DE89370400440532013000"))
        #expect(entry.code == "37040044")
        #expect(entry.name == "Commerzbank")
        #expect(entry.bic == "COBADEFFXXX")
        #expect(register.bank(forIBAN: "DE02120300000000202051")?.name == "Deutsche Kreditbank Berlin")
    }

    @Test(
        "Malformed, foreign or wrong-checksum IBANs give nil",
        arguments: [
            "DE8937040044053201300",  // one digit short
            "DE893704004405320130000",  // one digit too many
            "DE89 3704 0044 0532 0130 00",  // not normalised
            "de89370400440532013000",  // lower case
            "DE89370400440532013001",  // mod-97 fails
            "DE8937O400440532013000",  // letter O
            "AT611904300234573201",  // not German
            "GB82WEST12345698765432",
            "",
        ])
    func malformedIBANs(iban: String) {
        #expect(register.bank(forIBAN: iban) == nil)
    }

    @Test(
        "Read names that name the entry's bank agree",
        arguments: [
            ("37050198", "Sparkasse KölnBonn"),
            ("37050198", "SPARKASSE KÖLNBONN"),
            ("37050198", "Sparkasse Köln Bonn"),
            ("37050198", "Sparkasse Koeln-Bonn"),
            ("37050198", "Sparkasse KoelnBonn"),
            ("37050198", "Sparkasse KölnBonn Kontoauszug"),  // debris after the name
            ("37050198", "Sparkassc KölnBonn"),  // one misread letter
            ("37050198", "Sparkasse"),  // generic, does not contradict
            ("48050161", "Spk Bielefeld"),  // the short form
            ("48050161", "Sparkasse Bielefeld"),
            ("48050161", "Sparkasse Bielefcld"),  // one misread letter
            ("47650130", "Sparkasse Paderborn-Detmold-Höxter"),
            ("47650130", "Sparkasse Paderborn-Detmold"),  // shortened
            ("47650130", "Sparkasse Paderborn Detmold Hoexter"),
            ("10070000", "Deutsche Bank"),
            ("10070000", "Deutsche Bank AG"),
            ("10070000", "Deutsche Bank Privat- und Geschäftskunden AG"),
            ("10070000", "Deutsche Bank Köln"),  // the whole name, then a branch's place
            ("37040044", "Commerzbank Frankfurt"),
            ("37050198", "Ihre Sparkasse KölnBonn"),
            ("10010010", "Postbank"),
            ("10010010", "Deutsche Postbank AG"),
            ("10010010", "Postbank - eine Niederlassung der Deutsche Bank AG"),
            ("50010517", "ING-DiBa AG"),
            ("50010517", "ING DiBa"),
            ("50010517", "ING"),
            ("12030000", "DKB Deutsche Kreditbank AG"),
            ("37040044", "Commerzbank AG"),
            ("37040044", "COMMERZBANK"),
            ("27893760", "Volksbank Seesen eG"),  // name "Volksbank", place only in the short name
            ("27893760", "Volksbank Seesen eG Bra"),  // trailing OCR fragment
            ("27893760", "Volksbank eG"),
            ("25591413", "Volksbank in Schaumburg und Nienburg eG"),
            ("25591413", "Volksbank Schaumburg Nienburg e.G. Bra"),
            ("53350000", "Sparkasse Marburg-Biedenkopf"),
        ])
    func agreeing(code: String, read: String) throws {
        let entry = try #require(register.bank(forCode: code))
        #expect(register.nameAgrees(read, with: entry), "\(read) should name \(entry.name) (\(entry.shortName))")
    }

    @Test(
        "Read names of another bank disagree",
        arguments: [
            ("47650130", "Sparkasse Bielefeld"),  // both Sparkassen, other place
            ("48050161", "Sparkasse Paderborn-Detmold"),
            ("47650130", "Sparkasse Bielefcld"),  // a misread other place is still another place
            ("20750000", "Sparkasse Marburg"),  // Harburg, one letter off but a real other place
            ("53350000", "Sparkasse Harburg-Buxtehude"),
            ("37050198", "Sparkasse Hannover"),
            ("37050198", "Stadtsparkasse Köln"),
            ("37050198", "Kreissparkasse Köln"),
            ("27893760", "Volksbank Bielefeld"),  // "Volksbank" (Seesen) is shared by many banks
            ("27893760", "Berliner Volksbank"),
            ("25591413", "Volksbank Seesen"),
            ("25650106", "Volksbank Nienburg"),  // Sparkasse Nienburg
            ("10070000", "Commerzbank"),
            ("37040044", "Deutsche Bank"),
            ("12030000", "Deutsche Bank"),  // Deutsche Kreditbank
            ("50010517", "ING Bank"),  // ING-DiBa is 50010517, ING Bank has its own code
            ("50010517", "Postbank"),
            ("37050198", "Sparkasse Köln"),  // "Köln" is in other banks' names, not a cut-off "KölnBonn"
            ("20750000", "Sparkasse Marburg-Biedenkopf"),
            ("53350000", "Sparkasse Harburg"),
            ("37050198", "Bra"),  // nothing of the name
            ("37050198", ""),
            ("37050198", "AG"),
        ])
    func disagreeing(code: String, read: String) throws {
        let entry = try #require(register.bank(forCode: code))
        #expect(!register.nameAgrees(read, with: entry), "\(read) should not name \(entry.name) (\(entry.shortName))")
    }

    @Test("Every entry's own name and short name agree with it")
    func selfAgreement() {
        let register = BankCodeRegister.shared
        let entries = BankCodeRegister.table.split(separator: "\n").compactMap { register.bank(forCode: String($0.prefix(8))) }
        #expect(entries.count == register.count)
        let failing = entries.filter { !register.nameAgrees($0.name, with: $0) || !register.nameAgrees($0.shortName, with: $0) }
        #expect(failing.isEmpty, "\(failing.prefix(5))")
    }

    @Test("No Sparkasse's name agrees with another Sparkasse (about 48,000 pairs)")
    func sparkassenDisagree() {
        let register = BankCodeRegister.shared
        var seen = Set<String>()
        let sparkassen = BankCodeRegister.table.split(separator: "\n")
            .compactMap { register.bank(forCode: String($0.prefix(8))) }
            .filter { $0.name.hasPrefix("Sparkasse ") && !$0.name.contains("-alt-") && seen.insert($0.name).inserted }
        #expect(sparkassen.count > 100)
        var confused: [String] = []
        for read in sparkassen {
            for entry in sparkassen where entry.name != read.name && register.nameAgrees(read.name, with: entry) {
                confused.append("\(read.name) ~ \(entry.name)")
            }
        }
        #expect(confused.isEmpty, "\(confused.prefix(5))")
    }

    @Test("cleanName gives the register's name without debris, nil for another bank")
    func cleanName() throws {
        let seesen = try #require(register.bank(forCode: "27893760"))
        #expect(register.cleanName(fromRead: "Volksbank Seesen eG Bra", entry: seesen) == "Volksbank")
        let kolnBonn = try #require(register.bank(forCode: "37050198"))
        #expect(register.cleanName(fromRead: "SPARKASSE KOELN BONN Kontoa", entry: kolnBonn) == "Sparkasse KölnBonn")
        #expect(register.cleanName(fromRead: "Sparkasse Bielefeld", entry: kolnBonn) == nil)
    }

    @Test("A table in the generated format is parsed; broken lines are skipped")
    func smallTable() {
        let table = """
            37050198|COLSDE33XXX|Sparkasse KölnBonn|Sparkasse KölnBonn
            broken line
            1234|XXXXDEXXXXX|Too short|Too short
            48050161|SPBIDE3BXXX|Sparkasse Bielefeld|Spk Bielefeld
            """
        let small = BankCodeRegister(table: table)
        #expect(small.count == 2)
        #expect(small.bank(forCode: "48050161")?.shortName == "Spk Bielefeld")
        #expect(small.bank(forCode: "1234") == nil)
    }

    @Test("Parsing the whole table takes a few milliseconds; the name index is built on first use")
    func parseTime() throws {
        let clock = ContinuousClock()
        var parsed = BankCodeRegister(table: "")
        let parsing = clock.measure { parsed = BankCodeRegister(table: BankCodeRegister.table) }
        let entry = try #require(parsed.bank(forCode: "47650130"))  // Sparkasse Paderborn-Detmold-Höxter
        var agreed = 0
        let checking = clock.measure {
            for _ in 0..<100 where parsed.nameAgrees("Sparkasse Bielefcld", with: entry) { agreed += 1 }
        }
        print(
            "BankCodeRegister: \(parsed.count) rows parsed with name index in \(parsing);"
                + " one nameAgrees with an OCR-tolerant look-up \(checking / 100)")
        #expect(parsed.count == BankCodeRegister.shared.count)
        #expect(agreed == 0)
        #expect(parsing < .seconds(1))
    }
}

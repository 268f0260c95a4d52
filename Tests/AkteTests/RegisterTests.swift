import Foundation
import Testing

@testable import Akte

@Suite("Case register")
struct RegisterTests {
    @Test("importing the same register twice adds nothing the second time", arguments: AkteBackend.allCases)
    func idempotentImport(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        let first = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        #expect(first == RegisterImportReport(added: 3, changed: 0, unchanged: 0, rejected: []))

        let second = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        #expect(second == RegisterImportReport(added: 0, changed: 0, unchanged: 3, rejected: []))
        #expect(try fixture.store.households().map(\.bgNummer) == ["96301BG0012345", "96301BG0099999"])
    }

    @Test("a moved person is counted as changed, a new one as added, and rejections pass through", arguments: AkteBackend.allCases)
    func changedAndAdded(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        _ = try fixture.store.importRegister(AkteFixture.register, rejected: [])

        var register = AkteFixture.register
        register[2].strasse = "Lindenallee 9"
        register.append(
            RegisterPerson(bgNummer: "96301BG0099999", kundennummer: "963D654322", nachname: "Özdemir", vorname: "Elif")
        )
        register.append(RegisterPerson(bgNummer: "", kundennummer: "963D000001", nachname: "Ohne", vorname: "Fall"))
        let callerRejection = RegisterRejection(line: 7, reason: "line 7: 5 columns, expected 8")

        let report = try fixture.store.importRegister(register, rejected: [callerRejection])

        #expect(report.added == 1)
        #expect(report.changed == 1)
        #expect(report.unchanged == 2)
        #expect(report.rejected.count == 2)
        #expect(report.rejected.first == callerRejection)
        #expect(report.rejected.last?.reason.contains("963D000001 has no BG-Nummer") == true)
        let persons = try fixture.store.persons(inCase: "96301BG0099999")
        #expect(persons.map(\.vorname) == ["Ayşe", "Elif"])
        #expect(persons.first?.strasse == "Lindenallee 9")
        #expect(try fixture.store.caseExists("96301BG0099999"))
        #expect(try !fixture.store.caseExists("96301BG0000000"))
    }
}

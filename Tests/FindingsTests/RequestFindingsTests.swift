import Akte
import Foundation
import Testing

@testable import Findings

@Suite("Findings: requested documents")
struct RequestFindingsTests {
    static let iban = "DE89370400440532013000"
    static let otherIBAN = "DE46330600980105511873"

    func statement(_ from: String, _ to: String, iban: String = iban) -> [String: String] {
        ["iban": iban, "zeitraum_von": from, "zeitraum_bis": to]
    }

    func payslip(_ month: String) -> [String: String] {
        ["abrechnungsmonat": month, "netto": "1400.00", "arbeitgeber": "Müller Logistik GmbH"]
    }

    func requestFindings(_ fixture: FindingsFixture) throws -> [Finding] {
        try fixture.findings().filter { [.requestOpen, .requestOverdue, .requestFulfilled].contains($0.code) }
    }

    @Test("statements of the last 3 months: open while March is missing, fulfilled without gaps when it comes")
    func lastThreeMonths() throws {
        let fixture = try FindingsFixture()
        // Filed before the request: it counts, what it covers matters.
        let january = try fixture.file("kontoauszug", statement("2025-01-01", "2025-01-31"), received: "2025-03-05")
        fixture.setToday("2025-04-10")
        let request = try fixture.request("kontoauszug", months: 3, due: "2025-04-24")
        #expect(request.period == RequestedPeriod(from: "2025-01-01", to: "2025-03-31"))

        let february = try fixture.file("kontoauszug", statement("2025-02-01", "2025-02-28"), received: "2025-04-12")
        let open = try requestFindings(fixture)
        #expect(open.map(\.code) == [.requestOpen])
        #expect(
            open.first?.message
                == "Angefordert am 10.04.2025: Kontoauszug für 01/2025 bis 03/2025, Frist bis 24.04.2025; es fehlt noch 03/2025.")
        #expect(open.first?.documentIDs == [january, february])
        #expect(open.first?.figures["missing"] == "2025-03-01..2025-03-31")
        #expect(open.first?.isOpen == false)  // a state within its deadline, not something to check
        #expect(open.first?.isCheckable == false)

        let march = try fixture.file("kontoauszug", statement("2025-03-01", "2025-03-31"), received: "2025-04-15")
        let done = try requestFindings(fixture)
        #expect(done.map(\.code) == [.requestFulfilled])
        #expect(
            done.first?.message
                == "Angefordert am 10.04.2025: Kontoauszug für 01/2025 bis 03/2025; lückenlos eingegangen (3 Dokumente, zuletzt am 15.04.2025), innerhalb der Frist bis 24.04.2025."
        )
        #expect(done.first?.documentIDs == [january, february, march])
        #expect(done.first?.severity == .info)
        #expect(done.first?.key == "request_fulfilled:anforderung-\(request.id)+\(january)+\(february)+\(march)")
        #expect(try fixture.requestStatuses().map(\.state) == [.fulfilled])
    }

    @Test("a gap of one day between two statements keeps the request open and names the day")
    func oneDayGap() throws {
        let fixture = try FindingsFixture()
        fixture.setToday("2025-04-10")
        try fixture.request("kontoauszug", months: 3, due: "2025-04-24")
        try fixture.file("kontoauszug", statement("2025-01-01", "2025-01-31"), received: "2025-04-11")
        try fixture.file("kontoauszug", statement("2025-02-02", "2025-02-28"), received: "2025-04-11")
        try fixture.file("kontoauszug", statement("2025-03-01", "2025-03-31"), received: "2025-04-11")
        let found = try requestFindings(fixture)
        #expect(found.map(\.code) == [.requestOpen])
        #expect(found.first?.message.hasSuffix("; es fehlt noch 01.02.2025.") == true)
        #expect(try fixture.requestStatuses().first?.gaps == [RequestStatus.Gap(account: nil, from: "2025-02-01", to: "2025-02-01")])
        // The same statements without the gap fulfil it.
        try fixture.file("kontoauszug", statement("2025-02-01", "2025-02-01"), received: "2025-04-12")
        #expect(try requestFindings(fixture).map(\.code) == [.requestFulfilled])
    }

    @Test("on the due day a request is still open; the day after it is overdue, a warning; late documents fulfil it")
    func overdue() throws {
        let fixture = try FindingsFixture()
        fixture.setToday("2025-04-10")
        try fixture.request("kontoauszug", months: 3, due: "2025-04-24")
        try fixture.file("kontoauszug", statement("2025-01-01", "2025-02-28"), received: "2025-04-11")
        fixture.setToday("2025-04-24")
        #expect(try requestFindings(fixture).map(\.code) == [.requestOpen])

        fixture.setToday("2025-05-01")
        let late = try requestFindings(fixture)
        #expect(late.map(\.code) == [.requestOverdue])
        #expect(late.first?.severity == .warning)
        #expect(late.first?.isOpen == true)
        #expect(late.first?.date == "2025-04-24")
        #expect(late.first?.figures["days_overdue"] == "7")
        #expect(
            late.first?.message
                == "Angefordert am 10.04.2025: Kontoauszug für 01/2025 bis 03/2025; die Frist bis 24.04.2025 ist seit 7 Tagen abgelaufen, es fehlt noch 03/2025."
        )

        try fixture.file("kontoauszug", statement("2025-03-01", "2025-03-31"), received: "2025-05-02")
        let done = try requestFindings(fixture)
        #expect(done.map(\.code) == [.requestFulfilled])
        #expect(done.first?.message.hasSuffix("zuletzt am 02.05.2025), nach Ablauf der Frist am 24.04.2025.") == true)
    }

    @Test("payslips from 01/2025 are ticked off by their month; a missing month keeps it open")
    func payslipsByMonth() throws {
        let fixture = try FindingsFixture()
        fixture.setToday("2025-04-10")
        let request = try fixture.request("lohnabrechnung", from: "01/2025", due: "2025-04-30")
        #expect(request.period == RequestedPeriod(from: "2025-01-01", to: "2025-03-31"))
        try fixture.file("lohnabrechnung", payslip("2024-12"), received: "2025-04-11")  // before the period: does not count
        let january = try fixture.file("lohnabrechnung", payslip("2025-01"), received: "2025-04-11")
        let march = try fixture.file("lohnabrechnung", payslip("2025-03"), received: "2025-04-11")
        let open = try requestFindings(fixture)
        #expect(open.first?.message == "Angefordert am 10.04.2025: Lohn- und Gehaltsabrechnung für 01/2025 bis 03/2025, Frist bis 30.04.2025; es fehlt noch 02/2025.")
        #expect(Set(open.first?.documentIDs ?? []) == [january, march])  // filed on one day: in either order

        let february = try fixture.file("lohnabrechnung", payslip("2025-02"), received: "2025-04-14")
        let done = try requestFindings(fixture)
        #expect(done.map(\.code) == [.requestFulfilled])
        #expect(Set(done.first?.documentIDs ?? []) == [january, february, march])
    }

    @Test("without a period, one document of the class received on or after the day of the request fulfils it")
    func withoutPeriod() throws {
        let fixture = try FindingsFixture()
        try fixture.file("mietbescheinigung", ["kaltmiete": "400.00"], received: "2025-03-01")
        fixture.setToday("2025-04-10")
        try fixture.request("mietbescheinigung", due: "2025-04-24")
        try fixture.file("mietbescheinigung", ["kaltmiete": "400.00"], received: "2025-04-11", status: .needsReview)
        try fixture.file("mietvertrag", ["kaltmiete": "400.00"], received: "2025-04-11")
        let open = try requestFindings(fixture)
        #expect(open.first?.message == "Angefordert am 10.04.2025: Mietbescheinigung, Frist bis 24.04.2025; noch nichts eingegangen.")

        let certificate = try fixture.file("mietbescheinigung", ["kaltmiete": "400.00"], received: "2025-04-10")
        let done = try requestFindings(fixture)
        #expect(done.first?.message == "Angefordert am 10.04.2025: Mietbescheinigung; eingegangen am 10.04.2025, innerhalb der Frist bis 24.04.2025.")
        #expect(done.first?.documentIDs == [certificate])
        // A second certificate changes nothing: the first one fulfilled it.
        try fixture.file("mietbescheinigung", ["kaltmiete": "400.00"], received: "2025-04-20")
        #expect(try requestFindings(fixture).map(\.key) == done.map(\.key))
    }

    @Test("statements are judged per account: every account in the period must cover it")
    func perAccount() throws {
        let fixture = try FindingsFixture()
        fixture.setToday("2025-04-10")
        try fixture.request("kontoauszug", months: 2, due: "2025-04-24")
        try fixture.file("kontoauszug", statement("2025-02-01", "2025-02-28"), received: "2025-04-11")
        try fixture.file("kontoauszug", statement("2025-03-01", "2025-03-31"), received: "2025-04-11")
        try fixture.file("kontoauszug", statement("2025-02-01", "2025-02-28", iban: Self.otherIBAN), received: "2025-04-11")
        let open = try requestFindings(fixture)
        #expect(open.first?.message.hasSuffix("; es fehlt noch 03/2025 zum Konto DE46 3306 0098 0105 5118 73.") == true)
        try fixture.file("kontoauszug", statement("2025-03-01", "2025-03-31", iban: Self.otherIBAN), received: "2025-04-12")
        #expect(try requestFindings(fixture).map(\.code) == [.requestFulfilled])
    }

    @Test("a request taken back raises nothing; adding and closing are audited; closing twice or without a note is refused")
    func closing() throws {
        let fixture = try FindingsFixture()
        fixture.setToday("2025-04-10")
        let request = try fixture.request("kontoauszug", months: 3, due: "2025-04-24", note: "alle Konten")
        #expect(try requestFindings(fixture).count == 1)
        #expect(throws: AkteError.self) { try fixture.store.closeRequest(id: request.id, note: " ", by: "sb-7") }
        try fixture.store.closeRequest(id: request.id, note: "Auszüge kamen per Post", by: "sb-7")
        #expect(try requestFindings(fixture).isEmpty)
        #expect(try fixture.requestStatuses().map(\.state) == [.closed])
        #expect(try fixture.store.request(id: request.id).closing?.note == "Auszüge kamen per Post")
        #expect(throws: AkteError.self) { try fixture.store.closeRequest(id: request.id, note: "noch einmal", by: "sb-7") }
        #expect(throws: AkteError.unknownRequest(999)) { try fixture.store.closeRequest(id: 999, note: "x", by: "sb-7") }

        let trail = try fixture.store.auditTrail(requestID: request.id)
        #expect(trail.map(\.action) == [.requestAdded, .requestClosed])
        #expect(trail.map(\.actor) == ["sb-42", "sb-7"])
        #expect(trail.first?.details.contains("\"period\":\"2025-01-01..2025-03-31\"") == true)
        #expect(trail.last?.details.contains("Auszüge kamen per Post") == true)
        #expect(try fixture.store.verifyAuditChain().isIntact)
        #expect(try fixture.store.appliedMigrations().contains("v5-requests"))
    }

    @Test("an overdue request can be marked 'geprüft'; two requests have their own keys")
    func reviewAndKeys() throws {
        let fixture = try FindingsFixture()
        fixture.setToday("2025-04-10")
        try fixture.request("kontoauszug", months: 1, due: "2025-04-11")
        try fixture.request("mietbescheinigung", due: "2025-04-11")
        fixture.setToday("2025-04-20")
        let overdue = try requestFindings(fixture)
        #expect(overdue.map(\.code) == [.requestOverdue, .requestOverdue])
        #expect(Set(overdue.map(\.key)).count == 2)
        let first = try #require(overdue.first)
        try fixture.store.markFindingReviewed(
            bgNummer: FindingsFixture.bg, findingKey: first.key, code: first.code.rawValue, documentIDs: first.documentIDs,
            note: "Erinnerung geschickt", by: "sb-42")
        let after = try requestFindings(fixture)
        #expect(after.filter(\.isOpen).count == 1)
        #expect(after.first { $0.key == first.key }?.review?.note == "Erinnerung geschickt")
    }

    @Test(
        "a caseworker's entry is refused with a German reason",
        arguments: [
            (RequestEntry(bgNummer: FindingsFixture.bg, documentClass: "kontoauszuege", due: "2025-04-24"), "Unbekannte Dokumentklasse"),
            (RequestEntry(bgNummer: FindingsFixture.bg, documentClass: "au_bescheinigung", due: "2025-04-24"), "Gesundheitsdaten"),
            (RequestEntry(bgNummer: FindingsFixture.bg, documentClass: "ausweis", due: "2025-04-24"), "geschützte Unterlagen"),
            (RequestEntry(bgNummer: FindingsFixture.bg, documentClass: "mietvertrag", months: 3, due: "2025-04-24"), "nennt keinen Zeitraum"),
            (RequestEntry(bgNummer: FindingsFixture.bg, documentClass: "kontoauszug", due: "2025-04-09"), "liegt vor dem heutigen Tag"),
            (RequestEntry(bgNummer: FindingsFixture.bg, documentClass: "kontoauszug", due: "31.02.2025"), "ist kein Datum"),
            (RequestEntry(bgNummer: FindingsFixture.bg, documentClass: "kontoauszug", months: 3, from: "01/2025", due: "2025-04-24"), "nicht beides"),
            (RequestEntry(bgNummer: FindingsFixture.bg, documentClass: "kontoauszug", months: 0, due: "2025-04-24"), "zwischen 1 und 36"),
            (RequestEntry(bgNummer: FindingsFixture.bg, documentClass: "kontoauszug", from: "13/2025", due: "2025-04-24"), "weder ein Monat"),
            (RequestEntry(bgNummer: FindingsFixture.bg, documentClass: "kontoauszug", to: "03/2025", due: "2025-04-24"), "braucht ein „von“"),
            (RequestEntry(bgNummer: FindingsFixture.bg, documentClass: "kontoauszug", from: "03/2025", to: "01/2025", due: "2025-04-24"), "nach seinem Ende"),
        ])
    func refusedEntries(_ entry: RequestEntry, _ reason: String) throws {
        let engine = FindingsEngine(configuration: FindingsFixture.configuration)
        #expect {
            try entry.validated(by: engine, today: "2025-04-10")
        } throws: { error in
            (error as? RequestEntry.Problem)?.german.contains(reason) == true
        }
    }

    @Test("periods from days and months: 15.01.2025 to 02/2025; from this month without an end; the last 3 months in January")
    func periods() throws {
        let engine = FindingsEngine(configuration: FindingsFixture.configuration)
        func period(_ entry: RequestEntry, today: String = "2025-04-10") throws -> RequestedPeriod? {
            try entry.validated(by: engine, today: today).period
        }
        let bg = FindingsFixture.bg
        #expect(
            try period(RequestEntry(bgNummer: bg, documentClass: "kontoauszug", from: "15.01.2025", to: "2025-02", due: "30.04.2025"))
                == RequestedPeriod(from: "2025-01-15", to: "2025-02-28"))
        #expect(
            try period(RequestEntry(bgNummer: bg, documentClass: "kontoauszug", from: "04/2025", due: "2025-04-30"))
                == RequestedPeriod(from: "2025-04-01", to: "2025-04-30"))
        #expect(
            try period(RequestEntry(bgNummer: bg, documentClass: "kontoauszug", months: 3, due: "2025-01-30"), today: "2025-01-10")
                == RequestedPeriod(from: "2024-10-01", to: "2024-12-31"))
        #expect(try period(RequestEntry(bgNummer: bg, documentClass: "mietvertrag", due: "2025-04-30")) == nil)
        #expect(
            try RequestEntry(bgNummer: bg, documentClass: "kontoauszug", due: "24.04.2025").validated(by: engine, today: "2025-04-10")
                .dueDate == "2025-04-24")
    }

    @Test("which fields give a class's period: statements by days, payslips by month, a rent contract none")
    func periodKinds() {
        let engine = FindingsEngine(configuration: FindingsFixture.configuration)
        #expect(engine.periodKind(ofClass: "kontoauszug") == .days(from: "zeitraum_von", to: "zeitraum_bis"))
        #expect(engine.periodKind(ofClass: "lohnabrechnung") == .month("abrechnungsmonat"))
        #expect(engine.periodKind(ofClass: "mietvertrag") == .none)
        #expect(engine.periodKind(ofClass: "wohngeldbescheid") == .days(from: "zeitraum_von", to: "zeitraum_bis"))
    }
}

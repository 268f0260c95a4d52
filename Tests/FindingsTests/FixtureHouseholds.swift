import Akte
import Foundation
import Testing

@testable import Findings

/// Households with documents as the pipeline files them, each raising exactly the findings it
/// names: one (or more) per finding code, and households that raise none at the edge of each
/// check (limits exactly met, the same net pay, the known IBAN, statements that join).
struct FixtureHousehold: Sendable, CustomTestStringConvertible {
    struct Document: Sendable {
        var documentClass: String
        var received: String
        var fields: [String: String]
    }

    struct Request: Sendable {
        var documentClass: String
        var months: Int? = nil
        var from: String? = nil
        var due: String
        /// The day it is recorded.
        var on: String
        /// Taken back (with this note) right after.
        var closedWith: String? = nil
    }

    var name: String
    var persons = 2
    var postcode = "50667"
    var documents: [Document] = []
    var requests: [Request] = []
    /// The day the findings are computed.
    var today = "2025-05-15"
    /// The codes raised, in any order (a code twice when raised twice).
    var expected: [FindingCode]

    var testDescription: String { name }
}

enum FixtureHouseholds {
    typealias Document = FixtureHousehold.Document

    static let iban = "DE89370400440532013000"
    static let otherIBAN = "DE46330600980105511873"

    static func rent(_ fields: [String: String], as documentClass: String = "mietvertrag", received: String = "2025-02-03") -> Document {
        Document(documentClass: documentClass, received: received, fields: fields)
    }

    static func statement(_ from: String, _ to: String, _ opening: String, _ closing: String, iban: String = iban) -> Document {
        Document(
            documentClass: "kontoauszug", received: "2025-04-11",
            fields: ["iban": iban, "zeitraum_von": from, "zeitraum_bis": to, "saldo_alt": opening, "saldo_neu": closing])
    }

    static func payslip(_ month: String, _ net: String, employer: String = "Müller Logistik GmbH") -> Document {
        Document(
            documentClass: "lohnabrechnung", received: month + "-28",
            fields: ["abrechnungsmonat": month, "netto": net, "brutto": "2000.00", "arbeitgeber": employer])
    }

    /// January to March, joined, balances carried over.
    static let quarter = [
        statement("2025-01-01", "2025-01-31", "100.00", "250.00"),
        statement("2025-02-01", "2025-02-28", "250.00", "-85.20"),
        statement("2025-03-01", "2025-03-31", "-85.20", "40.00"),
    ]

    static let all: [FixtureHousehold] = [
        // Rent against the Köln example limits for two persons: 788 €, 65 m², 1,30 €/m².
        FixtureHousehold(
            name: "rent over every limit",
            documents: [rent(["kaltmiete": "650.00", "nebenkosten": "162.00", "heizkosten": "120.00", "wohnflaeche": "72.5"])],
            expected: [.kduOverLimit, .wohnflaecheOverLimit, .heizkostenOverLimit]),
        FixtureHousehold(
            name: "rent exactly at every limit",
            documents: [rent(["kaltmiete": "600.00", "nebenkosten": "188.00", "heizkosten": "84.50", "wohnflaeche": "65"])],
            expected: []),
        FixtureHousehold(
            name: "Bruttokaltmiete one cent over the limit",
            documents: [rent(["kaltmiete": "600.00", "nebenkosten": "188.01", "heizkosten": "84.50", "wohnflaeche": "65"])],
            expected: [.kduOverLimit]),
        FixtureHousehold(
            name: "floor area 0,01 m² over the limit",
            documents: [rent(["kaltmiete": "600.00", "nebenkosten": "188.00", "heizkosten": "84.50", "wohnflaeche": "65.01"])],
            expected: [.wohnflaecheOverLimit]),
        FixtureHousehold(
            name: "heating one cent over 1,30 €/m²",
            documents: [rent(["kaltmiete": "600.00", "nebenkosten": "188.00", "heizkosten": "84.51", "wohnflaeche": "65"])],
            expected: [.heizkostenOverLimit]),
        FixtureHousehold(
            name: "a household of five within its larger limits (1.251 €, 110 m²)", persons: 5,
            documents: [rent(["kaltmiete": "1100.00", "nebenkosten": "151.00", "wohnflaeche": "110"])],
            expected: []),
        // Bank statements.
        FixtureHousehold(name: "statements that join, balances carried over", documents: quarter, expected: []),
        FixtureHousehold(
            name: "a statement gap of one day",
            documents: [
                statement("2025-01-01", "2025-01-31", "100.00", "250.00"), statement("2025-02-02", "2025-02-28", "250.00", "-85.20"),
            ],
            expected: [.statementGap]),
        FixtureHousehold(
            name: "a closing balance that is not the next opening balance",
            documents: [
                statement("2025-01-01", "2025-01-31", "100.00", "250.00"), statement("2025-02-01", "2025-02-28", "250.01", "-85.20"),
            ],
            expected: [.balanceMismatch]),
        FixtureHousehold(
            name: "the known IBAN again", documents: quarter + [statement("2025-04-01", "2025-04-30", "40.00", "10.00")],
            expected: []),
        FixtureHousehold(
            name: "a new IBAN", documents: quarter + [statement("2025-04-01", "2025-04-30", "5.00", "10.00", iban: otherIBAN)],
            expected: [.newIBAN]),
        // Changes to report.
        FixtureHousehold(
            name: "the same net pay", documents: [payslip("2025-01", "1400.00"), payslip("2025-02", "1400.00")], expected: []),
        FixtureHousehold(
            name: "net pay exactly 10 % higher", documents: [payslip("2025-01", "1400.00"), payslip("2025-02", "1540.00")],
            expected: []),
        FixtureHousehold(
            name: "net pay one cent more than 10 % higher",
            documents: [payslip("2025-01", "1400.00"), payslip("2025-02", "1540.01")], expected: [.incomeChanged]),
        FixtureHousehold(
            name: "another employer",
            documents: [payslip("2025-01", "1400.00"), payslip("2025-02", "1400.00", employer: "Bäckerei Schmidt")],
            expected: [.newEmployer]),
        FixtureHousehold(
            name: "the same employer written in capitals",
            documents: [payslip("2025-01", "1400.00"), payslip("2025-02", "1400.00", employer: "MÜLLER LOGISTIK GMBH")],
            expected: []),
        FixtureHousehold(
            name: "a rent certificate with a higher rent than the contract", persons: 3,
            documents: [
                rent(["kaltmiete": "450.00", "nebenkosten": "120.00"]),
                rent(["kaltmiete": "480.00", "nebenkosten": "120.00"], as: "mietbescheinigung", received: "2025-03-10"),
            ],
            expected: [.rentChanged]),
        FixtureHousehold(
            name: "a rent certificate with the contract's rent", persons: 3,
            documents: [
                rent(["kaltmiete": "450.00", "nebenkosten": "120.00"]),
                rent(["kaltmiete": "450.00", "nebenkosten": "120.00"], as: "mietbescheinigung", received: "2025-03-10"),
            ],
            expected: []),
        FixtureHousehold(
            name: "a notice of termination by the employer",
            documents: [Document(documentClass: "kuendigung", received: "2025-03-03", fields: ["gekuendigt_durch": "arbeitgeber"])],
            expected: [.noticeReceived]),
        // Requested documents.
        FixtureHousehold(
            name: "statements requested, due date not yet passed",
            documents: Array(quarter.prefix(2)),
            requests: [.init(documentClass: "kontoauszug", months: 3, due: "2025-05-15", on: "2025-04-10")],
            expected: [.requestOpen]),
        FixtureHousehold(
            name: "statements requested, due date passed",
            documents: Array(quarter.prefix(2)),
            requests: [.init(documentClass: "kontoauszug", months: 3, due: "2025-05-14", on: "2025-04-10")],
            expected: [.requestOverdue]),
        FixtureHousehold(
            name: "statements requested and all three months filed", documents: quarter,
            requests: [.init(documentClass: "kontoauszug", months: 3, due: "2025-04-24", on: "2025-04-10")],
            expected: [.requestFulfilled]),
        FixtureHousehold(
            name: "statements requested, a gap of one day in them",
            documents: [
                statement("2025-01-01", "2025-01-31", "100.00", "250.00"), statement("2025-02-02", "2025-03-31", "250.00", "40.00"),
            ],
            requests: [.init(documentClass: "kontoauszug", months: 3, due: "2025-05-20", on: "2025-04-10")],
            expected: [.statementGap, .requestOpen]),
        FixtureHousehold(
            name: "payslips from 01/2025 requested, all filed",
            documents: [payslip("2025-01", "1400.00"), payslip("2025-02", "1400.00"), payslip("2025-03", "1400.00")],
            requests: [.init(documentClass: "lohnabrechnung", from: "01/2025", due: "2025-04-24", on: "2025-04-10")],
            expected: [.requestFulfilled]),
        // A household whose documents are all in order, with a request taken back: nothing.
        FixtureHousehold(
            name: "everything in order", persons: 3,
            documents: quarter + [
                rent(["kaltmiete": "700.00", "nebenkosten": "200.00", "heizkosten": "90.00", "wohnflaeche": "78.5"]),
                rent(["kaltmiete": "700.00", "nebenkosten": "200.00", "heizkosten": "90.00"], as: "mietbescheinigung", received: "2025-03-10"),
                payslip("2025-01", "1400.00"), payslip("2025-02", "1450.00"), payslip("2025-03", "1400.00"),
            ],
            requests: [
                .init(documentClass: "meldebescheinigung", due: "2025-04-24", on: "2025-04-10", closedWith: "im Termin vorgelegt")
            ],
            expected: []),
    ]
}

@Suite("Findings: fixture households")
struct FixtureHouseholdTests {
    @Test("each fixture household raises exactly the findings it names", arguments: FixtureHouseholds.all)
    func household(_ household: FixtureHousehold) throws {
        let fixture = try FindingsFixture(persons: household.persons, postcode: household.postcode)
        var ids: Set<String> = []
        for document in household.documents {
            ids.insert(try fixture.file(document.documentClass, document.fields, received: document.received))
        }
        for request in household.requests {
            fixture.setToday(request.on)
            let recorded = try fixture.request(request.documentClass, months: request.months, from: request.from, due: request.due)
            if let note = request.closedWith { try fixture.store.closeRequest(id: recorded.id, note: note, by: "sb-42") }
        }
        fixture.setToday(household.today)
        let found = try fixture.findings()
        #expect(found.map(\.code).sorted() == household.expected.sorted(), "\(found.map(\.message))")
        for finding in found {
            #expect(Set(finding.documentIDs).isSubset(of: ids))
            #expect(finding.message.hasSuffix("."))
            #expect(finding.message.contains { $0.isNumber }, "a finding names its figures: \(finding.message)")
        }
    }

    @Test("every finding code has a fixture household that raises it, and some households raise none")
    func coverage() {
        let raised = Set(FixtureHouseholds.all.flatMap(\.expected))
        #expect(raised == Set(FindingCode.allCases), "without a household: \(Set(FindingCode.allCases).subtracting(raised))")
        #expect(FixtureHouseholds.all.filter { $0.expected.isEmpty }.count >= 5)
    }
}

import Foundation
import Testing

@testable import Akte

@Suite("Full-text search")
struct SearchTests {
    private func fixtureWithDocuments(_ backend: AkteBackend) throws -> (AkteFixture, rent: String, payslip: String) {
        let fixture = try AkteFixture(backend)
        _ = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        let rent = try fixture.store.file(AkteFixture.mietvertrag()).documentID
        let payslip = try fixture.store.file(
            AkteFixture.mietvertrag(
                uploadID: "u2", bytes: "lohn", caseID: "96301BG0099999",
                text: "Entgeltabrechnung März 2025 für Ayşe Özdemir, Gesamtbrutto 2.345,67 €, Straße der Einheit")
        ).documentID
        return (fixture, rent, payslip)
    }

    @Test("German words with umlauts are found, in any case and spelled without the dots", arguments: AkteBackend.allCases)
    func umlauts(_ backend: AkteBackend) throws {
        let (fixture, rent, payslip) = try fixtureWithDocuments(backend)
        #expect(try fixture.store.search("Müller", cases: nil).map(\.document.id) == [rent])
        #expect(try fixture.store.search("MÜLLER", cases: nil).map(\.document.id) == [rent])
        #expect(try fixture.store.search("Ozdemir", cases: nil).map(\.document.id) == [payslip])
        #expect(try fixture.store.search("märz özdemir", cases: nil).map(\.document.id) == [payslip])
        #expect(try fixture.store.search("Straße", cases: nil).map(\.document.id) == [payslip])
        #expect(try fixture.store.search("2.345,67", cases: nil).map(\.document.id) == [payslip])
        #expect(try fixture.store.search("Entgelt*", cases: nil).map(\.document.id) == [payslip])
        #expect(try fixture.store.search("Müller", cases: nil).first?.snippet.contains("[Müller]") == true)
    }

    @Test(
        "FTS syntax typed into the search box neither errors nor widens the search",
        arguments: [
            #""foo AND ("#, "foo AND (", "\"", "(", "*", "NEAR(a b)", "text:Müller OR x", "-Müller", "^Müller",
            "'; DROP TABLE documents; --", "", "a & b | !c <-> d:*", "'x' & 'y'",
        ],
        AkteBackend.allCases
    )
    func hostileInput(_ input: String, _ backend: AkteBackend) throws {
        let (fixture, rent, _) = try fixtureWithDocuments(backend)
        let hits = try fixture.store.search(input, cases: nil)
        // Only the Müller queries may find something, and then only the document that says Müller.
        #expect(hits.allSatisfy { $0.document.id == rent })
        if !input.contains("Müller") { #expect(hits.isEmpty) }
        #expect(try fixture.store.inbox(since: nil, caseID: nil, limit: 10).count == 2)
    }

    @Test("a search limited to cases never shows another household's documents", arguments: AkteBackend.allCases)
    func limitedToCases(_ backend: AkteBackend) throws {
        let (fixture, rent, payslip) = try fixtureWithDocuments(backend)
        #expect(try fixture.store.search("Müller", cases: ["96301BG0099999"]).isEmpty)
        #expect(try fixture.store.search("Müller", cases: ["96301BG0012345"]).map(\.document.id) == [rent])
        #expect(try fixture.store.search("Özdemir", cases: []).isEmpty)
        // Follows the effective case after a reassignment.
        try fixture.store.assign(documentID: payslip, caseID: "96301BG0012345", by: "sb-1")
        #expect(try fixture.store.search("Özdemir", cases: ["96301BG0012345"]).map(\.document.id) == [payslip])
    }

    @Test("health data is kept out of the full-text index", arguments: AkteBackend.allCases)
    func sensitiveNotIndexed(_ backend: AkteBackend) throws {
        let fixture = try AkteFixture(backend)
        _ = try fixture.store.importRegister(AkteFixture.register, rejected: [])
        let id = try fixture.store.file(
            AkteFixture.mietvertrag(text: "Arbeitsunfähigkeitsbescheinigung Diagnose", sensitive: true)
        ).documentID
        #expect(try fixture.store.search("Diagnose", cases: nil).isEmpty)
        #expect(try fixture.store.document(id: id, viewer: "sb-1").text.contains("Diagnose"))
    }

    @Test("user input becomes quoted phrases only")
    func queryShape() {
        #expect(SearchQuery(#""foo AND ("#).matchExpression == #""foo" "AND""#)
        #expect(SearchQuery("Müller-Lüdenscheidt miet*").matchExpression == #""Müller Lüdenscheidt" "miet" *"#)
        #expect(SearchQuery("( ) \" *").matchExpression == nil)
        // PostgreSQL: plain chunks as typed (phraseto_tsquery has no syntax), prefixes from words only.
        #expect(
            SearchQuery("Müller-Lüdenscheidt it's:* 2.345,67").postgresChunks == [
                .init(query: "Müller-Lüdenscheidt", isPrefix: false), .init(query: "'it' <-> 's':*", isPrefix: true),
                .init(query: "2.345,67", isPrefix: false),
            ])
        #expect(SearchQuery("( ) \" *").postgresChunks.isEmpty)
    }
}

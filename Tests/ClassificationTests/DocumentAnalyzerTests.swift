import Foundation
import Testing

@testable import Classification

@Suite("Document analysis")
struct DocumentAnalyzerTests {
    let analyzer = TestResources.analyzer

    @Test("A clear payslip with its Kundennummer is filed without review")
    func clearDocument() {
        let analysis = analyzer.analyze(text: SampleDocuments.lohnabrechnung + "\nKundennummer 963D111111")
        #expect(analysis.classification.classID == "lohnabrechnung")
        #expect(analysis.caseMatch.caseID == "96301BG0011111")
        #expect(analysis.caseMatch.route == .number)
        #expect(analysis.field("brutto")?.value == "2450.00")
        #expect(!analysis.needsReview, "\(analysis.reviewReasons)")
        #expect(analysis.reviewReasons.isEmpty)
    }

    @Test("An unknown document type goes to review")
    func unknownType() {
        let analysis = analyzer.analyze(text: SampleDocuments.sonstiges, claims: .sidecar("96301BG0012345"))
        #expect(analysis.classification.classID == "sonstiges")
        #expect(analysis.fields.isEmpty)
        #expect(analysis.needsReview)
        #expect(analysis.reviewReasons.contains { $0.hasPrefix("Dokumentart unbekannt") })
    }

    @Test("No case sends the document to review with the matcher's reasons")
    func noCase() {
        let analysis = analyzer.analyze(text: SampleDocuments.kontoauszug)
        #expect(analysis.caseMatch.caseID == nil)
        #expect(analysis.needsReview)
        #expect(analysis.reviewReasons.contains { $0.hasPrefix("Kein Fall: ") && $0.contains(analysis.caseMatch.reasons[0].german) })
    }

    @Test("A sick note is sensitive and always reviewed")
    func sensitive() {
        let analysis = analyzer.analyze(text: SampleDocuments.auBescheinigung, claims: .sidecar("96301BG0012345"))
        #expect(analysis.classification.classID == "au_bescheinigung")
        #expect(analysis.sensitive)
        #expect(analysis.needsReview)
        #expect(analysis.reviewReasons.contains { $0.contains("besonders geschützte Klasse „Arbeitsunfähigkeitsbescheinigung“") })
        #expect(Set(analysis.fields.map(\.key)) == ["au_von", "au_bis"])
    }

    @Test("A doubtful field sends the document to review when the policy says so")
    func doubtfulField() throws {
        let text = SampleDocuments.mietvertrag.replacingOccurrences(of: "650,00 EUR", with: "700,00 EUR")
        let analysis = analyzer.analyze(text: text, claims: .sidecar("96301BG0012345"))
        #expect(analysis.reviewReasons.contains { $0.hasPrefix("Angabe „Gesamtmiete“ zweifelhaft") })

        var lenient = TestResources.configuration
        lenient.review.doubtfulFieldsNeedReview = false
        let relaxed = DocumentAnalyzer(
            configuration: lenient, register: TestResources.register, referenceDate: TestResources.referenceDate
        )
        .analyze(text: text, claims: .sidecar("96301BG0012345"))
        #expect(!relaxed.reviewReasons.contains { $0.contains("doubtful") })
        #expect(relaxed.field("gesamtmiete")?.doubtful == true)
    }

    @Test("Two classes with equal evidence go to review for the small margin")
    func smallMargin() {
        let analysis = analyzer.analyze(text: "Mietbescheinigung\nKontoauszug", claims: .sidecar("96301BG0012345"))
        #expect(analysis.reviewReasons.contains { $0.contains("nur mit Abstand") })
    }

    @Test("Without a register no case is set")
    func noRegister() {
        let analysis = DocumentAnalyzer(configuration: TestResources.configuration, register: nil)
            .analyze(text: "BG-Nummer 96301BG0012345\n" + SampleDocuments.kontoauszug)
        #expect(analysis.caseMatch.caseID == nil)
        #expect(analysis.caseMatch.reasons == [.noRegister])
    }

    @Test("The analysis encodes to JSON with the contract's route names")
    func codable() throws {
        let analysis = analyzer.analyze(text: SampleDocuments.mietbescheinigung)
        let data = try JSONEncoder().encode(analysis)
        let json = try #require(String(data: data, encoding: .utf8))
        #expect(json.contains("\"route\":\"name\""))
        #expect(json.contains("\"caseID\":\"96301BG0067890\""))
        let decoded = try JSONDecoder().decode(DocumentAnalysis.self, from: data)
        #expect(decoded == analysis)
        #expect(
            CaseMatch.Route.allCases.map(\.rawValue)
                == ["sidecar", "trusted_channel", "cover_sheet", "barcode", "number", "name", "none"])
        // Each reason carries its code, the German a caseworker reads and the English beside it.
        #expect(json.contains("\"code\":\"name_confirmed\""))
        #expect(json.contains("Name einer registrierten Person in Zeile"))
        #expect(json.contains("name of a registered person on line"))
    }

    @Test("A case decision stored before reasons had codes still reads, its sentences kept as written")
    func oldStoredShape() throws {
        let stored = #"""
            {"caseID":null,"route":"none","candidates":[{"caseID":"96301BG0012345","evidence":["BG-Nummer 96301BG0012345 in line 3"]}],
             "reasons":["no sidecar, barcode, registered case number or registered name with address found"]}
            """#
        let decoded = try JSONDecoder().decode(CaseMatch.self, from: Data(stored.utf8))
        #expect(decoded.route == .none)
        #expect(decoded.reasons.map(\.code) == [.recorded])
        #expect(decoded.reasons.first?.german == "no sidecar, barcode, registered case number or registered name with address found")
        #expect(decoded.candidates.first?.evidence == ["BG-Nummer 96301BG0012345 in line 3"])
    }

    @Test("A date in the future fails not_future against the reference date")
    func notFuture() throws {
        let yaml = """
            version: 1
            review: {minimum_confidence: 0.5, minimum_margin: 0.3}
            case_matching:
              case_number_patterns: []
              customer_number_patterns: []
              name_matching: {address_evidence: [postcode], minimum_address_matches: 1}
            fallback_class: sonstiges
            classes:
              - id: brief
                label: Brief
                threshold: 1
                rules: [{phrase: Brief, weight: 2}]
                fields:
                  - {key: datum, type: date, labels: [Datum], checks: [not_future]}
              - id: sonstiges
                label: Sonstiges
            """
        let configuration = try PipelineConfiguration(yaml: yaml)
        let analyzer = DocumentAnalyzer(configuration: configuration, register: nil, referenceDate: TestResources.referenceDate)
        #expect(analyzer.analyze(text: "Brief\nDatum: 01.07.2025").field("datum")?.doubtful == true)
        #expect(analyzer.analyze(text: "Brief\nDatum: 01.06.2025").field("datum")?.doubtful == false)
    }
}

import Foundation
import PosteingangTestKit
import Testing

@testable import Classification

/// Every reason and doubt a caseworker reads is German. Each case below makes the
/// analysis raise one kind of doubt (it is checked that it did, so that none passes by raising
/// nothing); then the review reasons, the field's reason and its checks' details are searched for
/// the English they held before (`EnglishText`). The case reasons are written in both languages:
/// their German must be German, their English English.
@Suite("Reasons in German")
struct ReasonLanguageTests {
    let analyzer = TestResources.analyzer

    static func statement(_ head: String, iban: String = "DE89 3704 0044 0532 0130 00") -> String {
        "\(head)\nKontoauszug Nr. 3/2025\nIBAN \(iban)\nZeitraum 01.03.2025 bis 31.03.2025\nalter Kontostand 120,00 EUR\nneuer Kontostand 85,20 EUR"
    }

    static func payslip(employer: String, footer: String? = nil, month: String = "März 2025") -> String {
        """
        Entgeltabrechnung für \(month)
        Arbeitgeber: \(employer)
        Personalnummer 10077
        Steuerklasse 1
        Gesamtbrutto 2.345,00 EUR
        Nettoverdienst 1.612,50 EUR
        Auszahlungsbetrag 1.612,50 EUR
        """ + (footer.map { "\n\($0)" } ?? "")
    }

    /// (what, text, the field that must be doubtful or nil for a reason of the whole document)
    static let cases: [(String, String, String?)] = {
        var zone = NewClassesTests.germanID
        zone[1] = "6408125<2010315D<<<<<<<<<<<<<5"
        return [
            ("MRZ check digits", NewClassesTests.idCopy(zone: zone), "gueltig_bis"),
            ("MRZ against the visual zone", NewClassesTests.idCopy(zone: NewClassesTests.germanID)
                .replacingOccurrences(of: "31.10.2020", with: "31.10.2030"), "gueltig_bis"),
            ("bank register", statement("Sparkasse Bielefeld"), "bank"),
            ("same label, two values", "Mietbescheinigung\nVermieter: Hans Seidel\nKaltmiete 450,00 €\nNebenkosten 120,00 €\nKaltmiete 480,00 €", "kaltmiete"),
            ("name in small letters", payslip(employer: "muster Logistik GmbH"), "arbeitgeber"),
            ("name read differently", payslip(employer: "Reinigungsservice Blank e.K.", footer: "Reinigungsservlce Blank e.K. · Hafenstraße 3"), "arbeitgeber"),
            ("IBAN checksum", statement("Commerzbank", iban: "DE89 3704 0044 0532 0130 01"), "iban"),
            ("second IBAN", "Commerzbank\nKontoauszug Nr. 3/2025\nMax Muster DE89 3704 0044 0532 0130 00\nZeitraum 01.03.2025 bis 31.03.2025\nGegenkonto DE02 1203 0000 0000 2020 51\nneuer Kontostand 85,20 EUR", "iban"),
            ("a date that does not exist", "Mietbescheinigung\nVermieter: Hans Seidel\nMietbeginn 31.02.2025\nKaltmiete 450,00 €", "mietbeginn"),
            ("a month that does not exist", payslip(employer: "Muster Logistik GmbH", month: "13/2025"), nil),
            ("unknown class", "Sehr geehrte Damen und Herren,\nanbei sende ich Ihnen die Unterlagen.", nil),
            ("health data", "Arbeitsunfähigkeitsbescheinigung\nErstbescheinigung\narbeitsunfähig seit 03.03.2025\nvoraussichtlich arbeitsunfähig bis 14.03.2025", nil),
        ]
    }()

    @Test("every doubt and review reason of the analysis is German", arguments: 0..<cases.count)
    func reasonsAreGerman(index: Int) throws {
        let (what, text, doubtfulField) = Self.cases[index]
        let analysis = analyzer.analyze(text: text)
        if let key = doubtfulField {
            let field = try #require(analysis.field(key), "\(what): no field \(key) in \(analysis.fields.map(\.key))")
            #expect(field.doubtful, "\(what): \(key) is not doubtful")
        } else {
            #expect(!analysis.reviewReasons.isEmpty, "\(what): no review reason")
        }
        var texts = analysis.reviewReasons
        for field in analysis.fields {
            texts += [field.reason].compactMap { $0 } + field.checks.map(\.detail)
        }
        #expect(!texts.isEmpty)
        let english = texts.filter(EnglishText.isEnglish)
        #expect(english.isEmpty, "\(what): \(english)")
    }

    @Test("the case reasons: German for the caseworker, English beside it for the API")
    func caseReasons() {
        let sighting = NameSighting(line: 7, addressParts: [.street, .postcode])
        let number = NumberSighting(kind: .bgNummer, number: "96301BG0099999", place: .line(3))
        let reasons: [CaseReason] = [
            .namedCase("96301BG0012345", by: .sidecar), .namedCaseNotRegistered("96301BG0099999", by: .coverSheet(page: 1)),
            .namedCaseContradicted("96301BG0012345", by: .trustedChannel("scanner"), others: ["96301BG0012388"]),
            .coverContradictsSidecar(page: 1, cover: "96301BG0012345", sidecar: "96301BG0012388"),
            .claimConfirmed("96301BG0012345", channel: "app"), .claimNotConfirmed("96301BG0012345", channel: nil, contentCase: "96301BG0012388"),
            .numberOfCase(number, caseID: "96301BG0012345"), .numberNotRegistered(number),
            .severalHouseholds(["96301BG0012345", "96301BG0012388"], by: .text),
            .otherNumberInText("96301BG0012345", otherCases: ["96301BG0012388"], unknown: [number], by: .barcode),
            .personOfOtherHousehold("96301BG0012345", households: ["96301BG0012388"], by: .text), .nameConfirmed(sighting),
            .nameAlsoFits(["96301BG0012388"]), .namesTie(["96301BG0012345", "96301BG0012388"]), .nameWithoutAddress(["96301BG0012345"]),
            .nothingFound, .noRegister,
        ]
        #expect(Set(reasons.map(\.code)) == Set(CaseReason.Code.allCases).subtracting([.recorded]))
        for reason in reasons {
            #expect(!EnglishText.isEnglish(reason.german), "\(reason.code): \(reason.german)")
            #expect(EnglishText.isEnglish(reason.english), "\(reason.code): \(reason.english)")
        }
    }
}

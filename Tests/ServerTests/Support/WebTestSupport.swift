import Akte
import Foundation
import PosteingangTestKit

#if canImport(Glibc)
    import Glibc
#endif

/// Running `posteingang` expecting success, and the documents of the web tests.
enum WebTestSupport {
    /// Runs `posteingang` and expects success.
    @discardableResult
    static func posteingang(_ arguments: [String], input: String? = nil) throws -> String {
        let result = try TestKit.run(arguments, input: input)
        guard result.status == 0 else {
            throw TestKitError("posteingang \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
        return result.stdout
    }


    /// A payslip of Peter Schmidt (household 96301BG0012345 in fixtures/cases.csv): filed by name.
    static let payslip = TestKit.textPDF(lines: [
        "Muster Logistik GmbH, Hafenstrasse 3, 44147 Dortmund", "", "Herrn", "Peter Schmidt", "Lindenstraße 12",
        "44137 Dortmund", "", "Entgeltabrechnung für März 2025", "Personalnummer 10077", "Steuerklasse 1",
        "Gesamtbrutto 2.345,00 EUR", "Nettoverdienst 1.612,50 EUR", "Auszahlungsbetrag 1.612,50 EUR",
    ])

    /// A sick note of Peter Schmidt: health data.
    static let sickNote = TestKit.textPDF(lines: [
        "Arbeitsunfähigkeitsbescheinigung", "Erstbescheinigung", "Krankenkasse AOK NordWest", "", "Peter Schmidt",
        "Lindenstraße 12", "44137 Dortmund", "", "arbeitsunfähig seit 03.03.2025",
        "voraussichtlich arbeitsunfähig bis einschließlich 14.03.2025", "festgestellt am 03.03.2025", "Vertragsarztstempel",
    ])

    /// A bank statement naming two households' BG-Nummern: the machine cannot decide, so it goes
    /// to review with both as candidates.
    static let ambiguousStatement = TestKit.textPDF(lines: [
        "Sparkasse Dortmund", "Kontoauszug Nr. 3/2025", "IBAN DE89 3704 0044 0532 0130 00", "Zeitraum 01.03.2025 bis 31.03.2025",
        "Verwendungszweck Jobcenter BG 96301BG0012345", "Verwendungszweck Jobcenter BG 96301BG0012388",
        "alter Kontostand 120,00 EUR", "neuer Kontostand 85,20 EUR",
    ])
}

extension WebTestSupport {
    /// A bank statement of Peter Schmidt whose IBAN fails its checksum: a doubtful field.
    static let statementWithBadIBAN = TestKit.textPDF(lines: [
        "Sparkasse Dortmund", "Kontoauszug Nr. 4/2025", "Peter Schmidt, Lindenstraße 12, 44137 Dortmund",
        "IBAN DE89 3704 0044 0532 0130 01", "Zeitraum 01.04.2025 bis 30.04.2025", "alter Kontostand 85,20 EUR",
        "neuer Kontostand 12,40 EUR",
    ])
}

import Foundation

@testable import Classification

/// Fixtures reached through one accessor: the shipped `pipeline.yml` and a small register.
enum TestResources {
    /// Repository root, found from this file's path (Tests/ClassificationTests/…).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let pipelineURL = repositoryRoot.appendingPathComponent("pipeline.yml")

    /// The shipped configuration; loading it is itself tested in ConfigurationTests.
    static let configuration: PipelineConfiguration = {
        do {
            return try PipelineConfiguration.load(from: pipelineURL)
        } catch {
            fatalError("shipped pipeline.yml does not load: \(error)")
        }
    }()

    /// The fields the shipped rules of `classID` extract from `text`, by key (today: 2025-06-15).
    static func fields(_ classID: String, _ text: String) -> [String: ExtractedField] {
        let definitions = configuration.documentClass(classID)?.fields ?? []
        let found = FieldExtractor(today: "2025-06-15").extract(definitions, from: DocumentText(text))
        return Dictionary(uniqueKeysWithValues: found.map { ($0.key, $0) })
    }

    /// Households:
    /// - 96301BG0012345: Anna and Jonas Müller, Hauptstraße 12, 10115 Berlin
    /// - 96301BG0067890: Peter Schmidt, Am Markt 3, 12049 Berlin
    /// - 96301BG0011111 and 96301BG0022222: two different Thomas Webers in 50667 Köln
    static let registerCSV = """
        bg_nummer,kundennummer,nachname,vorname,geburtsdatum,strasse,plz,ort
        96301BG0012345,963D123456,Müller,Anna,1985-04-12,Hauptstraße 12,10115,Berlin
        96301 BG 0012345,963D123457,Müller,Jonas,2012-06-01,Hauptstraße 12,10115,Berlin
        96301//0067890,963D654321,Schmidt,Peter,1970-01-30,"Am Markt 3, Hinterhaus",12049,Berlin
        96301BG0011111,963D111111,Weber,Thomas,1990-02-02,Lindenallee 5,50667,Köln
        96301BG0022222,963D222222,Weber,Thomas,1960-03-03,Birkenweg 7,50667,Köln
        """

    static let register: CaseRegister = {
        do {
            return try CaseRegister(csv: registerCSV)
        } catch {
            fatalError("test register does not load: \(error)")
        }
    }()

    /// 2025-06-15, so that `not_future` checks do not depend on the day the tests run.
    static let referenceDate = Date(timeIntervalSince1970: 1_749_988_800)

    static let analyzer = DocumentAnalyzer(configuration: configuration, register: register, referenceDate: referenceDate)
}

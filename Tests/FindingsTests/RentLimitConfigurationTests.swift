import Classification
import Foundation
import Testing

@testable import Findings

@Suite("Findings: the findings section of pipeline.yml")
struct RentLimitConfigurationTests {
    static let shipped = try! String(
        contentsOf: FindingsFixture.repositoryRoot.appendingPathComponent("pipeline.yml"), encoding: .utf8)

    /// The shipped file with its `findings:` section replaced by `section`.
    func replaced(_ section: String) -> String {
        let head = Self.shipped.components(separatedBy: "\nfindings:\n")[0]
        return head + "\n" + section
    }

    func error(_ yaml: String) -> ConfigurationError? {
        do {
            _ = try PipelineConfiguration(yaml: yaml, sourceName: "pipeline.yml")
            return nil
        } catch let error as ConfigurationError {
            return error
        } catch {
            return nil
        }
    }

    func line(of text: String, in yaml: String) -> Int {
        (yaml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(text) } ?? -1) + 1
    }

    @Test("the shipped Köln example: 651 € for one person … +158 € each further; 50/65 m² +15; 1,30 €/m²; 10 %")
    func shipped() throws {
        let settings = FindingsFixture.configuration.findings
        #expect(settings.incomeChangeShare == Decimal(string: "0.10"))
        let koeln = try #require(settings.rentLimits(postcode: "50667", on: "2025-01-01"))
        #expect(koeln.postcodes == nil)
        #expect(koeln.validFrom == "2022-01-01")
        #expect((1...7).map { koeln.bruttokaltmiete(persons: $0) } == [651, 788, 939, 1095, 1251, 1409, 1567])
        #expect((1...4).map { koeln.wohnflaeche(persons: $0) } == [50, 65, 80, 95])
        #expect(koeln.heizkostenPerSquareMetre == Decimal(string: "1.30"))
        #expect(settings.rentLimits(postcode: nil, on: "2021-12-31") == nil)
    }

    @Test("without the section there are no limits and the share is 10 %")
    func absent() throws {
        let configuration = try PipelineConfiguration(yaml: Self.shipped.components(separatedBy: "\nfindings:\n")[0])
        #expect(configuration.findings == FindingSettings())
    }

    @Test("mistakes are reported with file, line and column")
    func mistakes() throws {
        let badArea = replaced(
            """
            findings:
              rent_limits:
                - area: Köln
                  valid_from: 2022-01-01
                  bruttokaltmiete: [651]
                  wohnflaeche: [50]
            """)
        let areaError = try #require(error(badArea))
        #expect(areaError.line == line(of: "area: Köln", in: badArea))
        #expect(areaError.column == 13)
        #expect(areaError.description.contains("area must be 'default' or a list of postcodes"))

        let badDate = replaced(
            """
            findings:
              rent_limits:
                - area: [50667, 50668]
                  valid_from: 2022-02-30
                  bruttokaltmiete: [651]
                  wohnflaeche: [50]
            """)
        let dateError = try #require(error(badDate))
        #expect(dateError.line == line(of: "valid_from", in: badDate))
        #expect(dateError.message.contains("valid_from must be a date written YYYY-MM-DD"))

        let duplicate = replaced(
            """
            findings:
              rent_limits:
                - area: default
                  valid_from: 2022-01-01
                  bruttokaltmiete: [651]
                  wohnflaeche: [50]
                - area: default
                  valid_from: 2022-01-01
                  bruttokaltmiete: [700]
                  wohnflaeche: [50]
            """)
        let duplicateError = try #require(error(duplicate))
        #expect(duplicateError.message.contains("already given at line"))

        let unknownKey = replaced(
            """
            findings:
              income_change_share: 1.5
            """)
        #expect(try #require(error(unknownKey)).message.contains("must lie between 0 and 1"))

        let missing = replaced(
            """
            findings:
              rent_limits:
                - area: default
                  valid_from: 2022-01-01
                  wohnflaeche: [50]
            """)
        #expect(try #require(error(missing)).message.contains("bruttokaltmiete"))
    }
}

import Foundation

/// Everything the classification step is told by the operator: review policy, how cases
/// are matched, and the document classes with their rules and fields.
///
/// Loaded from `pipeline.yml`; every problem is reported with file, line and column.
public struct PipelineConfiguration: Sendable {
    /// Version of the configuration format (currently 1).
    public var version: Int
    /// Name of the file it was read from, for messages.
    public var sourceName: String
    public var review: ReviewPolicy
    public var caseMatching: CaseMatchingSettings
    /// Id of the class chosen when no class reaches its threshold (`sonstiges`).
    public var fallbackClassID: String
    /// All classes, in the order of the file.
    public var classes: [DocumentClass]
    /// Rent limits and thresholds of the findings (`findings:`); none when the section is absent.
    public var findings = FindingSettings()

    /// Format versions this code reads.
    public static let supportedVersions = [1]

    /// Reads and checks the configuration at `url`.
    public static func load(from url: URL) throws -> PipelineConfiguration {
        let yaml: String
        do {
            yaml = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ConfigurationError(
                file: url.path, line: 0, column: 0,
                message:
                    "cannot read the configuration file (\(error.localizedDescription)); check the path and that it is UTF-8 text"
            )
        }
        return try PipelineConfiguration(yaml: yaml, sourceName: url.lastPathComponent)
    }

    /// Parses and checks configuration text; `sourceName` names it in error messages.
    public init(yaml: String, sourceName: String = "pipeline.yml") throws {
        self = try ConfigurationLoader(sourceName: sourceName).load(yaml: yaml)
    }

    init(
        version: Int, sourceName: String, review: ReviewPolicy, caseMatching: CaseMatchingSettings,
        fallbackClassID: String, classes: [DocumentClass]
    ) {
        self.version = version
        self.sourceName = sourceName
        self.review = review
        self.caseMatching = caseMatching
        self.fallbackClassID = fallbackClassID
        self.classes = classes
    }

    /// The class with `id`, if configured.
    public func documentClass(_ id: String) -> DocumentClass? {
        classes.first { $0.id == id }
    }
}

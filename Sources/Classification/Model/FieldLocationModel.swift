import Foundation

/// Where caseworkers' field corrections show that a layout keeps a field the rules miss:
/// the label words before (or above) the corrected value, its neighbours on the line, its
/// place on the page, and the words that open documents of that layout.
///
/// Used beside the rules, never over them: only a field the rules did not find (or found only
/// doubtfully) is looked for at a learned location, and only a clear match is taken as it is
/// (`LearnedFieldFinder`). Stored as JSON next to `pipeline.yml` (`pipeline.fields.json`),
/// written by `posteingang train --corrections`; no file, no change.
public struct FieldLocationModel: Sendable {
    /// Everything stored in the file.
    public let file: FieldLocationFile
    private let byClassAndKey: [String: [LearnedLocation]]

    /// The file name next to a configuration: `pipeline.yml` → `pipeline.fields.json`.
    public static func companionURL(forConfiguration configuration: URL) -> URL {
        configuration.deletingPathExtension().appendingPathExtension("fields.json")
    }

    /// The learned locations next to `configuration`, or nil when there are none (rules only).
    public static func loadIfPresent(besideConfiguration configuration: URL) throws -> FieldLocationModel? {
        let url = companionURL(forConfiguration: configuration)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try load(from: url)
    }

    public static func load(from url: URL) throws -> FieldLocationModel {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelError("cannot read the field locations \(url.path) (\(error.localizedDescription))")
        }
        let file: FieldLocationFile
        do {
            file = try JSONDecoder().decode(FieldLocationFile.self, from: data)
        } catch {
            throw ModelError(
                "\(url.lastPathComponent) is not a field location file written by `posteingang train --corrections` (\(error)); retrain it or remove it to extract by rules only"
            )
        }
        do {
            return try FieldLocationModel(file: file)
        } catch let error as ModelError {
            throw ModelError("\(url.lastPathComponent): \(error.message)")
        }
    }

    /// Checks the file's shape.
    public init(file: FieldLocationFile) throws {
        guard file.format == FieldLocationFile.formatName else {
            throw ModelError("format '\(file.format)' is not '\(FieldLocationFile.formatName)'")
        }
        guard FieldLocationFile.supportedVersions.contains(file.formatVersion) else {
            throw ModelError(
                "format version \(file.formatVersion) is not supported (supported: \(FieldLocationFile.supportedVersions.map(String.init).joined(separator: ", "))); retrain with this version of posteingang"
            )
        }
        for location in file.locations {
            guard [location.lineShare, location.columnShare, location.lineShareSpread, location.columnShareSpread]
                .allSatisfy({ $0.isFinite && (0...1).contains($0) })
            else {
                throw ModelError("location of '\(location.classID).\(location.key)': shares must lie in 0...1; the file is damaged")
            }
            guard location.examples >= 0, location.layoutExamples >= location.examples else {
                throw ModelError("location of '\(location.classID).\(location.key)': example counts do not add up; the file is damaged")
            }
        }
        self.file = file
        self.byClassAndKey = Dictionary(grouping: file.locations) { "\($0.classID)\u{1F}\($0.key)" }
    }

    /// The locations learned for `key` of class `classID`.
    public func locations(classID: String, key: String) -> [LearnedLocation] {
        byClassAndKey["\(classID)\u{1F}\(key)"] ?? []
    }

    /// True when something was learned for class `classID`.
    public func knows(classID: String) -> Bool {
        file.locations.contains { $0.classID == classID }
    }

    /// The file as written to disk: sorted keys, so the same corrections give the same bytes.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(file)
    }
}

/// The stored form (`pipeline.fields.json`).
public struct FieldLocationFile: Sendable, Codable, Equatable {
    public static let formatName = "posteingang-field-locations"
    public static let supportedVersions = [1]

    public var format: String
    public var formatVersion: Int
    /// Day of training, `YYYY-MM-DD`.
    public var trainedAt: String
    /// Where the examples came from, e.g. `corrections (5)`.
    public var sources: [String]
    /// Corrected fields offered as examples.
    public var exampleCount: Int
    /// Examples that taught nothing, and why (value not in the text, free-text field, …).
    public var skipped: [String]
    public var locations: [LearnedLocation]

    public init(trainedAt: String, sources: [String], exampleCount: Int, skipped: [String], locations: [LearnedLocation]) {
        format = Self.formatName
        formatVersion = 1
        self.trainedAt = trainedAt
        self.sources = sources
        self.exampleCount = exampleCount
        self.skipped = skipped
        self.locations = locations
    }

    enum CodingKeys: String, CodingKey {
        case format
        case formatVersion = "format_version"
        case trainedAt = "trained_at"
        case sources
        case exampleCount = "example_count"
        case skipped, locations
    }
}

/// Where one layout keeps one field, as its corrected examples agree (or disagree).
public struct LearnedLocation: Sendable, Codable, Equatable {
    public var classID: String
    public var key: String
    public var type: FieldType
    /// Folded words that all examples of the layout share in their first lines (letterhead,
    /// sender, title): how a document of the layout is recognised.
    public var layoutWords: [String]
    /// Folded label words just before the value on its line (or, with `above`, in the cell
    /// above it); empty: the value stands without label words, found by its place alone.
    public var label: [String]
    /// The label as the first example prints it, for explanations (`Überlassungsbetrag Wohnraum`).
    public var labelText: String
    /// The label stands on the line above the value (forms, table headers).
    public var above: Bool
    /// Folded words right after the value that all examples share (`eur`, `monatlich`).
    public var neighbours: [String]
    /// Mean place of the value: line index within its page (0 top … 1 bottom) and column
    /// (0 left … 1 at the page's longest line end), with the spread (max − min) of the examples.
    public var lineShare: Double
    public var columnShare: Double
    public var lineShareSpread: Double
    public var columnShareSpread: Double
    /// Examples that agree on this location.
    public var examples: Int
    /// Examples of this class, field and layout in all (agreeing or not).
    public var layoutExamples: Int
    /// The examples disagree on where the value stands: nothing is taken for this layout
    /// (the learner abstains) until more corrections settle it.
    public var conflicting: Bool
    /// Labels of the disagreeing examples, for explanations.
    public var alternatives: [String]
    /// Where the examples came from (`document 3f2a…`).
    public var origins: [String]

    enum CodingKeys: String, CodingKey {
        case classID = "class"
        case key, type
        case layoutWords = "layout_words"
        case label
        case labelText = "label_text"
        case above, neighbours
        case lineShare = "line_share"
        case columnShare = "column_share"
        case lineShareSpread = "line_share_spread"
        case columnShareSpread = "column_share_spread"
        case examples
        case layoutExamples = "layout_examples"
        case conflicting, alternatives, origins
    }

    /// How the location reads to a caseworker: `'Überlassungsbetrag Wohnraum' (3 corrections)`.
    public var summary: String {
        let place =
            label.isEmpty
            ? "line \(Int((lineShare * 100).rounded()))% down the page, column \(Int((columnShare * 100).rounded()))%"
            : "'\(labelText)'\(above ? " above" : "")"
        return "\(place) (\(examples) correction\(examples == 1 ? "" : "s"))"
    }
}

/// What the learned locations did for one field of a document.
public struct LearnedFieldNote: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable, Equatable {
        /// A clear match: the value was taken.
        case taken
        /// A weak match: the value was taken and marked doubtful.
        case doubtful
        /// The examples disagree, or matches give different values: nothing taken.
        case abstained
        /// A match that gave nothing better than the rules' doubtful value: the rules' value stays.
        case kept
    }

    public var key: String
    public var outcome: Outcome
    public var detail: String
}

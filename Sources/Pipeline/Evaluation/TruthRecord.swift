import Foundation

/// One labelled document of an evaluation folder (`truth.jsonl`).
public struct TruthRecord: Sendable, Codable {
    public var file: String
    public var documentClass: String
    public var fields: [String: String]
    public var caseID: String?
    public var match: String?
    public var capture: String?
    public var text: String?

    enum CodingKeys: String, CodingKey {
        case file
        case documentClass = "class"
        case fields
        case caseID = "case"
        case match, capture, text
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        file = try c.decode(String.self, forKey: .file)
        documentClass = try c.decode(String.self, forKey: .documentClass)
        fields = try c.decodeIfPresent([String: String].self, forKey: .fields) ?? [:]
        caseID = try c.decodeIfPresent(String.self, forKey: .caseID)
        match = try c.decodeIfPresent(String.self, forKey: .match)
        capture = try c.decodeIfPresent(String.self, forKey: .capture)
        text = try c.decodeIfPresent(String.self, forKey: .text)
    }

    /// Reads `truth.jsonl`; errors name the line.
    public static func load(from url: URL) throws -> [TruthRecord] {
        let content: String
        do {
            content = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw EvaluationError(message: "cannot read \(url.path): a labelled folder needs truth.jsonl (one JSON object per line: file, class, fields, case, optional text)")
        }
        var records: [TruthRecord] = []
        for (index, line) in content.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            do {
                records.append(try JSONDecoder().decode(TruthRecord.self, from: Data(trimmed.utf8)))
            } catch {
                throw EvaluationError(message: "\(url.lastPathComponent):\(index + 1): not a truth record (needs \"file\" and \"class\"; \"fields\" an object of strings; \"case\" a string or null)")
            }
        }
        return records
    }
}

/// A labelled folder that cannot be evaluated.
public struct EvaluationError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

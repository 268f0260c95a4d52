import Foundation
import Yams

/// Turns `pipeline.yml` text into a checked `PipelineConfiguration`: the top level, `review` and
/// `case_matching` here; `classes`, their `fields`, the fields' `checks` and `findings` in the
/// extensions beside this file.
struct ConfigurationLoader {
    let reader: YAMLReader

    init(sourceName: String) {
        reader = YAMLReader(sourceName: sourceName)
    }

    private static let topKeys = ["version", "fallback_class", "review", "case_matching", "classes", "findings"]
    private static let reviewKeys = ["minimum_confidence", "minimum_margin", "doubtful_fields_need_review"]
    private static let caseKeys = ["case_number_patterns", "customer_number_patterns", "name_matching"]
    private static let nameKeys = ["address_evidence", "minimum_address_matches", "ocr_tolerance_minimum_length"]

    func load(yaml: String) throws(ConfigurationError) -> PipelineConfiguration {
        let root = try compose(yaml)
        let top = try reader.mapping(root, accepted: Self.topKeys, in: "the configuration")

        let versionNode = try reader.required(
            top, "version", in: "the configuration", at: root, meaning: "format version, write 'version: 1'")
        let version = try reader.integer(versionNode, "version")
        guard PipelineConfiguration.supportedVersions.contains(version) else {
            throw reader.error(
                at: versionNode,
                "unsupported version \(version) (supported: \(PipelineConfiguration.supportedVersions.map(String.init).joined(separator: ", ")))"
            )
        }
        let review = try loadReview(
            try reader.required(top, "review", in: "the configuration", at: root, meaning: "the review policy"))
        let caseMatching = try loadCaseMatching(
            try reader.required(
                top, "case_matching", in: "the configuration", at: root, meaning: "how documents are tied to cases"))
        let fallbackNode = try reader.required(
            top, "fallback_class", in: "the configuration", at: root,
            meaning: "the class for unknown documents, e.g. 'fallback_class: sonstiges'")
        let fallback = try reader.string(fallbackNode, "fallback_class")
        let classesNode = try reader.required(
            top, "classes", in: "the configuration", at: root, meaning: "the list of document classes")
        let declaredIDs = (classesNode.sequence.map(Array.init) ?? []).compactMap { $0.mapping?["id"]?.string }
        guard declaredIDs.contains(fallback) else {
            throw reader.error(
                at: fallbackNode,
                "fallback_class '\(fallback)' is not among the classes (defined: \(declaredIDs.joined(separator: ", ")))")
        }
        let classes = try loadClasses(classesNode, fallback: fallback)
        var configuration = PipelineConfiguration(
            version: version, sourceName: reader.sourceName, review: review, caseMatching: caseMatching,
            fallbackClassID: fallback, classes: classes)
        if let findings = top["findings"] { configuration.findings = try loadFindings(findings.value) }
        return configuration
    }

    private func compose(_ yaml: String) throws(ConfigurationError) -> Node {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let yamlError as YamlError {
            throw syntaxError(yamlError)
        } catch {
            throw ConfigurationError(file: reader.sourceName, line: 0, column: 0, message: "not readable as YAML: \(error)")
        }
        guard let root else {
            throw ConfigurationError(
                file: reader.sourceName, line: 1, column: 1,
                message: "the configuration is empty; it needs version, review, case_matching, fallback_class and classes")
        }
        return root
    }

    private func syntaxError(_ error: YamlError) -> ConfigurationError {
        func located(_ mark: Mark, _ message: String) -> ConfigurationError {
            ConfigurationError(file: reader.sourceName, line: mark.line, column: mark.column, message: message)
        }
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return located(mark, "YAML syntax: \(problem) (check indentation and quoting)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return located(
                context.mark,
                "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one mapping; each key may appear once")
        default:
            return ConfigurationError(file: reader.sourceName, line: 0, column: 0, message: "YAML syntax: \(error)")
        }
    }

    private func loadReview(_ node: Node) throws(ConfigurationError) -> ReviewPolicy {
        let entries = try reader.mapping(node, accepted: Self.reviewKeys, in: "review")
        let confidenceNode = try reader.required(
            entries, "minimum_confidence", in: "review", at: node, meaning: "a number in 0...1")
        let marginNode = try reader.required(entries, "minimum_margin", in: "review", at: node, meaning: "a number in 0...1")
        let confidence = try reader.number(confidenceNode, "review.minimum_confidence")
        let margin = try reader.number(marginNode, "review.minimum_margin")
        for (value, valueNode, name) in [
            (confidence, confidenceNode, "minimum_confidence"), (margin, marginNode, "minimum_margin"),
        ]
        where !(0...1).contains(value) {
            throw reader.error(at: valueNode, "review.\(name) must lie in 0...1 (found \(value))")
        }
        let doubtful =
            try entries["doubtful_fields_need_review"].map { entry throws(ConfigurationError) in
                try reader.bool(entry.value, "review.doubtful_fields_need_review")
            } ?? true
        return ReviewPolicy(minimumConfidence: confidence, minimumMargin: margin, doubtfulFieldsNeedReview: doubtful)
    }

    private func loadCaseMatching(_ node: Node) throws(ConfigurationError) -> CaseMatchingSettings {
        let entries = try reader.mapping(node, accepted: Self.caseKeys, in: "case_matching")
        let caseNode = try reader.required(
            entries, "case_number_patterns", in: "case_matching", at: node,
            meaning: "regexes that find a BG-Nummer or file number")
        let customerNode = try reader.required(
            entries, "customer_number_patterns", in: "case_matching", at: node,
            meaning: "regexes that find a Kundennummer (may be an empty list [])")
        var casePatterns: [ConfiguredPattern] = []
        for item in try reader.sequence(caseNode, "case_matching.case_number_patterns") {
            casePatterns.append(try reader.pattern(item, "case number pattern"))
        }
        var customerPatterns: [ConfiguredPattern] = []
        for item in try reader.sequence(customerNode, "case_matching.customer_number_patterns") {
            customerPatterns.append(try reader.pattern(item, "customer number pattern"))
        }
        let nameNode = try reader.required(
            entries, "name_matching", in: "case_matching", at: node, meaning: "the minimum evidence for a name match")
        let names = try reader.mapping(nameNode, accepted: Self.nameKeys, in: "case_matching.name_matching")
        let evidenceNode = try reader.required(
            names, "address_evidence", in: "name_matching", at: nameNode,
            meaning: "address parts that confirm a name: street, postcode, city")
        var evidence: [AddressPart] = []
        for item in try reader.sequence(evidenceNode, "name_matching.address_evidence") {
            let word = try reader.string(item, "address part")
            guard let part = AddressPart(rawValue: word) else {
                let accepted = AddressPart.allCases.map(\.rawValue)
                throw reader.error(
                    at: item,
                    "unknown address part '\(word)' (accepted: \(accepted.joined(separator: ", ")))\(reader.hint(word, accepted))"
                )
            }
            evidence.append(part)
        }
        let minimumNode = try reader.required(
            names, "minimum_address_matches", in: "name_matching", at: nameNode,
            meaning: "how many address parts must be found, at least 1")
        let minimum = try reader.integer(minimumNode, "name_matching.minimum_address_matches")
        guard minimum >= 1, minimum <= max(1, evidence.count) else {
            throw reader.error(
                at: minimumNode,
                "minimum_address_matches must be between 1 and the number of address_evidence parts (\(evidence.count)); a name alone must never decide a case"
            )
        }
        let tolerance =
            try names["ocr_tolerance_minimum_length"].map { entry throws(ConfigurationError) in
                try reader.integer(entry.value, "name_matching.ocr_tolerance_minimum_length")
            } ?? 5
        return CaseMatchingSettings(
            caseNumberPatterns: casePatterns, customerNumberPatterns: customerPatterns,
            nameMatching: NameMatchingSettings(
                addressEvidence: evidence, minimumAddressMatches: minimum, ocrToleranceMinimumLength: tolerance))
    }
}

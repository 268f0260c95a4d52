import Foundation
import Yams

/// The `classes:` section of `pipeline.yml`: each class with its threshold, its rules (a phrase or
/// a pattern, a weight, negative or not) and its fields.
extension ConfigurationLoader {
    private static let classKeys = ["id", "label", "sensitive", "sensitive_reason", "threshold", "rules", "fields"]
    private static let ruleKeys = ["phrase", "pattern", "weight", "negative"]

    func loadClasses(_ node: Node, fallback: String) throws(ConfigurationError) -> [DocumentClass] {
        var classes: [DocumentClass] = []
        var firstLine: [String: Int] = [:]
        for item in try reader.sequence(node, "classes") {
            let entries = try reader.mapping(item, accepted: Self.classKeys, in: "a class")
            let idNode = try reader.required(
                entries, "id", in: "a class", at: item, meaning: "its identifier, e.g. 'mietvertrag'")
            let id = try reader.string(idNode, "class id")
            if let line = firstLine[id] {
                throw reader.error(
                    at: idNode, "duplicate class id '\(id)' (first defined at line \(line)); each class id may appear once")
            }
            firstLine[id] = idNode.mark?.line ?? 0
            let context = "class '\(id)'"
            let label = try reader.string(
                try reader.required(entries, "label", in: context, at: item, meaning: "the German name shown to caseworkers"),
                "\(context) label")
            let sensitive =
                try entries["sensitive"].map { entry throws(ConfigurationError) in
                    try reader.bool(entry.value, "\(context) sensitive")
                } ?? false
            var sensitiveReason: String?
            if let entry = entries["sensitive_reason"] {
                guard sensitive else {
                    throw reader.error(
                        at: entry.key, "sensitive_reason needs 'sensitive: true' in \(context) (it says why the class is sensitive)")
                }
                sensitiveReason = try reader.string(entry.value, "\(context) sensitive_reason")
            }
            let threshold: Double
            if let entry = entries["threshold"] {
                threshold = try reader.number(entry.value, "\(context) threshold")
                guard threshold > 0 else { throw reader.error(at: entry.value, "\(context) threshold must be greater than 0") }
            } else if id == fallback {
                threshold = 0
            } else {
                throw reader.error(
                    at: idNode, "missing 'threshold' in \(context) (the score its rules must reach, e.g. 'threshold: 4')")
            }
            let rules =
                try entries["rules"].map { entry throws(ConfigurationError) in try loadRules(entry.value, context: context) }
                ?? []
            if rules.isEmpty, id != fallback {
                throw reader.error(at: idNode, "\(context) has no rules; without them it can never be chosen")
            }
            let fields =
                try entries["fields"].map { entry throws(ConfigurationError) in try loadFields(entry.value, context: context) }
                ?? []
            classes.append(
                DocumentClass(
                    id: id, label: label, sensitive: sensitive, threshold: threshold, rules: rules, fields: fields,
                    sensitiveReason: sensitiveReason))
        }
        return classes
    }

    private func loadRules(_ node: Node, context: String) throws(ConfigurationError) -> [ClassRule] {
        var rules: [ClassRule] = []
        for item in try reader.sequence(node, "\(context) rules") {
            let entries = try reader.mapping(item, accepted: Self.ruleKeys, in: "a rule of \(context)")
            let matcher: ClassRule.Matcher
            switch (entries["phrase"], entries["pattern"]) {
            case (let phrase?, nil):
                let variants: [String]
                if case .sequence = phrase.value {
                    variants = try reader.strings(phrase.value, "phrase variants")
                    guard !variants.isEmpty else {
                        throw reader.error(at: phrase.value, "a phrase list needs at least one variant")
                    }
                } else {
                    variants = [try reader.string(phrase.value, "phrase")]
                }
                guard variants.allSatisfy({ !TextFolding.compact($0).isEmpty }) else {
                    throw reader.error(at: phrase.value, "phrase must contain letters or digits")
                }
                matcher = .phrase(variants)
            case (nil, let pattern?):
                matcher = .pattern(try reader.pattern(pattern.value, "rule pattern"))
            case (.some, .some):
                throw reader.error(at: item, "a rule of \(context) has both 'phrase' and 'pattern'; give one per rule")
            case (nil, nil):
                throw reader.error(at: item, "a rule of \(context) needs 'phrase' (literal text) or 'pattern' (regex)")
            }
            let weightNode = try reader.required(
                entries, "weight", in: "a rule of \(context)", at: item, meaning: "points the rule adds, e.g. 'weight: 3'")
            let weight = try reader.number(weightNode, "rule weight")
            guard weight > 0 else {
                throw reader.error(
                    at: weightNode, "rule weight must be greater than 0; use 'negative: true' for evidence against a class")
            }
            let negative =
                try entries["negative"].map { entry throws(ConfigurationError) in try reader.bool(entry.value, "negative") }
                ?? false
            rules.append(ClassRule(matcher: matcher, weight: weight, negative: negative))
        }
        return rules
    }
}

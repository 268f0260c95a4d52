import Foundation
import Yams

/// A pattern of the configuration with where it is written.
struct LocatedPattern {
    var source: String
    var line: Int
    var column: Int
    /// `rule pattern of class 'kontoauszug'`, `case number pattern` …
    var context: String
}

/// Where classes, rules and patterns sit in the YAML, walked in the order the loader reads them.
struct LocatedRules {
    var patterns: [LocatedPattern] = []
    var classes: [(id: String, line: Int, column: Int)] = []
    /// Per class (in file order), per rule: line and column of its phrase or pattern.
    var rules: [[(line: Int, column: Int)]] = []

    init(root: Node) {
        guard let top = root.mapping else { return }
        if let matching = top["case_matching"]?.mapping {
            for (key, context) in [("case_number_patterns", "case number pattern"), ("customer_number_patterns", "customer number pattern")] {
                for item in matching[key]?.sequence.map(Array.init) ?? [] { add(item, context) }
            }
        }
        for item in top["classes"]?.sequence.map(Array.init) ?? [] {
            guard let entries = item.mapping else { continue }
            let id = entries["id"]?.string ?? "?"
            let idNode = entries["id"] ?? item
            classes.append((id, idNode.mark?.line ?? 0, idNode.mark?.column ?? 0))
            var places: [(Int, Int)] = []
            for rule in entries["rules"]?.sequence.map(Array.init) ?? [] {
                let matcher = rule.mapping?["pattern"] ?? rule.mapping?["phrase"] ?? rule
                places.append((matcher.mark?.line ?? 0, matcher.mark?.column ?? 0))
                if let pattern = rule.mapping?["pattern"] { add(pattern, "rule pattern of class '\(id)'") }
            }
            rules.append(places)
            for field in entries["fields"]?.sequence.map(Array.init) ?? [] {
                let key = field.mapping?["key"]?.string ?? "?"
                if let pattern = field.mapping?["pattern"] { add(pattern, "pattern of field '\(key)' of class '\(id)'") }
                if let count = field.mapping?["count_of"] { add(count, "count_of of field '\(key)' of class '\(id)'") }
            }
        }
    }

    private mutating func add(_ node: Node, _ context: String) {
        guard let source = node.string else { return }
        var column = node.mark?.column ?? 0
        if case .scalar(let scalar) = node, scalar.style == .singleQuoted || scalar.style == .doubleQuoted { column += 1 }
        patterns.append(LocatedPattern(source: source, line: node.mark?.line ?? 0, column: column, context: context))
    }

    func rule(_ classIndex: Int, _ ruleIndex: Int) -> (line: Int, column: Int)? {
        guard classIndex < rules.count, ruleIndex < rules[classIndex].count else { return nil }
        return rules[classIndex][ruleIndex]
    }
}

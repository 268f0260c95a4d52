import Foundation
import Yams

/// Reads typed values from composed YAML nodes and turns every problem into a
/// `ConfigurationError` that points at the node.
struct YAMLReader {
    let sourceName: String

    func error(at node: Node?, _ message: String) -> ConfigurationError {
        ConfigurationError(
            file: sourceName, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0, message: message)
    }

    /// The entries of a mapping, checked against the accepted keys (typos are errors).
    func mapping(_ node: Node, accepted: [String], in context: String) throws(ConfigurationError) -> [String: (
        key: Node, value: Node
    )] {
        guard let mapping = node.mapping else {
            throw error(
                at: node, "\(context) must be a mapping of keys to values (accepted keys: \(accepted.joined(separator: ", ")))")
        }
        var entries: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard let name = key.string else {
                throw error(at: key, "\(context) has a key that is not text")
            }
            guard accepted.contains(name) else {
                throw error(
                    at: key,
                    "unknown key '\(name)' in \(context) (accepted: \(accepted.joined(separator: ", ")))\(hint(name, accepted))")
            }
            entries[name] = (key, value)
        }
        return entries
    }

    /// A value that must be present.
    func required(
        _ entries: [String: (key: Node, value: Node)], _ key: String, in context: String, at node: Node, meaning: String
    ) throws(ConfigurationError) -> Node {
        guard let entry = entries[key] else {
            throw error(at: node, "missing '\(key)' in \(context) (\(meaning))")
        }
        return entry.value
    }

    func string(_ node: Node, _ what: String) throws(ConfigurationError) -> String {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            throw error(at: node, "\(what) must be non-empty text")
        }
        return scalar.string
    }

    func number(_ node: Node, _ what: String) throws(ConfigurationError) -> Double {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string), value.isFinite else {
            throw error(at: node, "\(what) must be a number, e.g. 4 or 0.5 (found '\(node.string ?? "a non-scalar")')")
        }
        return value
    }

    func integer(_ node: Node, _ what: String) throws(ConfigurationError) -> Int {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            throw error(at: node, "\(what) must be a whole number (found '\(node.string ?? "a non-scalar")')")
        }
        return value
    }

    func bool(_ node: Node, _ what: String) throws(ConfigurationError) -> Bool {
        guard case .scalar(let scalar) = node else {
            throw error(at: node, "\(what) must be true or false")
        }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(at: node, "\(what) must be true or false (found '\(scalar.string)')")
        }
    }

    func sequence(_ node: Node, _ what: String) throws(ConfigurationError) -> [Node] {
        guard case .sequence(let sequence) = node else {
            throw error(at: node, "\(what) must be a list (lines starting with '- ' or [a, b])")
        }
        return Array(sequence)
    }

    func strings(_ node: Node, _ what: String) throws(ConfigurationError) -> [String] {
        var result: [String] = []
        for item in try sequence(node, what) {
            result.append(try string(item, "each entry of \(what)"))
        }
        return result
    }

    func pattern(_ node: Node, _ what: String) throws(ConfigurationError) -> ConfiguredPattern {
        let source = try string(node, what)
        do {
            return try ConfiguredPattern(source)
        } catch {
            throw self.error(at: node, "\(what): \(error.message)")
        }
    }

    /// "; did you mean 'x'?" when a close accepted word exists.
    func hint(_ word: String, _ accepted: [String]) -> String {
        let best = accepted.map { ($0, EditDistance.levenshtein(word, $0)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= 2 else { return "" }
        return "; did you mean '\(best.0)'?"
    }
}

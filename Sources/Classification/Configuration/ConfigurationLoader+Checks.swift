import Foundation
import Yams

/// A field's `checks:` (plausibility rules on its value, some relating it to other fields) and
/// `choices:` (the values a choice field may take).
extension ConfigurationLoader {
    func loadCheck(_ node: Node, type: FieldType, context: String) throws(ConfigurationError) -> FieldCheck {
        if case .scalar(let scalar) = node {
            guard scalar.string == "not_future" else {
                throw reader.error(
                    at: node,
                    "unknown check '\(scalar.string)' on \(context) (accepted: \(FieldCheck.names.joined(separator: ", ")))\(reader.hint(scalar.string, FieldCheck.names))"
                )
            }
            guard type == .date || type == .month else {
                throw reader.error(at: node, "not_future applies to date or month fields only")
            }
            return .notFuture
        }
        let entries = try reader.mapping(node, accepted: FieldCheck.names, in: "a check of \(context)")
        guard entries.count == 1, let (name, entry) = entries.first else {
            throw reader.error(
                at: node,
                "each check of \(context) is one of \(FieldCheck.names.joined(separator: ", ")); write one per list entry")
        }
        switch name {
        case "sum_of":
            guard type == .amount else { throw reader.error(at: entry.key, "sum_of applies to amount fields only") }
            let parts = try reader.strings(entry.value, "sum_of")
            guard parts.count >= 2 else {
                throw reader.error(
                    at: entry.value, "sum_of needs at least two field keys, e.g. [kaltmiete, nebenkosten, heizkosten]")
            }
            return .sumOf(parts)
        case "range":
            guard type == .amount || type == .integer || type == .area else {
                throw reader.error(at: entry.key, "range applies to amount, integer or area fields only")
            }
            let bounds = try reader.sequence(entry.value, "range")
            guard bounds.count == 2 else {
                throw reader.error(at: entry.value, "range needs two numbers [lowest, highest], e.g. [1, 6]")
            }
            let low = try reader.number(bounds[0], "range lower bound")
            let high = try reader.number(bounds[1], "range upper bound")
            guard low <= high else {
                throw reader.error(at: entry.value, "range lower bound \(low) is above upper bound \(high)")
            }
            return .range(low, high)
        case "not_before":
            guard type == .date else { throw reader.error(at: entry.key, "not_before applies to date fields only") }
            return .notBefore(try reader.string(entry.value, "not_before"))
        case "not_above":
            guard type == .amount else { throw reader.error(at: entry.key, "not_above applies to amount fields only") }
            return .notAbove(try reader.string(entry.value, "not_above"))
        case "not_with":
            return .notWith(try reader.string(entry.value, "not_with"))
        case "balance":
            guard type == .amount else { throw reader.error(at: entry.key, "balance applies to amount fields only") }
            return .balance(try reader.string(entry.value, "balance"))
        case "mrz":
            return try loadMRZCheck(entry, type: type, context: context)
        default:
            guard try reader.bool(entry.value, name) else {
                throw reader.error(at: entry.value, "write 'not_future' as a plain list entry ('- not_future')")
            }
            guard type == .date || type == .month else {
                throw reader.error(at: node, "not_future applies to date or month fields only")
            }
            return .notFuture
        }
    }

    /// `mrz: expiry | surname | given_names`: the field must agree with that element of the
    /// machine-readable zone, whose check digits must all be right.
    private func loadMRZCheck(_ entry: (key: Node, value: Node), type: FieldType, context: String) throws(ConfigurationError)
        -> FieldCheck
    {
        let word = try reader.string(entry.value, "mrz")
        let accepted = MRZElement.allCases.map(\.rawValue)
        guard let element = MRZElement(rawValue: word) else {
            throw reader.error(
                at: entry.value,
                "unknown MRZ element '\(word)' on \(context) (accepted: \(accepted.joined(separator: ", ")); an identity document yields nothing else)\(reader.hint(word, accepted))"
            )
        }
        let needed: FieldType = element == .expiry ? .date : .text
        guard type == needed else {
            throw reader.error(
                at: entry.key, "mrz: \(word) applies to \(needed.rawValue) fields only (\(context) is \(type.rawValue))")
        }
        return .mrz(element)
    }

    /// `choices:` a mapping of value → phrases, e.g. `arbeitgeber: [Arbeitsverhältnis, Arbeitgeber]`.
    func loadChoices(_ entry: (key: Node, value: Node), type: FieldType, context: String) throws(ConfigurationError)
        -> [FieldChoice]
    {
        guard type == .text else {
            throw reader.error(
                at: entry.key, "choices apply to text fields only (\(context) is \(type.rawValue)); write 'type: text'")
        }
        guard let mapping = entry.value.mapping, !mapping.isEmpty else {
            throw reader.error(
                at: entry.value,
                "choices of \(context) must be a mapping of value to phrases, e.g. 'arbeitgeber: [Arbeitsverhältnis, Arbeitgeber]'"
            )
        }
        var choices: [FieldChoice] = []
        for (key, value) in mapping {
            let name = try reader.string(key, "a choice value of \(context)")
            guard name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "_" }), name.first?.isLetter == true else {
                throw reader.error(
                    at: key, "choice value '\(name)' of \(context) must be a lower-case identifier (letters, digits, _), e.g. 'arbeitgeber'")
            }
            guard !choices.contains(where: { $0.value == name }) else {
                throw reader.error(at: key, "duplicate choice value '\(name)' in \(context)")
            }
            let phrases: [String]
            if case .sequence = value {
                phrases = try reader.strings(value, "phrases of choice '\(name)'")
            } else {
                phrases = [try reader.string(value, "phrase of choice '\(name)'")]
            }
            guard !phrases.isEmpty else {
                throw reader.error(at: value, "choice '\(name)' of \(context) needs at least one phrase")
            }
            guard phrases.allSatisfy({ !TextFolding.compact($0).isEmpty }) else {
                throw reader.error(at: value, "each phrase of choice '\(name)' must contain letters or digits")
            }
            choices.append(FieldChoice(value: name, phrases: phrases))
        }
        guard choices.count >= 2 else {
            throw reader.error(at: entry.value, "choices of \(context) need at least two values to choose from")
        }
        return choices
    }
}

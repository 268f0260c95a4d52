import Foundation
import Yams

/// The `fields:` of a class: key, type, label anchors or pattern, choices, checks and the field
/// relations (count_of, bank_of) checked against the class's other fields.
extension ConfigurationLoader {
    private static let fieldKeys = [
        "key", "label", "type", "labels", "pattern", "count_of", "choices", "checks", "required", "sender", "role", "skip_bookings", "last", "bank_of", "sole_value", "doubtful_with",
    ]

    func loadFields(_ node: Node, context: String) throws(ConfigurationError) -> [FieldDefinition] {
        var fields: [FieldDefinition] = []
        var checkNodes: [(field: String, check: FieldCheck, node: Node)] = []
        var bankOfNodes: [(field: String, iban: String, node: Node)] = []
        for item in try reader.sequence(node, "\(context) fields") {
            let entries = try reader.mapping(item, accepted: Self.fieldKeys, in: "a field of \(context)")
            let keyNode = try reader.required(
                entries, "key", in: "a field of \(context)", at: item, meaning: "the contract key, e.g. 'kaltmiete'")
            let key = try reader.string(keyNode, "field key")
            if fields.contains(where: { $0.key == key }) {
                throw reader.error(at: keyNode, "duplicate field key '\(key)' in \(context)")
            }
            let fieldContext = "field '\(key)' of \(context)"
            let typeNode = try reader.required(
                entries, "type", in: fieldContext, at: item,
                meaning: "one of \(FieldType.allCases.map(\.rawValue).joined(separator: ", "))")
            let typeName = try reader.string(typeNode, "field type")
            guard let type = FieldType(rawValue: typeName) else {
                let accepted = FieldType.allCases.map(\.rawValue)
                throw reader.error(
                    at: typeNode,
                    "unknown field type '\(typeName)' (accepted: \(accepted.joined(separator: ", ")))\(reader.hint(typeName, accepted))"
                )
            }
            /// An option of name fields only: `sender`, `role`, `bank_of`.
            func nameFieldsOnly(_ option: String, _ entry: (key: Node, value: Node)) throws(ConfigurationError) {
                guard type == .name else {
                    throw reader.error(at: entry.key, "\(option) applies to name fields only (\(fieldContext) is \(type.rawValue)); write 'type: name'")
                }
            }
            let labels =
                try entries["labels"].map { entry throws(ConfigurationError) in
                    try reader.strings(entry.value, "labels of \(fieldContext)")
                } ?? []
            var pattern: ConfiguredPattern?
            if let entry = entries["pattern"] {
                let compiled = try reader.pattern(entry.value, "pattern of \(fieldContext)")
                guard compiled.captureGroupCount == 1 else {
                    throw reader.error(
                        at: entry.value,
                        "pattern of \(fieldContext) must have exactly one capture group (…) around the value; it has \(compiled.captureGroupCount)"
                    )
                }
                pattern = compiled
            }
            var countOf: ConfiguredPattern?
            if let entry = entries["count_of"] {
                guard type == .integer else {
                    throw reader.error(
                        at: entry.key, "count_of applies to integer fields only (\(fieldContext) is \(type.rawValue))")
                }
                countOf = try reader.pattern(entry.value, "count_of of \(fieldContext)")
            }
            var choices: [FieldChoice] = []
            if let entry = entries["choices"] {
                choices = try loadChoices(entry, type: type, context: fieldContext)
                guard labels.isEmpty, pattern == nil else {
                    throw reader.error(
                        at: entry.key,
                        "\(fieldContext) has 'choices' and also 'labels' or 'pattern'; a choice field is decided by its phrases alone"
                    )
                }
            }
            guard !labels.isEmpty || pattern != nil || countOf != nil || !choices.isEmpty || entries["sender"] != nil
                || entries["role"] != nil
            else {
                throw reader.error(
                    at: item,
                    "\(fieldContext) needs 'labels' (words before the value), a 'pattern' with one capture group, 'count_of' or 'choices'"
                )
            }
            var checks: [FieldCheck] = []
            if let entry = entries["checks"] {
                for checkNode in try reader.sequence(entry.value, "checks of \(fieldContext)") {
                    let check = try loadCheck(checkNode, type: type, context: fieldContext)
                    checks.append(check)
                    checkNodes.append((key, check, checkNode))
                }
            }
            let required =
                try entries["required"].map { entry throws(ConfigurationError) in try reader.bool(entry.value, "required") }
                ?? false
            var definition = FieldDefinition(
                key: key, type: type, labels: labels, pattern: pattern, countOf: countOf, checks: checks, required: required)
            definition.choices = choices
            if let entry = entries["label"] {
                let label = try reader.string(entry.value, "label of \(fieldContext)").trimmingCharacters(in: .whitespaces)
                guard !label.isEmpty, label.count <= 80 else {
                    throw reader.error(at: entry.value, "label of \(fieldContext) must be 1 to 80 characters, e.g. 'Kaltmiete'")
                }
                definition.label = label
            }
            if let entry = entries["sender"] {
                try nameFieldsOnly("sender", entry)
                definition.sender = try reader.bool(entry.value, "sender")
            }
            if let entry = entries["role"] {
                try nameFieldsOnly("role", entry)
                let roles: [String]
                if case .sequence = entry.value {
                    roles = try reader.strings(entry.value, "role")
                } else {
                    roles = [try reader.string(entry.value, "role")]
                }
                guard !roles.isEmpty, roles.allSatisfy({ $0.contains(where: \.isLetter) }) else {
                    throw reader.error(at: entry.value, "role of \(fieldContext) must be a word such as 'Vermieter' or a list of them")
                }
                definition.roles = roles
            }
            if let entry = entries["bank_of"] {
                try nameFieldsOnly("bank_of", entry)
                definition.bankOf = try reader.string(entry.value, "bank_of")
                bankOfNodes.append((key, definition.bankOf!, entry.value))
            }
            if let entry = entries["sole_value"] {
                guard type != .text, type != .name else {
                    throw reader.error(at: entry.key, "sole_value applies to typed values (amount, date, area, …), not to \(type.rawValue) fields")
                }
                definition.soleValue = try reader.bool(entry.value, "sole_value")
            }
            if let entry = entries["last"] {
                definition.last = try reader.bool(entry.value, "last")
            }
            if let entry = entries["skip_bookings"] {
                definition.skipBookings = try reader.bool(entry.value, "skip_bookings")
            }
            if let entry = entries["doubtful_with"] {
                let phrases = try reader.strings(entry.value, "doubtful_with of \(fieldContext)")
                guard !phrases.isEmpty, phrases.allSatisfy({ TextFolding.compact($0).count >= 4 }) else {
                    throw reader.error(
                        at: entry.value,
                        "doubtful_with of \(fieldContext) must list phrases of at least four letters, e.g. [kündige ich mein]")
                }
                definition.doubtfulWith = phrases
            }
            fields.append(definition)
        }
        let types = Dictionary(uniqueKeysWithValues: fields.map { ($0.key, $0.type) })
        for (field, iban, node) in bankOfNodes where types[iban] != .iban {
            throw reader.error(
                at: node,
                "bank_of of field '\(field)' in \(context) must name an iban field of this class (fields: \(fields.map(\.key).joined(separator: ", ")))")
        }
        for (field, check, checkNode) in checkNodes {
            let referenced: [String]
            let neededType: FieldType
            switch check {
            case .sumOf(let parts): (referenced, neededType) = (parts, .amount)
            case .notBefore(let other): (referenced, neededType) = ([other], .date)
            case .notAbove(let other): (referenced, neededType) = ([other], .amount)
            case .notWith(let other): (referenced, neededType) = ([other], types[field] ?? .text)
            case .balance(let opening): (referenced, neededType) = ([opening], .amount)
            default: continue
            }
            for name in referenced {
                // A field checked against itself passes or fails always (not_with: always doubtful).
                guard name != field else {
                    throw reader.error(at: checkNode, "check of field '\(field)' in \(context) names the field itself; name another field of the class")
                }
                guard let type = types[name] else {
                    throw reader.error(
                        at: checkNode,
                        "check of field '\(field)' in \(context) names unknown field '\(name)' (fields of this class: \(fields.map(\.key).joined(separator: ", ")))"
                    )
                }
                guard type == neededType else {
                    throw reader.error(
                        at: checkNode,
                        "check of field '\(field)' in \(context) needs '\(name)' to be of type \(neededType.rawValue), it is \(type.rawValue)"
                    )
                }
            }
        }
        return fields
    }
}

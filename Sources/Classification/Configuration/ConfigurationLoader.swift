import Foundation
import Yams

/// Turns `pipeline.yml` text into a checked `PipelineConfiguration`.
struct ConfigurationLoader {
    let reader: YAMLReader

    init(sourceName: String) {
        reader = YAMLReader(sourceName: sourceName)
    }

    private static let topKeys = ["version", "fallback_class", "review", "case_matching", "classes", "findings"]
    private static let reviewKeys = ["minimum_confidence", "minimum_margin", "doubtful_fields_need_review"]
    private static let caseKeys = ["case_number_patterns", "customer_number_patterns", "name_matching"]
    private static let nameKeys = ["address_evidence", "minimum_address_matches", "ocr_tolerance_minimum_length"]
    private static let classKeys = ["id", "label", "sensitive", "sensitive_reason", "threshold", "rules", "fields"]
    private static let ruleKeys = ["phrase", "pattern", "weight", "negative"]
    private static let fieldKeys = [
        "key", "label", "type", "labels", "pattern", "count_of", "choices", "checks", "required", "sender", "role", "skip_bookings", "last", "bank_of", "sole_value",
    ]

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

    private func loadClasses(_ node: Node, fallback: String) throws(ConfigurationError) -> [DocumentClass] {
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

    private func loadFields(_ node: Node, context: String) throws(ConfigurationError) -> [FieldDefinition] {
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
                guard type == .name else {
                    throw reader.error(at: entry.key, "sender applies to name fields only (\(fieldContext) is \(type.rawValue)); write 'type: name'")
                }
                definition.sender = try reader.bool(entry.value, "sender")
            }
            if let entry = entries["role"] {
                guard type == .name else {
                    throw reader.error(at: entry.key, "role applies to name fields only (\(fieldContext) is \(type.rawValue)); write 'type: name'")
                }
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
                guard type == .name else {
                    throw reader.error(at: entry.key, "bank_of applies to name fields only (\(fieldContext) is \(type.rawValue)); write 'type: name'")
                }
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
            case .balance(let opening): (referenced, neededType) = ([opening], .amount)
            default: continue
            }
            for name in referenced {
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

    private func loadCheck(_ node: Node, type: FieldType, context: String) throws(ConfigurationError) -> FieldCheck {
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
    private func loadChoices(_ entry: (key: Node, value: Node), type: FieldType, context: String) throws(ConfigurationError)
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

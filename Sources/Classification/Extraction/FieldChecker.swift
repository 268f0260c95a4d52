/// Runs the configured checks over extracted fields and marks failures doubtful.
struct FieldChecker {
    let today: String
    /// The identity document's machine-readable zone, when the document has one (found only
    /// when a field asks for an `mrz` check).
    var zone: MachineReadableZone? = nil

    func apply(_ definitions: [FieldDefinition], to fields: inout [ExtractedField]) {
        for definition in definitions {
            guard let index = fields.firstIndex(where: { $0.key == definition.key }) else { continue }
            for check in definition.checks {
                guard let outcome = evaluate(check, on: fields[index], all: fields) else { continue }
                fields[index].checks.append(outcome)
                guard !outcome.passed else { continue }
                var involved = [definition.key]
                if case .sumOf(let parts) = check { involved += parts }
                if case .notBefore(let other) = check { involved.append(other) }
                if case .notAbove(let other) = check { involved.append(other) }
                for key in involved {
                    guard let target = fields.firstIndex(where: { $0.key == key }) else { continue }
                    markDoubtful(&fields[target], outcome.detail)
                }
            }
        }
    }

    private func markDoubtful(_ field: inout ExtractedField, _ reason: String) {
        field.doubtful = true
        if let existing = field.reason, !existing.isEmpty {
            if !existing.contains(reason) { field.reason = existing + "; " + reason }
        } else {
            field.reason = reason
        }
    }

    private func evaluate(_ check: FieldCheck, on field: ExtractedField, all fields: [ExtractedField]) -> CheckOutcome? {
        switch check {
        case .sumOf(let parts):
            guard let total = AmountParser.cents(field.value) else { return nil }
            let present = parts.compactMap { key in fields.first { $0.key == key } }
            guard !present.isEmpty else { return nil }
            let sum = present.compactMap { AmountParser.cents($0.value) }.reduce(0, +)
            let missing = parts.filter { key in !present.contains { $0.key == key } }
            let name = "sum_of [\(parts.joined(separator: ", "))]"
            let expression = present.map(\.key).joined(separator: " + ")
            let missingNote = missing.isEmpty ? "" : " (not found: \(missing.joined(separator: ", ")))"
            if total == sum {
                return CheckOutcome(
                    check: name, passed: true, detail: "\(field.key) \(field.value) = \(expression)\(missingNote)")
            }
            return CheckOutcome(
                check: name, passed: false,
                detail:
                    "\(field.key) \(field.value) ≠ \(expression) = \(AmountParser.format(cents: sum))\(missingNote); check the figures on the document"
            )
        case .range(let low, let high):
            guard let number = Double(field.value) else { return nil }
            let name = "range [\(format(low)), \(format(high))]"
            if (low...high).contains(number) {
                return CheckOutcome(
                    check: name, passed: true, detail: "\(field.key) \(field.value) in \(format(low))...\(format(high))")
            }
            return CheckOutcome(
                check: name, passed: false, detail: "\(field.key) \(field.value) outside \(format(low))...\(format(high))")
        case .notFuture:
            let reference = field.type == .month ? String(today.prefix(7)) : today
            if field.value <= reference {
                return CheckOutcome(
                    check: "not_future", passed: true, detail: "\(field.key) \(field.value) not after \(reference)")
            }
            return CheckOutcome(
                check: "not_future", passed: false, detail: "\(field.key) \(field.value) lies in the future (after \(reference))")
        case .mrz(let element):
            return MRZCheck(element: element, zone: zone).evaluate(field)
        case .notAbove(let other):
            guard let upper = fields.first(where: { $0.key == other }), let value = AmountParser.cents(field.value),
                let limit = AmountParser.cents(upper.value)
            else { return nil }
            let passed = value <= limit
            return CheckOutcome(
                check: "not_above \(other)", passed: passed,
                detail: "\(field.key) \(field.value) \(passed ? "not above" : "is above") \(other) \(upper.value)")
        case .notBefore(let other):
            guard let earlier = fields.first(where: { $0.key == other }) else { return nil }
            if field.value >= earlier.value {
                return CheckOutcome(
                    check: "not_before \(other)", passed: true,
                    detail: "\(field.key) \(field.value) not before \(other) \(earlier.value)")
            }
            return CheckOutcome(
                check: "not_before \(other)", passed: false,
                detail: "\(field.key) \(field.value) is before \(other) \(earlier.value)")
        }
    }

    private func format(_ number: Double) -> String {
        number == number.rounded() ? String(Int(number)) : String(number)
    }
}

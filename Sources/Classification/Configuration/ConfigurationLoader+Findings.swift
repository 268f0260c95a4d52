import Foundation
import Yams

/// The `findings:` section of `pipeline.yml`: rent limits per area, household size and period,
/// and the share by which a net pay may change unflagged.
extension ConfigurationLoader {
    private static let findingsKeys = ["income_change_share", "rent_limits"]
    private static let periodKeys = [
        "area", "name", "valid_from", "bruttokaltmiete", "bruttokaltmiete_each_further", "wohnflaeche",
        "wohnflaeche_each_further", "heizkosten_per_m2",
    ]

    func loadFindings(_ node: Node) throws(ConfigurationError) -> FindingSettings {
        let entries = try reader.mapping(node, accepted: Self.findingsKeys, in: "findings")
        var settings = FindingSettings()
        if let entry = entries["income_change_share"] {
            let share = try decimal(entry.value, "findings.income_change_share")
            guard share > 0, share < 1 else {
                throw reader.error(
                    at: entry.value, "findings.income_change_share must lie between 0 and 1 (0.10 is 10 %), found \(share)")
            }
            settings.incomeChangeShare = share
        }
        if let entry = entries["rent_limits"] {
            var seen: [String: Int] = [:]
            for item in try reader.sequence(entry.value, "findings.rent_limits") {
                let period = try loadRentLimitPeriod(item)
                let identity = (period.postcodes?.sorted().joined(separator: ",") ?? "default") + "@" + period.validFrom
                if let line = seen[identity] {
                    throw reader.error(
                        at: item,
                        "rent limits for the same area from \(period.validFrom) are already given at line \(line); one period per area and date"
                    )
                }
                seen[identity] = item.mark?.line ?? 0
                settings.rentLimits.append(period)
            }
        }
        return settings
    }

    private func loadRentLimitPeriod(_ node: Node) throws(ConfigurationError) -> RentLimitPeriod {
        let context = "a period of findings.rent_limits"
        let entries = try reader.mapping(node, accepted: Self.periodKeys, in: context)

        let areaNode = try reader.required(
            entries, "area", in: context, at: node, meaning: "'default' or a list of postcodes, e.g. [50667, 50668]")
        let postcodes: [String]?
        if case .sequence = areaNode {
            let codes = try reader.strings(areaNode, "area postcodes")
            guard !codes.isEmpty else { throw reader.error(at: areaNode, "area needs at least one postcode, or write 'area: default'") }
            for code in codes where !(code.count == 5 && code.allSatisfy(\.isASCII) && code.allSatisfy(\.isNumber)) {
                throw reader.error(at: areaNode, "postcode '\(code)' is not five digits")
            }
            postcodes = codes
        } else {
            let word = try reader.string(areaNode, "area")
            guard word == "default" else {
                throw reader.error(at: areaNode, "area must be 'default' or a list of postcodes such as [50667, 50668], found '\(word)'")
            }
            postcodes = nil
        }
        let name = try entries["name"].map { entry throws(ConfigurationError) in try reader.string(entry.value, "name") }
            ?? (postcodes == nil ? "Standardgebiet" : "Gebiet \(postcodes![0])")

        let fromNode = try reader.required(
            entries, "valid_from", in: context, at: node, meaning: "the date from which the limits apply, e.g. 2022-01-01")
        let validFrom = try reader.string(fromNode, "valid_from")
        guard Self.isISODate(validFrom) else {
            throw reader.error(at: fromNode, "valid_from must be a date written YYYY-MM-DD, e.g. 2022-01-01 (found '\(validFrom)')")
        }

        let rentNode = try reader.required(
            entries, "bruttokaltmiete", in: context, at: node,
            meaning: "limits in € per household size from one person on, e.g. [651, 788, 939]")
        let rent = try positiveList(rentNode, "bruttokaltmiete")
        let areaListNode = try reader.required(
            entries, "wohnflaeche", in: context, at: node, meaning: "floor areas in m² per household size, e.g. [50, 65]")
        let area = try positiveList(areaListNode, "wohnflaeche")
        let rentFurther = try entries["bruttokaltmiete_each_further"].map { entry throws(ConfigurationError) in
            try nonNegative(entry.value, "bruttokaltmiete_each_further")
        } ?? 0
        let areaFurther = try entries["wohnflaeche_each_further"].map { entry throws(ConfigurationError) in
            try nonNegative(entry.value, "wohnflaeche_each_further")
        } ?? 0
        let heating = try entries["heizkosten_per_m2"].map { entry throws(ConfigurationError) in
            try nonNegative(entry.value, "heizkosten_per_m2")
        }
        return RentLimitPeriod(
            name: name, validFrom: validFrom, postcodes: postcodes, bruttokaltmiete: rent,
            bruttokaltmieteEachFurther: rentFurther, wohnflaeche: area, wohnflaecheEachFurther: areaFurther,
            heizkostenPerSquareMetre: heating)
    }

    private func decimal(_ node: Node, _ what: String) throws(ConfigurationError) -> Decimal {
        guard case .scalar(let scalar) = node, scalar.string.range(of: #"^\d+(\.\d+)?$"#, options: .regularExpression) != nil,
            let value = Decimal(string: scalar.string, locale: Locale(identifier: "en_US_POSIX"))
        else {
            throw reader.error(at: node, "\(what) must be a number written with a decimal point, e.g. 1.30 or 651")
        }
        return value
    }

    private func nonNegative(_ node: Node, _ what: String) throws(ConfigurationError) -> Decimal {
        try decimal(node, what)
    }

    private func positiveList(_ node: Node, _ what: String) throws(ConfigurationError) -> [Decimal] {
        let items = try reader.sequence(node, what)
        guard !items.isEmpty else { throw reader.error(at: node, "\(what) needs at least the value for one person") }
        var values: [Decimal] = []
        for item in items {
            let value = try decimal(item, what)
            guard value > 0 else { throw reader.error(at: item, "\(what) values must be greater than 0") }
            values.append(value)
        }
        return values
    }

    private static func isISODate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month)
        else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let first = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
            let days = calendar.range(of: .day, in: .month, for: first)
        else { return false }
        return days.contains(day)
    }
}

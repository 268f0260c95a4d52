import Foundation

/// What the findings (issue 19) are told by the operator: the local rent limits and how much a
/// net pay may change before it is flagged. From the `findings:` section of `pipeline.yml`;
/// without that section there are no rent limits and the share is 10 %.
public struct FindingSettings: Sendable, Equatable {
    /// A net pay that differs from the previous payslip's by more than this share (0.10 = 10 %)
    /// is a change to report.
    public var incomeChangeShare: Decimal
    /// Every period of every area, in the order of the file.
    public var rentLimits: [RentLimitPeriod]

    public static let defaultIncomeChangeShare: Decimal = Decimal(string: "0.10")!

    public init(incomeChangeShare: Decimal = FindingSettings.defaultIncomeChangeShare, rentLimits: [RentLimitPeriod] = []) {
        self.incomeChangeShare = incomeChangeShare
        self.rentLimits = rentLimits
    }

    /// The limits in force on `date` (ISO `YYYY-MM-DD`) for a household at `postcode`: the latest
    /// period already begun of the area that lists the postcode, else of the default area.
    public func rentLimits(postcode: String?, on date: String) -> RentLimitPeriod? {
        func latest(_ periods: [RentLimitPeriod]) -> RentLimitPeriod? {
            periods.filter { $0.validFrom <= date }.max { $0.validFrom < $1.validFrom }
        }
        if let postcode = postcode?.trimmingCharacters(in: .whitespaces), !postcode.isEmpty,
            let listed = latest(rentLimits.filter { $0.postcodes?.contains(postcode) == true })
        {
            return listed
        }
        return latest(rentLimits.filter { $0.postcodes == nil })
    }
}

/// The rent limits (Angemessenheitsgrenzen, § 22 SGB II) of one area from one day on.
public struct RentLimitPeriod: Sendable, Equatable {
    /// The area's name as caseworkers know it, e.g. `Köln`.
    public var name: String
    /// ISO date from which these limits apply.
    public var validFrom: String
    /// The postcodes of the area; nil for the default area (every postcode not listed elsewhere).
    public var postcodes: [String]?
    /// Bruttokaltmiete (Kaltmiete + Nebenkosten) per household size: index 0 is one person.
    public var bruttokaltmiete: [Decimal]
    /// Added for each person beyond the list.
    public var bruttokaltmieteEachFurther: Decimal
    /// Floor area in m² per household size: index 0 is one person.
    public var wohnflaeche: [Decimal]
    /// Added for each person beyond the list.
    public var wohnflaecheEachFurther: Decimal
    /// Heating per m² of floor area and month; nil: heating is not judged.
    public var heizkostenPerSquareMetre: Decimal?

    public init(
        name: String, validFrom: String, postcodes: [String]?, bruttokaltmiete: [Decimal],
        bruttokaltmieteEachFurther: Decimal, wohnflaeche: [Decimal], wohnflaecheEachFurther: Decimal,
        heizkostenPerSquareMetre: Decimal?
    ) {
        self.name = name
        self.validFrom = validFrom
        self.postcodes = postcodes
        self.bruttokaltmiete = bruttokaltmiete
        self.bruttokaltmieteEachFurther = bruttokaltmieteEachFurther
        self.wohnflaeche = wohnflaeche
        self.wohnflaecheEachFurther = wohnflaecheEachFurther
        self.heizkostenPerSquareMetre = heizkostenPerSquareMetre
    }

    /// The Bruttokaltmiete limit for a household of `persons` (at least one).
    public func bruttokaltmiete(persons: Int) -> Decimal {
        Self.limit(bruttokaltmiete, eachFurther: bruttokaltmieteEachFurther, persons: persons)
    }

    /// The floor-area limit for a household of `persons` (at least one).
    public func wohnflaeche(persons: Int) -> Decimal {
        Self.limit(wohnflaeche, eachFurther: wohnflaecheEachFurther, persons: persons)
    }

    private static func limit(_ listed: [Decimal], eachFurther: Decimal, persons: Int) -> Decimal {
        let size = max(1, persons)
        if size <= listed.count { return listed[size - 1] }
        return (listed.last ?? 0) + eachFurther * Decimal(size - listed.count)
    }
}

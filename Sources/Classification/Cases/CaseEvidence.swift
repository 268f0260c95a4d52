/// Evidence for case numbers found in text or barcodes.
struct NumberEvidence {
    /// Registered household → what pointed to it.
    var known: [String: [String]] = [:]
    /// Numbers not in the register, with where they were seen.
    var unknown: [String] = []

    var isEmpty: Bool { known.isEmpty && unknown.isEmpty }
}

/// Persons whose names were found, split by whether their address confirmed them.
struct NameEvidence {
    /// Household → evidence of confirmed persons (name + address).
    var confirmed: [String: [String]] = [:]
    /// Household → most address parts found for one of its confirmed persons.
    var addressStrength: [String: Int] = [:]
    /// Household → evidence of names found without address confirmation.
    var unconfirmed: [String: [String]] = [:]
    /// Every household any found name belongs to, per found name (lower-cased full name).
    var householdsByName: [String: Set<String>] = [:]
}

/// A case or customer number seen in the text or in a barcode.
struct NumberSighting: Equatable {
    enum Kind: Equatable {
        case bgNummer
        case kundennummer
        /// A barcode whose whole payload is a registered case number.
        case caseNumber
    }

    enum Place: Equatable {
        case line(Int)
        case barcode(Int)
    }

    var kind: Kind
    var number: String
    var place: Place

    /// "BG-Nummer 96301BG0012345 in Zeile 3".
    var german: String { "\(germanKind) \(number) in \(germanPlace)" }
    /// "BG-Nummer 96301BG0012345 in line 3".
    var english: String { "\(englishKind) \(number) in \(englishPlace)" }

    var germanKind: String {
        switch kind {
        case .bgNummer: "BG-Nummer"
        case .kundennummer: "Kundennummer"
        case .caseNumber: "Fallnummer"
        }
    }

    var englishKind: String {
        switch kind {
        case .bgNummer: "BG-Nummer"
        case .kundennummer: "Kundennummer"
        case .caseNumber: "case number"
        }
    }

    var germanPlace: String {
        switch place {
        case .line(let line): "Zeile \(line)"
        case .barcode(let index): "Barcode \(index)"
        }
    }

    var englishPlace: String {
        switch place {
        case .line(let line): "line \(line)"
        case .barcode(let index): "barcode \(index)"
        }
    }
}

/// Evidence for case numbers found in text or barcodes.
struct NumberEvidence {
    /// Registered household → what pointed to it.
    var known: [String: [NumberSighting]] = [:]
    /// Numbers not in the register.
    var unknown: [NumberSighting] = []

    var isEmpty: Bool { known.isEmpty && unknown.isEmpty }
}

/// A registered person's name found in the text, and which parts of their address stand there too.
struct NameSighting: Equatable {
    var line: Int
    /// Empty: the address was not found.
    var addressParts: [AddressPart]
}

/// Persons whose names were found, split by whether their address confirmed them.
struct NameEvidence {
    /// Household → confirmed persons (name + address).
    var confirmed: [String: [NameSighting]] = [:]
    /// Household → most address parts found for one of its confirmed persons.
    var addressStrength: [String: Int] = [:]
    /// Household → names found without address confirmation.
    var unconfirmed: [String: [NameSighting]] = [:]
    /// Every household any found name belongs to, per found name (lower-cased full name).
    var householdsByName: [String: Set<String>] = [:]
}

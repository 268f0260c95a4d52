/// The `mrz` check: every check digit of the document's machine-readable zone is right
/// (ICAO 9303, weights 7-3-1) and the zone's element equals the field read from the visual
/// zone. Either failure makes the field, and so the document, doubtful.
struct MRZCheck {
    let element: MRZElement
    let zone: MachineReadableZone?

    func evaluate(_ field: ExtractedField) -> CheckOutcome? {
        // The front of an ID card has no zone: nothing to check, nothing claimed.
        guard let zone else { return nil }
        let name = "mrz \(element.rawValue)"
        let failed = zone.failedCheckDigits
        if !failed.isEmpty {
            let which = failed.map { "\($0.covers) (printed \($0.printed), computed \($0.computed))" }
            return CheckOutcome(
                check: name, passed: false,
                detail:
                    "machine-readable zone (\(zone.format.rawValue), line \(zone.firstLine)) fails its check digits (ICAO 9303, weights 7-3-1): \(which.joined(separator: ", ")); misread or altered, compare with the document"
            )
        }
        let inZone: String?
        let same: Bool
        switch element {
        case .expiry:
            inZone = zone.expiry
            same = inZone == field.value
        case .surname:
            inZone = zone.names.surname
            same = inZone.map { Self.mrzSpelling($0) == Self.mrzSpelling(field.value) } ?? false
        case .givenNames:
            inZone = zone.names.givenNames
            same = inZone.map { Self.mrzSpelling($0) == Self.mrzSpelling(field.value) } ?? false
        }
        if same {
            return CheckOutcome(
                check: name, passed: true,
                detail: "\(field.key) \(field.value) agrees with the machine-readable zone, whose check digits are right")
        }
        return CheckOutcome(
            check: name, passed: false,
            detail:
                "\(field.key) \(field.value) differs from the machine-readable zone's \(element.rawValue) '\(inZone ?? "unreadable")'")
    }

    /// A name as the zone writes it: upper case, umlauts spelled out (Ä → AE, ß → SS),
    /// anything but letters a single space.
    static func mrzSpelling(_ name: String) -> String {
        TextFolding.fold(name).uppercased().map { $0.isLetter && $0.isASCII ? String($0) : " " }.joined()
            .split(separator: " ").joined(separator: " ")
    }
}

/// The `mrz` check: every check digit of the document's machine-readable zone is right
/// (ICAO 9303, weights 7-3-1) and the zone's element equals the field read from the visual
/// zone. Either failure makes the field, and so the document, doubtful.
struct MRZCheck {
    let element: MRZElement
    let zone: MachineReadableZone?
    /// The field's German label, for the detail a caseworker reads.
    var label: String


    func evaluate(_ field: ExtractedField) -> CheckOutcome? {
        // The front of an ID card has no zone: nothing to check, nothing claimed.
        guard let zone else { return nil }
        let name = "mrz \(element.rawValue)"
        let failed = zone.failedCheckDigits
        if !failed.isEmpty {
            let which = failed.map { "\($0.covers) (gedruckt \($0.printed), berechnet \($0.computed))" }
            return CheckOutcome(
                check: name, passed: false,
                detail:
                    "Prüfziffern der maschinenlesbaren Zone (\(zone.format.rawValue), Zeile \(zone.firstLine)) stimmen nicht (ICAO 9303, Gewichte 7-3-1): \(which.joined(separator: ", ")); falsch gelesen oder verändert, bitte mit dem Dokument vergleichen"
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
                detail: "\(label) \(shown(field)) stimmt mit der maschinenlesbaren Zone überein, deren Prüfziffern stimmen")
        }
        return CheckOutcome(
            check: name, passed: false,
            detail:
                "\(label) \(shown(field)) weicht von der maschinenlesbaren Zone ab (\(elementName): „\(inZone.map { element == .expiry ? GermanFormat.fieldValue($0, type: .date) : $0 } ?? "unlesbar")“)")
    }

    /// The element as a caseworker names it.
    private var elementName: String {
        switch element {
        case .expiry: "Ablaufdatum"
        case .surname: "Nachname"
        case .givenNames: "Vornamen"
        }
    }

    /// A value as German writes it (dates 31.10.2020).
    private func shown(_ field: ExtractedField) -> String { GermanFormat.fieldValue(field.value, type: field.type) }

    /// A name as the zone writes it: upper case, umlauts spelled out (Ä → AE, ß → SS),
    /// anything but letters a single space.
    static func mrzSpelling(_ name: String) -> String {
        TextFolding.fold(name).uppercased().map { $0.isLetter && $0.isASCII ? String($0) : " " }.joined()
            .split(separator: " ").joined(separator: " ")
    }
}

import Foundation

/// Decides which household a document belongs to, in this order: sidecar, barcode,
/// number in the text, name with address. A case is set only when the evidence points to
/// exactly one household; conflicts, unknown numbers and unconfirmed names give no case.
struct CaseMatcher: Sendable {
    let settings: CaseMatchingSettings
    let register: CaseRegister

    private static let postcode = NSRegularExpression.fixed(#"(?<!\d)\d{5}(?!\d)"#)

    func match(_ document: DocumentText, sidecarCase: String?, barcodes: [String]) -> CaseMatch {
        let textNumbers = numbers(in: [(document.raw, { "line \(document.lineNumber(forRawOffset: $0))" })])
        let barcodeNumbers = numbers(
            in: barcodes.enumerated().map { index, payload in (payload, { _ in "barcode \(index + 1)" }) }, wholePayload: true)
        let names = nameEvidence(in: document)
        let candidates = Self.candidates(textNumbers, barcodeNumbers, names, sidecar: nil)

        if let sidecar = sidecarCase?.trimmingCharacters(in: .whitespacesAndNewlines), !sidecar.isEmpty {
            let caseID = CaseIdentifiers.normalizeAny(sidecar)
            guard register.contains(caseID: caseID) else {
                return none(
                    ["sidecar names case \(caseID), which is not in the case register; check the upload or update the register"],
                    candidates)
            }
            let others = Set(textNumbers.known.keys).union(barcodeNumbers.known.keys).subtracting([caseID])
            guard others.isEmpty else {
                return none(
                    ["sidecar names \(caseID) but the document carries the number of \(others.sorted().joined(separator: ", "))"],
                    candidates)
            }
            return CaseMatch(
                caseID: caseID, route: .sidecar, reasons: ["sidecar names registered case \(caseID)"], candidates: candidates)
        }

        if !barcodeNumbers.isEmpty {
            return decide(
                by: barcodeNumbers, route: .barcode, what: "barcode", text: textNumbers, names: names, candidates: candidates)
        }
        if !textNumbers.isEmpty {
            return decide(
                by: textNumbers, route: .number, what: "number in the text", text: textNumbers, names: names,
                candidates: candidates)
        }
        return decideByName(names, candidates: candidates)
    }

    private func decide(
        by evidence: NumberEvidence, route: CaseMatch.Route, what: String, text: NumberEvidence, names: NameEvidence,
        candidates: [CaseCandidate]
    ) -> CaseMatch {
        guard evidence.unknown.isEmpty else {
            return none(evidence.unknown.map { "\($0) is not in the case register" }, candidates)
        }
        let households = Set(evidence.known.keys)
        guard households.count == 1, let caseID = households.first else {
            return none(
                ["\(what) points to \(households.count) households (\(households.sorted().joined(separator: ", ")))"], candidates)
        }
        let otherNumbers = Set(text.known.keys).subtracting([caseID])
        guard otherNumbers.isEmpty, text.unknown.isEmpty || route == .number else {
            let others = otherNumbers.sorted() + text.unknown
            return none(["\(what) points to \(caseID) but the text also carries \(others.joined(separator: ", "))"], candidates)
        }
        let foreignNames = names.householdsByName.filter { !$0.value.contains(caseID) }
        guard foreignNames.isEmpty else {
            let households = Set(foreignNames.values.flatMap { $0 }).sorted()
            return none(
                ["\(what) points to \(caseID) but the document names a person of \(households.joined(separator: ", "))"],
                candidates)
        }
        let reasons = evidence.known[caseID, default: []].map { "\($0) of registered case \(caseID)" }
        return CaseMatch(caseID: caseID, route: route, reasons: reasons, candidates: candidates)
    }

    private func decideByName(_ names: NameEvidence, candidates: [CaseCandidate]) -> CaseMatch {
        // Where a name fits several households, the one with clearly more address evidence
        // (street and postcode over postcode alone) wins; a tie stays undecided.
        let confirmed = names.confirmed.keys.sorted()
        let strongest = names.addressStrength.values.max() ?? 0
        let best = confirmed.filter { names.addressStrength[$0] == strongest }
        if best.count == 1, let caseID = best.first {
            var reasons = names.confirmed[caseID, default: []]
            let others = Set(names.unconfirmed.keys).union(names.confirmed.keys).subtracting([caseID]).sorted()
            if !others.isEmpty {
                reasons.append("the name also fits \(others.joined(separator: ", ")), with less address evidence")
            }
            return CaseMatch(caseID: caseID, route: .name, reasons: reasons, candidates: candidates)
        }
        if best.count > 1 {
            return none(
                ["name and address fit \(best.count) households equally (\(best.joined(separator: ", "))); a person must choose"],
                candidates)
        }
        if !names.unconfirmed.isEmpty {
            let households = names.unconfirmed.keys.sorted()
            return none(
                [
                    "a registered name appears without its address (\(households.joined(separator: ", "))); a name alone does not decide a case"
                ], candidates)
        }
        return none(["no sidecar, barcode, registered case number or registered name with address found"], candidates)
    }

    private func none(_ reasons: [String], _ candidates: [CaseCandidate]) -> CaseMatch {
        CaseMatch(caseID: nil, route: .none, reasons: reasons, candidates: candidates)
    }

    /// Case and customer numbers in each text, looked up in the register; `place` names
    /// where a match at a UTF-16 offset stands.
    private func numbers(in texts: [(String, (Int) -> String)], wholePayload: Bool = false) -> NumberEvidence {
        var evidence = NumberEvidence()
        func note(_ number: String, kind: String, caseID: String?, place: String) {
            if let caseID {
                let entry = "\(kind) \(number) in \(place)"
                if !evidence.known[caseID, default: []].contains(entry) { evidence.known[caseID, default: []].append(entry) }
            } else {
                let entry = "\(kind) \(number) (\(place))"
                if !evidence.unknown.contains(entry) { evidence.unknown.append(entry) }
            }
        }
        for (text, place) in texts {
            var foundCase = false
            for pattern in settings.caseNumberPatterns {
                for match in pattern.regex.matches(in: text) {
                    let raw = (match.numberOfRanges > 1 ? match.group(1, in: text) : nil) ?? text.substring(match.range) ?? ""
                    let number = CaseIdentifiers.normalizeAny(raw)
                    let known = register.contains(caseID: number)
                    // Digits only ("BG" read as "86"): a BG-Nummer only if registered, else
                    // some other long number that must not block the case.
                    if !known, !raw.contains(where: { $0.isLetter || $0 == "/" }) { continue }
                    foundCase = true
                    note(number, kind: "BG-Nummer", caseID: known ? number : nil, place: place(match.range.location))
                }
            }
            if wholePayload, !foundCase {
                let number = CaseIdentifiers.normalizeAny(text.trimmingCharacters(in: .whitespacesAndNewlines))
                if register.contains(caseID: number) { note(number, kind: "case number", caseID: number, place: place(0)) }
            }
            for pattern in settings.customerNumberPatterns {
                for match in pattern.regex.matches(in: text) {
                    let raw = (match.numberOfRanges > 1 ? match.group(1, in: text) : nil) ?? text.substring(match.range) ?? ""
                    let number = CaseIdentifiers.normalizeKundennummer(raw)
                    note(
                        number, kind: "Kundennummer", caseID: register.caseID(forKundennummer: number),
                        place: place(match.range.location))
                }
            }
        }
        return evidence
    }

    private func nameEvidence(in document: DocumentText) -> NameEvidence {
        var evidence = NameEvidence()
        let finder = PersonNameFinder(document: document, toleranceMinimumLength: settings.nameMatching.ocrToleranceMinimumLength)
        let hits = finder.hits(for: register.persons)
        guard !hits.isEmpty else { return evidence }
        let postcodes = Set(Self.postcode.matches(in: document.folded).compactMap { document.folded.substring($0.range) })
        let streetText = document.compact.replacingOccurrences(of: "strasse", with: "str")
        for hit in hits {
            let person = hit.person
            let name = "\(person.vorname) \(person.nachname)"
            evidence.householdsByName[TextFolding.fold(name), default: []].insert(person.bgNummer)
            var parts: [String] = []
            for part in settings.nameMatching.addressEvidence {
                switch part {
                case .street:
                    let key = Self.streetKey(person.strasse)
                    if key.count >= 4, streetText.contains(key) { parts.append("street") }
                case .postcode:
                    if !person.plz.isEmpty, postcodes.contains(person.plz) { parts.append("postcode") }
                case .city:
                    let city = TextFolding.compact(person.ort)
                    if city.count >= 3, document.compact.contains(city) { parts.append("city") }
                }
            }
            if parts.count >= settings.nameMatching.minimumAddressMatches {
                evidence.addressStrength[person.bgNummer] = max(evidence.addressStrength[person.bgNummer] ?? 0, parts.count)
                evidence.confirmed[person.bgNummer, default: []].append(
                    "name of a registered person on line \(hit.line), confirmed by \(parts.joined(separator: " and "))")
            } else {
                evidence.unconfirmed[person.bgNummer, default: []].append(
                    "name of a registered person on line \(hit.line), address not found")
            }
        }
        return evidence
    }

    /// "Hauptstraße 12a" → "hauptstr", "Am Markt 3, Hinterhaus" → "ammarkt" (street name
    /// without house number or addition, `straße` → `str`).
    static func streetKey(_ street: String) -> String {
        let streetOnly = street.split(separator: ",").first.map(String.init) ?? street
        var words = streetOnly.split(separator: " ")
        while let last = words.last, last.first?.isNumber == true { words.removeLast() }
        let compact = TextFolding.compact(words.joined(separator: " "))
        var key = compact.replacingOccurrences(of: "strasse", with: "str")
        if key.hasSuffix("str.") { key.removeLast() }
        return key.filter { $0 != "." }
    }

    private static func candidates(_ text: NumberEvidence, _ barcodes: NumberEvidence, _ names: NameEvidence, sidecar: String?)
        -> [CaseCandidate]
    {
        var evidence: [String: [String]] = [:]
        for source in [barcodes.known, text.known, names.confirmed, names.unconfirmed] {
            for (caseID, items) in source { evidence[caseID, default: []] += items }
        }
        return evidence.keys.sorted().map { CaseCandidate(caseID: $0, evidence: evidence[$0]!) }
    }
}

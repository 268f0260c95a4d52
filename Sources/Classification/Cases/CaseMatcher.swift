import Foundation

/// Decides which household a document belongs to: the one owner of that decision. In this
/// order: a believed sidecar (the operator's own file or a trusted channel), the cover sheet
/// before the document, then the content (barcode, number in the text, name with address);
/// a sidecar from an untrusted channel stands only when the result is the same household.
/// A case is set only when the evidence points to exactly one household; conflicts, unknown
/// numbers and unconfirmed names give no case.
struct CaseMatcher: Sendable {
    let settings: CaseMatchingSettings
    let register: CaseRegister

    private static let postcode = NSRegularExpression.fixed(#"(?<!\d)\d{5}(?!\d)"#)

    func match(_ document: DocumentText, claims: CaseClaims = .none, barcodes: [String]) -> CaseMatch {
        let evidence = Evidence(
            text: numbers(in: [(document.raw, { .line(document.lineNumber(forRawOffset: $0)) })]),
            barcodes: numbers(
                in: barcodes.enumerated().map { index, payload in (payload, { _ in .barcode(index + 1) }) }, wholePayload: true),
            names: nameEvidence(in: document))

        if let sidecar = claims.sidecar, sidecar.isBelieved {
            if let cover = claims.cover, cover.caseID != sidecar.caseID {
                return evidence.none([.coverContradictsSidecar(page: cover.page, cover: cover.caseID, sidecar: sidecar.caseID)])
            }
            let namer: CaseReason.Namer
            if case .trustedChannel(let channel) = sidecar.standing { namer = .trustedChannel(channel) } else { namer = .sidecar }
            return named(sidecar.caseID, by: namer, evidence)
        }
        let decided = claims.cover.map { named($0.caseID, by: .coverSheet(page: $0.page), evidence) } ?? byContent(evidence)
        guard let claim = claims.sidecar, case .claim(let channel) = claim.standing else { return decided }
        if decided.caseID == claim.caseID {
            var confirmed = decided
            confirmed.reasons.append(.claimConfirmed(claim.caseID, channel: channel))
            return confirmed
        }
        // Whatever left the document without a case stays said beside the claim.
        let before = decided.caseID == nil ? decided.reasons : []
        return evidence.none(before + [.claimNotConfirmed(claim.caseID, channel: channel, contentCase: decided.caseID)])
    }

    /// What the document itself carries.
    private struct Evidence {
        var text: NumberEvidence
        var barcodes: NumberEvidence
        var names: NameEvidence

        var candidates: [CaseCandidate] {
            var evidence: [String: [String]] = [:]
            for source in [barcodes.known, text.known] {
                for (caseID, items) in source { evidence[caseID, default: []] += items.map(\.german) }
            }
            for source in [names.confirmed, names.unconfirmed] {
                for (caseID, items) in source { evidence[caseID, default: []] += items.map(CaseReason.nameGerman) }
            }
            return evidence.keys.sorted().map { CaseCandidate(caseID: $0, evidence: evidence[$0]!) }
        }

        func none(_ reasons: [CaseReason]) -> CaseMatch {
            CaseMatch(caseID: nil, route: .none, reasons: reasons, candidates: candidates)
        }
    }

    /// A case named before the content was read: taken when registered and no other case's
    /// number is in the document.
    private func named(_ caseID: String, by namer: CaseReason.Namer, _ evidence: Evidence) -> CaseMatch {
        guard register.contains(caseID: caseID) else { return evidence.none([.namedCaseNotRegistered(caseID, by: namer)]) }
        let others = Set(evidence.text.known.keys).union(evidence.barcodes.known.keys).subtracting([caseID])
        guard others.isEmpty else { return evidence.none([.namedCaseContradicted(caseID, by: namer, others: others.sorted())]) }
        return CaseMatch(
            caseID: caseID, route: namer.route, reasons: [.namedCase(caseID, by: namer)], candidates: evidence.candidates)
    }

    private func byContent(_ evidence: Evidence) -> CaseMatch {
        if !evidence.barcodes.isEmpty { return decide(by: evidence.barcodes, route: .barcode, source: .barcode, evidence) }
        if !evidence.text.isEmpty { return decide(by: evidence.text, route: .number, source: .text, evidence) }
        return decideByName(evidence)
    }

    private func decide(
        by numbers: NumberEvidence, route: CaseMatch.Route, source: CaseReason.NumberSource, _ evidence: Evidence
    ) -> CaseMatch {
        guard numbers.unknown.isEmpty else { return evidence.none(numbers.unknown.map(CaseReason.numberNotRegistered)) }
        let households = Set(numbers.known.keys)
        guard households.count == 1, let caseID = households.first else {
            return evidence.none([.severalHouseholds(households.sorted(), by: source)])
        }
        let text = evidence.text
        let otherNumbers = Set(text.known.keys).subtracting([caseID])
        guard otherNumbers.isEmpty, text.unknown.isEmpty || route == .number else {
            return evidence.none([.otherNumberInText(caseID, otherCases: otherNumbers.sorted(), unknown: text.unknown, by: source)])
        }
        let foreignNames = evidence.names.householdsByName.filter { !$0.value.contains(caseID) }
        guard foreignNames.isEmpty else {
            let households = Set(foreignNames.values.flatMap { $0 }).sorted()
            return evidence.none([.personOfOtherHousehold(caseID, households: households, by: source)])
        }
        let reasons = numbers.known[caseID, default: []].map { CaseReason.numberOfCase($0, caseID: caseID) }
        return CaseMatch(caseID: caseID, route: route, reasons: reasons, candidates: evidence.candidates)
    }

    private func decideByName(_ evidence: Evidence) -> CaseMatch {
        // Where a name fits several households, the one with clearly more address evidence
        // (street and postcode over postcode alone) wins; a tie stays undecided.
        let names = evidence.names
        let confirmed = names.confirmed.keys.sorted()
        let strongest = names.addressStrength.values.max() ?? 0
        let best = confirmed.filter { names.addressStrength[$0] == strongest }
        if best.count == 1, let caseID = best.first {
            var reasons = names.confirmed[caseID, default: []].map(CaseReason.nameConfirmed)
            let others = Set(names.unconfirmed.keys).union(names.confirmed.keys).subtracting([caseID]).sorted()
            if !others.isEmpty { reasons.append(.nameAlsoFits(others)) }
            return CaseMatch(caseID: caseID, route: .name, reasons: reasons, candidates: evidence.candidates)
        }
        if best.count > 1 { return evidence.none([.namesTie(best)]) }
        if !names.unconfirmed.isEmpty { return evidence.none([.nameWithoutAddress(names.unconfirmed.keys.sorted())]) }
        return evidence.none([.nothingFound])
    }

    /// Case and customer numbers in each text, looked up in the register; `place` names
    /// where a match at a UTF-16 offset stands.
    private func numbers(in texts: [(String, (Int) -> NumberSighting.Place)], wholePayload: Bool = false) -> NumberEvidence {
        var evidence = NumberEvidence()
        func note(_ number: String, kind: NumberSighting.Kind, caseID: String?, place: NumberSighting.Place) {
            let sighting = NumberSighting(kind: kind, number: number, place: place)
            if let caseID {
                if !evidence.known[caseID, default: []].contains(sighting) { evidence.known[caseID, default: []].append(sighting) }
            } else if !evidence.unknown.contains(sighting) {
                evidence.unknown.append(sighting)
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
                    note(number, kind: .bgNummer, caseID: known ? number : nil, place: place(match.range.location))
                }
            }
            if wholePayload, !foundCase {
                let number = CaseIdentifiers.normalizeAny(text.trimmingCharacters(in: .whitespacesAndNewlines))
                if register.contains(caseID: number) { note(number, kind: .caseNumber, caseID: number, place: place(0)) }
            }
            for pattern in settings.customerNumberPatterns {
                for match in pattern.regex.matches(in: text) {
                    let raw = (match.numberOfRanges > 1 ? match.group(1, in: text) : nil) ?? text.substring(match.range) ?? ""
                    let number = CaseIdentifiers.normalizeKundennummer(raw)
                    note(
                        number, kind: .kundennummer, caseID: register.caseID(forKundennummer: number),
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
            var parts: [AddressPart] = []
            for part in settings.nameMatching.addressEvidence {
                switch part {
                case .street:
                    let key = Self.streetKey(person.strasse)
                    if key.count >= 4, streetText.contains(key) { parts.append(.street) }
                case .postcode:
                    if !person.plz.isEmpty, postcodes.contains(person.plz) { parts.append(.postcode) }
                case .city:
                    let city = TextFolding.compact(person.ort)
                    if city.count >= 3, document.compact.contains(city) { parts.append(.city) }
                }
            }
            if parts.count >= settings.nameMatching.minimumAddressMatches {
                evidence.addressStrength[person.bgNummer] = max(evidence.addressStrength[person.bgNummer] ?? 0, parts.count)
                evidence.confirmed[person.bgNummer, default: []].append(NameSighting(line: hit.line, addressParts: parts))
            } else {
                evidence.unconfirmed[person.bgNummer, default: []].append(NameSighting(line: hit.line, addressParts: []))
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
}

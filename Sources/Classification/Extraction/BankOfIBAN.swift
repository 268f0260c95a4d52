import Foundation

/// The bank an IBAN names, from the Bundesbank's bank-code register, checked against the
/// bank name read on the page (`bank_of: iban`).
///
/// - name read and agreeing: kept, with the debris OCR put around it dropped ("GA Sparkasse
///   Dortmund" → "Sparkasse Dortmund": words at its ends that no bank name of that code has);
/// - name read and disagreeing: kept and doubtful, the reason names the register's bank;
/// - no name read: the register's name for the code, not doubtful (the IBAN passed mod-97).
enum BankOfIBAN {
    static func apply(_ definition: FieldDefinition, iban ibanKey: String, to fields: inout [ExtractedField], in document: DocumentText) {
        guard let iban = fields.first(where: { $0.key == ibanKey }), let entry = BankCodeRegister.shared.bank(forIBAN: iban.value)
        else { return }
        // A doubtful IBAN may be another account's: its bank neither fills nor judges the name;
        // a name that agrees with it only loses its debris.
        if iban.doubtful {
            if let index = fields.firstIndex(where: { $0.key == definition.key }) {
                let withoutDebris = trimmed(fields[index].value, to: entry)
                if BankCodeRegister.shared.nameAgrees(withoutDebris, with: entry) { fields[index].value = withoutDebris }
            }
            return
        }
        let registered = "\(entry.name) (BLZ \(entry.code), BIC \(entry.bic))"
        let registerSays = "die Bankleitzahl der IBAN gehört laut Bankleitzahlenverzeichnis zu \(registered)"
        let named = namedOnPage(entry, in: document)
        guard let index = fields.firstIndex(where: { $0.key == definition.key }) else {
            if let named {
                fields.append(
                    ExtractedField(
                        key: definition.key, type: definition.type, value: named.name, raw: named.name, doubtful: false,
                        reason: nil, line: named.line, anchor: "Name der Bank der IBAN auf der Seite",
                        checks: [CheckOutcome(check: "bank_of \(ibanKey)", passed: true, detail: registerSays)]))
            } else {
                fields.append(
                    ExtractedField(
                        key: definition.key, type: definition.type, value: registeredName(entry), raw: registered, doubtful: false,
                        reason: nil, line: iban.line, anchor: "Bankleitzahlenverzeichnis (IBAN \(ibanKey))", checks: []))
            }
            return
        }
        var field = fields[index]
        let withoutDebris = throughLegalForm(trimmed(field.value, to: entry))
        if BankCodeRegister.shared.nameAgrees(withoutDebris, with: entry) {
            field.value = registerSpelling(of: withoutDebris, entry) ?? withoutDebris
            field.checks.append(CheckOutcome(check: "bank_of \(ibanKey)", passed: true, detail: registerSays))
            // A one-word brand read from the logo ("ING", "DKB"): the bank's name with its legal
            // form, where the page gives it ("ING-DiBa AG" in the footer), is what a person files.
            if withoutDebris.split(separator: " ").count == 1, let named, named.name.split(separator: " ").count > 1,
                PartyName.hasLegalForm(named.name)
            {
                field.value = named.name
                field.raw = named.name
                field.line = named.line
                field.location = nil
            }
        } else if let named, named.name.split(separator: " ").count > 1 {
            // The name read is a brand or another bank's ("DKB" in the letterhead); the page names
            // the IBAN's bank in full elsewhere (the footer's "Deutsche Kreditbank AG"): that one.
            let detail = "\(registerSays); „\(field.value)“ sagt das nicht, Zeile \(named.line) schon"
            field.value = named.name
            field.raw = named.name
            field.line = named.line
            field.location = nil
            field.checks.append(CheckOutcome(check: "bank_of \(ibanKey)", passed: true, detail: detail))
        } else {
            field.doubtful = true
            let reason = "\(registerSays), nicht zu „\(field.value)“; bitte Bank und IBAN im Dokument prüfen"
            field.reason = field.reason.map { $0 + "; " + reason } ?? reason
            field.checks.append(CheckOutcome(check: "bank_of \(ibanKey)", passed: false, detail: reason))
            // A bank's name that is not the IBAN's bank: the IBAN may be another account's (a
            // counterparty's in a booking) as much as the name may be misread.
            let folded = TextFolding.fold(field.value)
            if ["bank", "kasse", "raiffeisen"].contains(where: folded.contains),
                let ibanIndex = fields.firstIndex(where: { $0.key == ibanKey }), !fields[ibanIndex].doubtful
            {
                fields[ibanIndex].doubtful = true
                fields[ibanIndex].reason =
                    "die IBAN gehört laut Bankleitzahlenverzeichnis zu \(registered), das Dokument nennt „\(field.value)“: bitte prüfen, ob es die IBAN dieses Kontos ist"
            }
        }
        fields[index] = field
    }

    /// The longest name on the page that agrees with the register's bank: a line's part between
    /// separators (",", "·", "|", two spaces), its debris dropped, of at least two words.
    static func namedOnPage(_ entry: BankEntry, in document: DocumentText) -> (name: String, line: Int)? {
        var best: (name: String, line: Int, words: Int)?
        for line in document.lines {
            let parts = line.raw.components(separatedBy: CharacterSet(charactersIn: ",·|;")).flatMap { $0.components(separatedBy: "  ") }
            // A footer column run together with the next one ("N26 Bank AG Amtsgericht
            // Charlottenburg"): the part up to its legal form is a candidate too.
            let withLegalForms = parts + parts.compactMap { part -> String? in
                guard let end = PartyName.endOfLegalForm(in: " " + part) else { return nil }
                let cut = String((" " + part)[..<end]).trimmingCharacters(in: .whitespaces)
                return cut == part.trimmingCharacters(in: .whitespaces) ? nil : cut
            }
            for part in withLegalForms {
                // A bank's name says what it is ("…bank", "…kasse", "Raiffeisen…") or is a firm's
                // with its legal form ("ING-DiBa AG"); the register's agreement alone would take
                // "Jobcenter Wuppertal" for a Wuppertal bank. Checked first: most of a page's
                // lines name no bank.
                let folded = String(TextFolding.fold(part))
                guard ["bank", "kasse", "raiffeisen"].contains(where: folded.contains) || PartyName.hasLegalForm(part) else { continue }
                let candidate = throughLegalForm(trimmed(part.trimmingCharacters(in: .whitespaces), to: entry))
                let words = candidate.split(separator: " ").count
                // Digits only where the register's name has them ("N26 Bank"), not a booking's date.
                let numbered = candidate.split(separator: " ").filter { $0.contains(where: \.isNumber) }
                guard words >= 2, words <= 8, candidate.contains(where: \.isLetter),
                    numbered.allSatisfy({ registerWords(of: entry).contains(TextFolding.fold($0)) })
                else { continue }
                guard ["bank", "kasse", "raiffeisen"].contains(where: String(TextFolding.fold(candidate)).contains)
                    || PartyName.hasLegalForm(candidate)
                else { continue }
                guard BankCodeRegister.shared.nameAgrees(candidate, with: entry) else { continue }
                if words > (best?.words ?? 0) { best = (candidate, line.number, words) }
            }
        }
        return best.map { ($0.name, $0.line) }
    }

    /// The register's name where `read` is it with umlauts or case lost ("Stadtsparkasse
    /// Dusseldorf" for "Stadtsparkasse Düsseldorf"): the register spells it right.
    static func registerSpelling(of read: String, _ entry: BankEntry) -> String? {
        let key = { (text: String) in TextFolding.foldToBaseLetters(text).lowercased() }
        for name in [entry.name, entry.shortName] where name != read && key(name) == key(read) { return name }
        return nil
    }

    /// `read` up to its legal form ("N26 Bank AG Amtsgericht Charlottenburg": a footer's next
    /// column run into the name).
    static func throughLegalForm(_ read: String) -> String {
        guard let end = PartyName.endOfLegalForm(in: " " + read) else { return read }
        return String((" " + read)[..<end]).trimmingCharacters(in: .whitespaces)
    }

    /// The folded words of the register's name and short name of `entry`.
    static func registerWords(of entry: BankEntry) -> Set<String> {
        Set((entry.name + " " + entry.shortName).split(whereSeparator: { $0 == " " || $0 == "-" }).map { TextFolding.fold($0) })
    }

    /// The register's name, or its short name where that says more (a Volksbank's place).
    static func registeredName(_ entry: BankEntry) -> String {
        entry.shortName.split(separator: " ").count > entry.name.split(separator: " ").count ? entry.shortName : entry.name
    }

    /// `read` without debris at its ends: short words (at most three letters) or marks that are
    /// neither in the register's names of the bank nor a legal form ("GA Sparkasse Dortmund",
    /// "Volksbank … eG Bra"). A longer word stays: "Sparkasse Bielefeld" must still disagree.
    static func trimmed(_ read: String, to entry: BankEntry) -> String {
        let known = Set((entry.name + " " + entry.shortName).split(whereSeparator: { $0 == " " || $0 == "-" }).map {
            TextFolding.fold($0)
        })
        func fits(_ word: Substring) -> Bool {
            let folded = TextFolding.fold(word)
            if word.filter(\.isLetter).count > 3 { return true }
            if PartyName.legalForms.contains(where: { TextFolding.fold($0) == folded }) { return true }
            if known.contains(folded) { return true }
            // A compound of register words ("Rhein-Ruhr", "KölnBonn").
            let pieces = word.split(separator: "-").map { TextFolding.fold($0) }
            return pieces.count > 1 && pieces.allSatisfy(known.contains)
                || known.contains { $0.count >= 4 && folded.hasPrefix($0) && folded.count <= $0.count + 6 && word.first?.isUppercase == true }
        }
        var words = read.split(separator: " ")
        while let first = words.first, words.count > 1, !fits(first) { words.removeFirst() }
        while let last = words.last, words.count > 1, !fits(last) { words.removeLast() }
        return words.joined(separator: " ")
    }
}

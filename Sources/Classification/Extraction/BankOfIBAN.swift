import Foundation

/// The bank an IBAN names, from the Bundesbank's bank-code register, checked against the
/// bank name read on the page (`bank_of: iban`).
///
/// - name read and agreeing: kept, with the debris OCR put around it dropped ("GA Sparkasse
///   Dortmund" → "Sparkasse Dortmund": words at its ends that no bank name of that code has);
/// - name read and disagreeing: kept and doubtful, the reason names the register's bank;
/// - no name read: the register's name for the code, not doubtful (the IBAN passed mod-97).
enum BankOfIBAN {
    static func apply(_ definition: FieldDefinition, iban ibanKey: String, to fields: inout [ExtractedField]) {
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
        guard let index = fields.firstIndex(where: { $0.key == definition.key }) else {
            fields.append(
                ExtractedField(
                    key: definition.key, type: definition.type, value: registeredName(entry), raw: registered, doubtful: false,
                    reason: nil, line: iban.line, anchor: "bank register (IBAN \(ibanKey))", checks: []))
            return
        }
        var field = fields[index]
        let withoutDebris = trimmed(field.value, to: entry)
        if BankCodeRegister.shared.nameAgrees(withoutDebris, with: entry) {
            field.value = withoutDebris
            field.checks.append(CheckOutcome(check: "bank_of \(ibanKey)", passed: true, detail: "the IBAN's bank code names \(registered)"))
        } else {
            field.doubtful = true
            let reason = "the IBAN's bank code names \(registered), not '\(field.value)'"
            field.reason = field.reason.map { $0 + "; " + reason } ?? reason
            field.checks.append(CheckOutcome(check: "bank_of \(ibanKey)", passed: false, detail: reason))
        }
        fields[index] = field
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

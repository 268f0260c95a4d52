/// The reasons `CaseMatcher` gives, each written once in German and once in English.
extension CaseReason {
    /// Who named a case before the document's content was read.
    enum Namer: Equatable {
        case sidecar
        case trustedChannel(String)
        case coverSheet(page: Int)

        var german: String {
            switch self {
            case .sidecar: "die Begleitdatei"
            case .trustedChannel(let channel): "die Begleitdatei aus dem vertrauenswürdigen Kanal '\(channel)'"
            case .coverSheet(let page): "das Deckblatt auf Seite \(page)"
            }
        }

        var english: String {
            switch self {
            case .sidecar: "sidecar"
            case .trustedChannel(let channel): "sidecar from trusted channel '\(channel)'"
            case .coverSheet(let page): "cover sheet on page \(page)"
            }
        }

        var route: CaseMatch.Route {
            switch self {
            case .sidecar: .sidecar
            case .trustedChannel: .trustedChannel
            case .coverSheet: .coverSheet
            }
        }

        var whatToCheck: (german: String, english: String) {
            switch self {
            case .coverSheet: ("das Deckblatt", "the cover sheet")
            case .sidecar, .trustedChannel: ("den Upload", "the upload")
            }
        }
    }

    static func namedCase(_ caseID: String, by namer: Namer) -> CaseReason {
        CaseReason(
            code: .namedCase, german: sentence("\(namer.german) nennt den registrierten Fall \(caseID)"),
            english: "\(namer.english) names registered case \(caseID)")
    }

    static func namedCaseNotRegistered(_ caseID: String, by namer: Namer) -> CaseReason {
        let check = namer.whatToCheck
        return CaseReason(
            code: .namedCaseNotRegistered,
            german: sentence(
                "\(namer.german) nennt den Fall \(caseID), der nicht im Fallregister steht; bitte \(check.german) prüfen oder das Register aktualisieren"
            ),
            english: "\(namer.english) names case \(caseID), which is not in the case register; check \(check.english) or update the register")
    }

    static func namedCaseContradicted(_ caseID: String, by namer: Namer, others: [String]) -> CaseReason {
        let list = others.joined(separator: ", ")
        return CaseReason(
            code: .namedCaseContradicted,
            german: sentence("\(namer.german) nennt \(caseID), das Dokument trägt aber die Nummer von \(list)"),
            english: "\(namer.english) names \(caseID) but the document carries the number of \(list)")
    }

    static func coverContradictsSidecar(page: Int, cover: String, sidecar: String) -> CaseReason {
        CaseReason(
            code: .coverContradictsSidecar,
            german: "Das Deckblatt auf Seite \(page) nennt den Fall \(cover), die Begleitdatei aber \(sidecar)",
            english: "cover sheet on page \(page) names case \(cover) but the sidecar names \(sidecar)")
    }

    static func claimConfirmed(_ caseID: String, channel: String?) -> CaseReason {
        CaseReason(
            code: .claimConfirmed,
            german: "Die Begleitdatei aus \(germanChannel(channel)) nennt den Fall \(caseID); der Inhalt des Dokuments bestätigt das",
            english: "sidecar from \(englishChannel(channel)) names case \(caseID), and the document's content confirms it")
    }

    static func claimNotConfirmed(_ caseID: String, channel: String?, contentCase: String?) -> CaseReason {
        let german = contentCase.map { "der Inhalt des Dokuments verweist auf \($0)" } ?? "der Inhalt des Dokuments bestätigt das nicht"
        let english = contentCase.map { "the document's content points to \($0)" } ?? "the document's content does not confirm it"
        return CaseReason(
            code: .claimNotConfirmed,
            german: "Die Begleitdatei aus \(germanChannel(channel)), der kein vertrauenswürdiger Kanal ist, nennt den Fall \(caseID); \(german)",
            english: "sidecar from \(englishChannel(channel)), which is not a trusted channel, names case \(caseID); \(english)")
    }

    static func numberOfCase(_ sighting: NumberSighting, caseID: String) -> CaseReason {
        CaseReason(
            code: .numberOfCase, german: "\(sighting.german) gehört zum registrierten Fall \(caseID)",
            english: "\(sighting.english) of registered case \(caseID)")
    }

    static func numberNotRegistered(_ sighting: NumberSighting) -> CaseReason {
        CaseReason(
            code: .numberNotRegistered,
            german: "\(sighting.germanKind) \(sighting.number) (\(sighting.germanPlace)) steht nicht im Fallregister",
            english: "\(sighting.englishKind) \(sighting.number) (\(sighting.englishPlace)) is not in the case register")
    }

    /// Where the deciding numbers were: the barcodes or the text.
    enum NumberSource {
        case barcode
        case text

        var german: String { self == .barcode ? "Der Barcode" : "Die Nummer im Text" }
        var english: String { self == .barcode ? "barcode" : "number in the text" }
    }

    static func severalHouseholds(_ households: [String], by source: NumberSource) -> CaseReason {
        let list = households.joined(separator: ", ")
        return CaseReason(
            code: .severalHouseholds,
            german: "\(source.german) verweist auf \(households.count) Bedarfsgemeinschaften (\(list))",
            english: "\(source.english) points to \(households.count) households (\(list))")
    }

    static func otherNumberInText(
        _ caseID: String, otherCases: [String], unknown: [NumberSighting], by source: NumberSource
    ) -> CaseReason {
        let german = (otherCases + unknown.map { "\($0.germanKind) \($0.number) (\($0.germanPlace))" }).joined(separator: ", ")
        let english = (otherCases + unknown.map { "\($0.englishKind) \($0.number) (\($0.englishPlace))" }).joined(separator: ", ")
        return CaseReason(
            code: .otherNumberInText,
            german: "\(source.german) verweist auf \(caseID), der Text enthält aber auch \(german)",
            english: "\(source.english) points to \(caseID) but the text also carries \(english)")
    }

    static func personOfOtherHousehold(_ caseID: String, households: [String], by source: NumberSource) -> CaseReason {
        let list = households.joined(separator: ", ")
        return CaseReason(
            code: .personOfOtherHousehold,
            german: "\(source.german) verweist auf \(caseID), das Dokument nennt aber eine Person aus \(list)",
            english: "\(source.english) points to \(caseID) but the document names a person of \(list)")
    }

    static func nameConfirmed(_ sighting: NameSighting) -> CaseReason {
        CaseReason(
            code: .nameConfirmed, german: nameGerman(sighting), english: nameEnglish(sighting))
    }

    static func nameAlsoFits(_ others: [String]) -> CaseReason {
        let list = others.joined(separator: ", ")
        return CaseReason(
            code: .nameAlsoFits, german: "Der Name passt auch zu \(list), mit weniger Belegen aus der Anschrift",
            english: "the name also fits \(list), with less address evidence")
    }

    static func namesTie(_ households: [String]) -> CaseReason {
        let list = households.joined(separator: ", ")
        return CaseReason(
            code: .namesTie,
            german: "Name und Anschrift passen gleich gut zu \(households.count) Bedarfsgemeinschaften (\(list)); eine Person muss entscheiden",
            english: "name and address fit \(households.count) households equally (\(list)); a person must choose")
    }

    static func nameWithoutAddress(_ households: [String]) -> CaseReason {
        let list = households.joined(separator: ", ")
        return CaseReason(
            code: .nameWithoutAddress,
            german: "Ein registrierter Name steht ohne seine Anschrift im Dokument (\(list)); ein Name allein entscheidet keinen Fall",
            english: "a registered name appears without its address (\(list)); a name alone does not decide a case")
    }

    static let nothingFound = CaseReason(
        code: .nothingFound,
        german: "Keine Begleitdatei, kein Barcode, keine registrierte Fallnummer und kein registrierter Name mit Anschrift gefunden",
        english: "no sidecar, barcode, registered case number or registered name with address found")

    /// Said when no case register is loaded.
    public static let noRegister = CaseReason(
        code: .noRegister, german: "Kein Fallregister geladen; Fälle können nicht zugeordnet werden",
        english: "no case register loaded; cases cannot be matched")

    // MARK: evidence of candidates (German, shown beside each candidate)

    static func nameGerman(_ sighting: NameSighting) -> String {
        guard !sighting.addressParts.isEmpty else {
            return "Name einer registrierten Person in Zeile \(sighting.line), Anschrift nicht gefunden"
        }
        let parts = sighting.addressParts.map { part -> String in
            switch part {
            case .street: "Straße"
            case .postcode: "Postleitzahl"
            case .city: "Ort"
            }
        }
        return "Name einer registrierten Person in Zeile \(sighting.line), bestätigt durch \(listed(parts, and: "und"))"
    }

    static func nameEnglish(_ sighting: NameSighting) -> String {
        guard !sighting.addressParts.isEmpty else {
            return "name of a registered person on line \(sighting.line), address not found"
        }
        return "name of a registered person on line \(sighting.line), confirmed by \(sighting.addressParts.map(\.rawValue).joined(separator: " and "))"
    }

    private static func listed(_ items: [String], and word: String) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " \(word) " + items.last!
    }

    private static func germanChannel(_ channel: String?) -> String {
        channel.map { "dem Kanal '\($0)'" } ?? "einem unbenannten Kanal"
    }

    private static func englishChannel(_ channel: String?) -> String {
        channel.map { "channel '\($0)'" } ?? "an unnamed channel"
    }

    /// The first letter in upper case: a sentence that starts with a namer.
    private static func sentence(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst()
    }
}

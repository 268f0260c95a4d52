import Akte
import Classification
import Foundation

/// Findings over a household's filed documents: pure functions of the case file and the
/// operator's settings, so that they are easy to test and always computed afresh.
public struct FindingsEngine: Sendable {
    public var settings: FindingSettings
    /// Class id → German name (from `pipeline.yml`); the id when unknown.
    public var classLabels: [String: String]
    /// Class id → which of its fields say the days it covers (for requests with a period);
    /// a class not listed is read by the usual keys (`RequestPeriodKind.conventional`).
    public var periodKinds: [String: RequestPeriodKind]
    /// Classes whose documents are restricted (health data, identity documents: `sensitive` in
    /// `pipeline.yml`): they are not read for findings, so they cannot be requested here either.
    public var restrictedClasses: Set<String>

    /// Classes whose rent is judged against the local limits.
    public static let rentClasses: Set<String> = ["mietvertrag", "mietbescheinigung", "betriebskostenabrechnung"]
    /// Classes whose rent is compared with the previous one.
    public static let rentChangeClasses: Set<String> = ["mietvertrag", "mietbescheinigung"]

    public init(
        settings: FindingSettings, classLabels: [String: String] = [:], periodKinds: [String: RequestPeriodKind] = [:],
        restrictedClasses: Set<String> = HealthData.classes
    ) {
        self.settings = settings
        self.classLabels = classLabels
        self.periodKinds = periodKinds
        self.restrictedClasses = restrictedClasses
    }

    public init(configuration: PipelineConfiguration) {
        self.init(
            settings: configuration.findings,
            classLabels: Dictionary(configuration.classes.map { ($0.id, $0.label) }, uniquingKeysWith: { first, _ in first }),
            periodKinds: Dictionary(
                configuration.classes.map { ($0.id, RequestPeriodKind(fields: $0.fields)) }, uniquingKeysWith: { first, _ in first }),
            restrictedClasses: HealthData.classes.union(configuration.classes.filter(\.sensitive).map(\.id)))
    }

    /// Every finding of the case file, newest first.
    public func findings(for file: CaseFile) -> [Finding] {
        let all = rentLimitFindings(file) + statementFindings(file) + payslipFindings(file) + ibanFindings(file)
            + rentChangeFindings(file) + noticeFindings(file) + requestFindings(file)
        return all.sorted { ($1.date, $0.code, $0.key) < ($0.date, $1.code, $1.key) }
    }

    func label(_ document: CaseDocument) -> String {
        label(ofClass: document.documentClass)
    }

    /// The class's German name from `pipeline.yml`; the id when unknown.
    public func label(ofClass id: String) -> String {
        classLabels[id] ?? id
    }

    /// `Mietvertrag vom 03.02.2025` (the Eingangsdatum).
    func named(_ document: CaseDocument) -> String {
        "\(label(document)) vom \(GermanFormat.date(document.day))"
    }

    func amount(_ document: CaseDocument, _ key: String) -> Decimal? {
        GermanFormat.decimal(document.fields[key])
    }

    // MARK: - Rent against the local limit

    func rentLimitFindings(_ file: CaseFile) -> [Finding] {
        let persons = file.persons.count
        guard persons > 0 else { return [] }
        var findings: [Finding] = []
        for document in file.chronological where Self.rentClasses.contains(document.documentClass) {
            guard let limits = settings.rentLimits(postcode: file.postcode, on: document.day) else { continue }
            let size = GermanFormat.persons(persons)
            let source = "\(limits.name), gültig ab \(GermanFormat.date(limits.validFrom))"
            var common = [
                "persons": String(persons), "limits_area": limits.name, "limits_valid_from": limits.validFrom,
            ]
            common["postcode"] = file.postcode

            // Bruttokaltmiete: Kaltmiete + Nebenkosten, else Gesamtmiete − Heizkosten.
            let brutto: (value: Decimal, parts: String)?
            if let kalt = amount(document, "kaltmiete"), let neben = amount(document, "nebenkosten") {
                brutto = (
                    kalt + neben,
                    "Kaltmiete \(GermanFormat.euro(kalt)) + Nebenkosten \(GermanFormat.euro(neben))"
                )
            } else if let gesamt = amount(document, "gesamtmiete"), let heizung = amount(document, "heizkosten") {
                brutto = (
                    gesamt - heizung,
                    "Gesamtmiete \(GermanFormat.euro(gesamt)) − Heizkosten \(GermanFormat.euro(heizung))"
                )
            } else {
                brutto = nil
            }
            if let brutto {
                let limit = limits.bruttokaltmiete(persons: persons)
                if brutto.value > limit {
                    let over = brutto.value - limit
                    findings.append(
                        Finding(
                            code: .kduOverLimit, severity: .warning,
                            message:
                                "Die Bruttokaltmiete laut \(named(document)) beträgt \(GermanFormat.euro(brutto.value)) (\(brutto.parts)) und liegt \(GermanFormat.euro(over)) über der Angemessenheitsgrenze von \(GermanFormat.euro(limit)) für \(size) (\(source)).",
                            documentIDs: [document.id],
                            figures: common.merging(
                                ["bruttokaltmiete": Self.money(brutto.value), "limit": Self.money(limit), "difference": Self.money(over)],
                                uniquingKeysWith: { $1 }),
                            date: document.day))
                }
            }

            let area = amount(document, "wohnflaeche")
            if let area {
                let limit = limits.wohnflaeche(persons: persons)
                if area > limit {
                    let over = area - limit
                    findings.append(
                        Finding(
                            code: .wohnflaecheOverLimit, severity: .warning,
                            message:
                                "Die Wohnfläche laut \(named(document)) beträgt \(GermanFormat.area(area)) und liegt \(GermanFormat.area(over)) über der angemessenen Wohnfläche von \(GermanFormat.area(limit)) für \(size) (\(source)).",
                            documentIDs: [document.id],
                            figures: common.merging(
                                ["wohnflaeche": Self.plain(area), "limit": Self.plain(limit), "difference": Self.plain(over)],
                                uniquingKeysWith: { $1 }),
                            date: document.day))
                }
            }

            if let heating = amount(document, "heizkosten"), let area, area > 0,
                let perSquareMetreLimit = limits.heizkostenPerSquareMetre
            {
                let allowed = perSquareMetreLimit * area
                if heating > allowed {
                    let perSquareMetre = heating / area
                    findings.append(
                        Finding(
                            code: .heizkostenOverLimit, severity: .warning,
                            message:
                                "Die Heizkosten laut \(named(document)) betragen \(GermanFormat.euro(heating)) für \(GermanFormat.area(area)), also \(GermanFormat.euroPerSquareMetre(perSquareMetre)), und liegen über der Grenze von \(GermanFormat.euroPerSquareMetre(perSquareMetreLimit)) (höchstens \(GermanFormat.euro(allowed)), \(GermanFormat.euro(heating - allowed)) darüber; \(source)).",
                            documentIDs: [document.id],
                            figures: common.merging(
                                [
                                    "heizkosten": Self.money(heating), "wohnflaeche": Self.plain(area),
                                    "per_m2": Self.money(perSquareMetre), "limit_per_m2": Self.money(perSquareMetreLimit),
                                    "limit": Self.money(allowed), "difference": Self.money(heating - allowed),
                                ], uniquingKeysWith: { $1 }),
                            date: document.day))
                }
            }
        }
        return findings
    }

    /// `72.5`: a figure for programs, at most two decimals.
    static func plain(_ value: Decimal) -> String {
        GermanFormat.number(value, fraction: 2, trim: true).replacingOccurrences(of: ".", with: "")
            .replacingOccurrences(of: ",", with: ".")
    }

    /// `788.00`: an amount for programs, as fields are normalised.
    static func money(_ value: Decimal) -> String {
        GermanFormat.number(value, fraction: 2).replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
    }

    // MARK: - Notices

    func noticeFindings(_ file: CaseFile) -> [Finding] {
        file.chronological.filter { $0.documentClass == "kuendigung" }.map { document in
            let by = document.fields["gekuendigt_durch"]
            let who: String
            switch by {
            case "arbeitgeber": who = " durch den Arbeitgeber"
            case "vermieter": who = " durch den Vermieter"
            case "versorger": who = " durch den Energieversorger"
            default: who = ""
            }
            let effective = document.fields["wirksam_zum"].map { ", wirksam zum \(GermanFormat.date($0))" } ?? ""
            let unknown = who.isEmpty ? " Wer gekündigt hat, ist nicht erkannt." : ""
            var figures = ["received": document.day]
            figures["gekuendigt_durch"] = by
            figures["wirksam_zum"] = document.fields["wirksam_zum"]
            return Finding(
                code: .noticeReceived, severity: .warning,
                message: "Kündigung\(who) eingegangen am \(GermanFormat.date(document.day))\(effective).\(unknown)",
                documentIDs: [document.id], figures: figures, date: document.day)
        }
    }
}

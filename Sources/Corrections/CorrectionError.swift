/// Why a correction was not stored, in German for the caseworker (`description`) and in
/// English beside it (`english`).
public enum CorrectionError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownClass(String, known: [String])
    case unknownField(String, known: [String])
    case missingValue(key: String)
    /// The entry does not read as the field's type (`expected` says what would), or reads but
    /// fails its check (`problem`).
    case invalidValue(key: String, entered: String, expected: String)
    case implausibleValue(key: String, entered: String, problem: String)
    case missingCase
    case unknownCase(String)

    public var description: String {
        switch self {
        case .unknownClass(let given, let known):
            "Unbekannte Klasse „\(given)“ (bekannt: \(known.joined(separator: ", ")))."
        case .unknownField(let key, let known):
            "Unbekanntes Feld „\(key)“ (bekannt: \(known.joined(separator: ", ")))."
        case .missingValue(let key):
            "Bitte einen Wert für \(key) eingeben."
        case .invalidValue(let key, let entered, let expected):
            "\(key): „\(entered)“ wird nicht angenommen (erwartet: \(expected))."
        case .implausibleValue(let key, let entered, let problem):
            "\(key): „\(entered)“ ist nicht plausibel: \(problem)."
        case .missingCase:
            "Bitte eine BG-Nummer angeben."
        case .unknownCase(let caseID):
            "Fall „\(caseID)“ steht nicht im Fallregister. Prüfen Sie die BG-Nummer (Form: 96301BG0012345)."
        }
    }

    public var english: String {
        switch self {
        case .unknownClass(let given, let known): "unknown class '\(given)' (known: \(known.joined(separator: ", ")))"
        case .unknownField(let key, let known): "unknown field '\(key)' (known: \(known.joined(separator: ", ")))"
        case .missingValue(let key): "no value given for \(key)"
        case .invalidValue(let key, let entered, _): "\(key): '\(entered)' does not read as a value of this field"
        case .implausibleValue(let key, let entered, let problem): "\(key): '\(entered)' fails its check: \(problem)"
        case .missingCase: "no BG-Nummer given"
        case .unknownCase(let caseID): "case \(caseID) is not in the case register"
        }
    }
}

import Akte
import Classification
import Foundation

/// The one way a caseworker's correction reaches the E-Akte, whether it comes from the web
/// pages or the command line (`reclassify`, `set-field`, `assign`): class and field names are
/// checked against `pipeline.yml`, values are read with the same parsers as documents and
/// stored in their normalised form (`1.234,50` → `1234.50`), case numbers are normalised and
/// must be in the register. The store keeps the machine's values beside them and audits each
/// correction.
public struct Corrections: Sendable {
    public let store: any AkteStore
    /// The configured classes (and their fields): what a correction may name.
    public let classes: [DocumentClass]

    public init(store: any AkteStore, classes: [DocumentClass]) {
        self.store = store
        self.classes = classes
    }

    /// Sets the document's class to `classID`, one of the configured classes.
    public func reclassify(documentID: String, to classID: String, by actor: String) throws {
        let known = classes.map(\.id)
        guard known.contains(classID) else { throw CorrectionError.unknownClass(classID, known: known) }
        try store.reclassify(documentID: documentID, to: classID, by: actor)
    }

    /// Sets field `key` to `entered`, normalised by the field's type; returns what was stored.
    @discardableResult
    public func setField(documentID: String, key: String, value entered: String, by actor: String) throws -> String {
        let value = try normalizedValue(key: key, entered: entered)
        try store.setField(documentID: documentID, key: key, value: value, by: actor)
        return value
    }

    /// Assigns the document to the household `entered` names (any printed form of a
    /// BG-Nummer); returns the normalised case number.
    @discardableResult
    public func assign(documentID: String, caseID entered: String, by actor: String) throws -> String {
        let trimmed = entered.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw CorrectionError.missingCase }
        let caseID = CaseIdentifiers.normalizeAny(trimmed)
        do {
            try store.assign(documentID: documentID, caseID: caseID, by: actor)
        } catch AkteError.unknownCase {
            throw CorrectionError.unknownCase(caseID)
        }
        return caseID
    }

    /// `entered` as field `key` stores it, or why it cannot be stored.
    public func normalizedValue(key: String, entered: String) throws(CorrectionError) -> String {
        let definitions = classes.flatMap(\.fields)
        guard let definition = definitions.first(where: { $0.key == key }) else {
            throw .unknownField(key, known: Array(Set(definitions.map(\.key))).sorted())
        }
        guard !entered.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .missingValue(key: key) }
        return try FieldEntry.normalize(entered, key: key, as: definition.type)
    }
}

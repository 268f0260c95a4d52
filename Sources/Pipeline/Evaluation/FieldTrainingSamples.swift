import Akte
import Classification
import Foundation

extension TrainingSamples {
    /// One example per field a caseworker corrected: the value that holds now (the latest
    /// correction), the document's class as it holds now, and its stored text. Each document
    /// is opened once, as `viewer` (audited). Corrections before `since` are ignored.
    public static func fieldCorrections(store: any AkteStore, since: Date? = nil, viewer: String) throws -> [FieldExample] {
        var seen = Set<String>()
        var examples: [FieldExample] = []
        for correction in try store.corrections(since: since) where correction.kind == .field {
            guard seen.insert(correction.documentID).inserted else { continue }
            let document = try store.document(id: correction.documentID, viewer: viewer)
            guard !document.text.isEmpty else { continue }
            for field in document.fields where field.corrected {
                examples.append(
                    FieldExample(
                        classID: document.effective.documentClass, key: field.key, value: field.value, text: document.text,
                        origin: "document \(document.id)"))
            }
        }
        return examples
    }
}

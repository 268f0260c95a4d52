import Akte
import ArgumentParser
import Corrections
import Foundation

/// `posteingang assign DOC BG`.
struct AssignCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(commandName: "assign", abstract: "Assign a document to a household (audited correction).")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Document id.") var documentID: String
    @Argument(help: "BG-Nummer.") var caseID: String

    func execute() async throws {
        let akte = try store.openStore()
        let id = try DocumentLookup.resolve(documentID, in: akte)
        // An assignment names no class or field: the configured classes are not needed.
        let assigned = try CorrectionRefusal.validating {
            try Corrections(store: akte, classes: []).assign(documentID: id, caseID: caseID, by: store.who)
        }
        print("document \(id) assigned to \(assigned)")
    }
}

/// `posteingang reclassify DOC CLASS`.
struct ReclassifyCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(commandName: "reclassify", abstract: "Correct a document's class (audited).")
    @OptionGroup var store: StoreOptions
    @OptionGroup var pipeline: PipelineOptions
    @Argument(help: "Document id.") var documentID: String
    @Argument(help: "Class id from pipeline.yml.") var documentClass: String

    func execute() async throws {
        let configuration = try pipeline.loadConfiguration()
        let akte = try store.openStore()
        let id = try DocumentLookup.resolve(documentID, in: akte)
        try CorrectionRefusal.validating {
            try Corrections(store: akte, classes: configuration.classes).reclassify(documentID: id, to: documentClass, by: store.who)
        }
        print("document \(id) is now \(documentClass)")
    }
}

/// `posteingang set-field DOC KEY VALUE`.
struct SetFieldCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(commandName: "set-field", abstract: "Correct a field's value (audited; the machine's value is kept).")
    @OptionGroup var store: StoreOptions
    @OptionGroup var pipeline: PipelineOptions
    @Argument(help: "Document id.") var documentID: String
    @Argument(help: "Field key from pipeline.yml, e.g. kaltmiete.") var key: String
    @Argument(help: "The correct value as written on paper or normalised (1.234,50 or 1234.50; 01.03.2025 or 2025-03-01).")
    var value: String

    func execute() async throws {
        let configuration = try pipeline.loadConfiguration()
        let akte = try store.openStore()
        let id = try DocumentLookup.resolve(documentID, in: akte)
        let stored = try CorrectionRefusal.validating {
            try Corrections(store: akte, classes: configuration.classes).setField(documentID: id, key: key, value: value, by: store.who)
        }
        print("document \(id): \(key) = \(stored)")
    }
}

/// A refused correction as the command line reports it: the German message, exit status 64.
enum CorrectionRefusal {
    static func validating<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let refusal as CorrectionError {
            throw ValidationError(refusal.description)
        }
    }
}

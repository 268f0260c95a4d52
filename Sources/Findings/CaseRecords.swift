import Classification
import Akte
import Foundation

/// A filed document as the findings see it: class, Eingangsdatum and the fields as they hold now.
public struct CaseDocument: Sendable, Equatable {
    public var id: String
    public var documentClass: String
    public var receivedAt: Date
    /// Field key → value as it holds now (corrections applied), normalised.
    public var fields: [String: String]

    public init(id: String, documentClass: String, receivedAt: Date, fields: [String: String]) {
        self.id = id
        self.documentClass = documentClass
        self.receivedAt = receivedAt
        self.fields = fields
    }

    /// The Eingangsdatum as an ISO day in German time.
    public var day: String { GermanFormat.isoDay(receivedAt) }
}

/// A household and its filed documents: everything the findings rest on.
public struct CaseFile: Sendable, Equatable {
    public var bgNummer: String
    /// The persons of the BG in the register: their number is the household size.
    public var persons: [RegisterPerson]
    public var documents: [CaseDocument]
    /// What was asked for and not taken back (closed requests are left out).
    public var requests: [DocumentRequest]
    /// ISO day (German time) against which due dates are judged.
    public var today: String

    public init(
        bgNummer: String, persons: [RegisterPerson], documents: [CaseDocument], requests: [DocumentRequest] = [],
        today: String = GermanFormat.isoDay(Date())
    ) {
        self.bgNummer = bgNummer
        self.persons = persons
        self.documents = documents
        self.requests = requests
        self.today = today
    }

    /// The household's postcode in the register (the first person's that has one).
    public var postcode: String? {
        persons.lazy.compactMap { $0.plz?.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
    }

    /// Documents in the order they came in.
    var chronological: [CaseDocument] {
        documents.sorted { ($0.receivedAt, $0.id) < ($1.receivedAt, $1.id) }
    }
}

import Akte
import Foundation

/// Days and filed documents for the tests of requested documents.
enum RequestTestSupport {
    /// The ISO day `offset` days from now, in German time (as the server judges due dates).
    static func day(_ offset: Int = 0) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Europe/Berlin")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date().addingTimeInterval(Double(offset) * 86_400))
    }

    /// `MM/YYYY` of the month `offset` months from this one.
    static func month(_ offset: Int) -> String {
        let parts = monthParts(offset)
        return String(format: "%02d/%04d", parts.month, parts.year)
    }

    /// `YYYY-MM` of the month `offset` months from this one.
    static func isoMonth(_ offset: Int) -> String {
        let parts = monthParts(offset)
        return String(format: "%04d-%02d", parts.year, parts.month)
    }

    private static func monthParts(_ offset: Int) -> (year: Int, month: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Berlin")!
        let start = calendar.date(from: calendar.dateComponents([.year, .month], from: Date()))!
        let date = calendar.date(byAdding: .month, value: offset, to: start)!
        let parts = calendar.dateComponents([.year, .month], from: date)
        return (parts.year!, parts.month!)
    }

    /// Files a document into `caseID` as the pipeline does, received now; returns its id.
    @discardableResult
    static func file(_ documentClass: String, _ fields: [String: String], caseID: String, into akte: SQLiteAkte) throws -> String {
        try akte.file(
            NewDocument(
                uploadID: "requests-\(UUID().uuidString.prefix(8))",
                sha256: (UUID().uuidString + UUID().uuidString).replacingOccurrences(of: "-", with: "").lowercased(),
                originalFilename: "\(documentClass).pdf", channel: "app", receivedAt: Date(), documentClass: documentClass,
                classConfidence: 0.95, status: .filed, caseID: caseID, pageCount: 1,
                fields: fields.sorted { $0.key < $1.key }.map { NewField(key: $0.key, value: $0.value) },
                text: documentClass, reviewReasons: [], sensitive: false, archivePDFSha256: nil, format: "pdf", detailsJSON: "{}",
                actor: "test")
        ).documentID
    }
}

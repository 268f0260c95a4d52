import Akte
import Foundation
import PosteingangTestKit
import Testing

/// `set-field`, `reclassify` and `assign` go through the same corrections door as the web
/// pages: names are checked against pipeline.yml, values normalised, refusals said in German.
@Suite(.serialized, .tags(.process), .slow)
struct CorrectionCommandTests {
    @Test("The command line refuses an unknown field, class, value or case in German and stores a value normalised")
    func correctionsFromTheCommandLine() throws {
        let dataDir = try TestKit.temporaryDirectory("corrections")
        defer { try? FileManager.default.removeItem(at: dataDir) }
        #expect(try TestKit.run(["cases", "import", "--data-dir", dataDir.path, TestKit.fixture("cases.csv").path]).status == 0)
        let akte = try SQLiteAkte(path: dataDir.appendingPathComponent("akte.sqlite").path)
        let filed = try akte.file(
            NewDocument(
                uploadID: "up-1", sha256: String(format: "%064x", 1), originalFilename: "mietvertrag.pdf", channel: "scanner",
                receivedAt: Date(timeIntervalSince1970: 1_746_000_000), documentClass: "mietvertrag", classConfidence: 0.9,
                status: .needsReview, caseID: nil, pageCount: 1,
                fields: [NewField(key: "kaltmiete", value: "500.00", doubtful: false, reason: nil)],
                text: "Mietvertrag\nKaltmiete 500,00 EUR", reviewReasons: [], sensitive: false, archivePDFSha256: nil,
                format: "pdf", detailsJSON: "{}", actor: "test"))
        let id = filed.documentID
        func correct(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            // An assignment names no class or field: it reads no configuration.
            let config = arguments[0] == "assign" ? [] : ["--config", TestKit.pipelineYML.path]
            return try TestKit.run([arguments[0], "--data-dir", dataDir.path] + config + arguments.dropFirst())
        }
        func kaltmiete() throws -> String? {
            let document: FiledDocument = try akte.document(id: id, viewer: "test")
            return document.fields.first(where: { $0.key == "kaltmiete" })?.value
        }

        let unknownField = try correct(["set-field", id, "kaltmite", "600,00"])
        #expect(unknownField.status != 0)
        #expect(unknownField.stderr.contains("Unbekanntes Feld „kaltmite“ (bekannt:"), "\(unknownField.stderr)")
        #expect(unknownField.stderr.contains("kaltmiete"))

        let notAnAmount = try correct(["set-field", id, "kaltmiete", "sechshundert"])
        #expect(notAnAmount.status != 0)
        #expect(notAnAmount.stderr.contains("kaltmiete: „sechshundert“ wird nicht angenommen (erwartet: ein Betrag"), "\(notAnAmount.stderr)")
        #expect(try kaltmiete() == "500.00", "a refused correction stores nothing")

        let written = try correct(["set-field", id, "kaltmiete", "1.234,50"])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.contains("kaltmiete = 1234.50"))
        #expect(try kaltmiete() == "1234.50")

        let unknownClass = try correct(["reclassify", id, "mietvertrg"])
        #expect(unknownClass.status != 0)
        #expect(unknownClass.stderr.contains("Unbekannte Klasse „mietvertrg“ (bekannt:"), "\(unknownClass.stderr)")
        #expect(try akte.document(id: id, viewer: "test").effective.documentClass == "mietvertrag")

        let unknownCase = try correct(["assign", id, "96301BG0099999"])
        #expect(unknownCase.status != 0)
        #expect(unknownCase.stderr.contains("Fall „96301BG0099999“ steht nicht im Fallregister"), "\(unknownCase.stderr)")
        let assigned = try correct(["assign", id, "96301 BG 0012345"])
        #expect(assigned.status == 0, "\(assigned.stderr)")
        #expect(try akte.document(id: id, viewer: "test").effective.caseID == "96301BG0012345")
    }
}

import Akte
import Classification
import Foundation
import Pipeline
import PosteingangTestKit
import Testing

/// `eval --corrections`, `train --corrections` and `rules check` against a real E-Akte built
/// in the test: documents filed, corrected through the AkteStore API, then measured.
@Suite("Evaluation against caseworkers' corrections", .tags(.process), .slow)
struct CorrectionsEvalTests {
    static let statement = """
        Sparkasse Köln Bonn
        Kontoauszug 3/2025   Zeitraum 01.03.2025 bis 31.03.2025
        Girokonto  IBAN DE89 3704 0044 0532 0130 00
        Alter Kontostand vom 28.02.2025          312,40 EUR
        Buchungstag  Wert   Verwendungszweck                 Betrag
        03.03.  03.03.  Lastschrift Stadtwerke             -85,00
        Neuer Kontostand vom 31.03.2025          790,40 EUR
        BG-Nummer 96301 BG 0012345
        """

    static let payslip = """
        Muster Logistik GmbH
        Verdienstabrechnung März 2025
        Personalnummer 00417   Herrn Jürgen Müller
        Gesamt-Brutto                   2.450,00
        Lohnsteuer                        256,91
        Nettoverdienst                  1.694,18
        Auszahlungsbetrag               1.694,18
        """

    static let letter = """
        Stadtbibliothek Mitte
        Erinnerung: Die Leihfrist für das Buch ist abgelaufen.
        """

    static let persons = [
        RegisterPerson(
            bgNummer: "96301BG0012345", kundennummer: "963D123456", nachname: "Müller", vorname: "Jürgen",
            geburtsdatum: "1980-04-01", strasse: "Hauptstraße 5", plz: "10115", ort: "Berlin"),
        RegisterPerson(
            bgNummer: "96301BG0099999", kundennummer: "963D654321", nachname: "Özdemir", vorname: "Ayşe",
            geburtsdatum: "1975-01-30", strasse: "Gärtnerweg 2", plz: "10117", ort: "Berlin"),
    ]

    static func document(_ id: String, text: String, machineClass: String, caseID: String?, fields: [NewField]) -> NewDocument {
        NewDocument(
            uploadID: id, sha256: String(repeating: id.last.map(String.init) ?? "0", count: 64), originalFilename: "\(id).pdf",
            channel: "app", receivedAt: Date(timeIntervalSince1970: 1_739_000_000), documentClass: machineClass,
            classConfidence: 0.4, status: .needsReview, caseID: caseID, pageCount: 1, fields: fields, text: text,
            reviewReasons: ["test"], sensitive: false, archivePDFSha256: nil, format: "pdf", detailsJSON: "{}", actor: "worker-1")
    }

    /// A data directory with four corrected documents: two class corrections (one the rules
    /// now get right, one they still miss), a field correction and a case assignment, the last
    /// two made a day later.
    static func correctedStore() throws -> (directory: URL, ids: [String]) {
        let directory = try TestKit.temporaryDirectory("corrections")
        let path = directory.appendingPathComponent("akte.sqlite").path
        let early = try SQLiteAkte(path: path, clock: { Date(timeIntervalSince1970: 1_740_000_000) })
        _ = try early.importRegister(persons)
        let statement = try early.file(document("up-1", text: Self.statement, machineClass: "sonstiges", caseID: nil, fields: [])).documentID
        let letter = try early.file(document("up-2", text: Self.letter, machineClass: "sonstiges", caseID: nil, fields: [])).documentID
        let payslip = try early.file(
            document("up-3", text: Self.payslip, machineClass: "lohnabrechnung", caseID: "96301BG0012345",
                     fields: [NewField(key: "brutto", value: "2.45")])).documentID
        try early.reclassify(documentID: statement, to: "kontoauszug", by: "sachbearbeiterin")
        try early.reclassify(documentID: letter, to: "mietbescheinigung", by: "sachbearbeiterin")
        let later = try SQLiteAkte(path: path, clock: { Date(timeIntervalSince1970: 1_740_100_000) })
        try later.setField(documentID: payslip, key: "brutto", value: "2450.00", by: "sachbearbeiter")
        try later.assign(documentID: statement, caseID: "96301BG0012345", by: "sachbearbeiter")
        return (directory, [statement, letter, payslip])
    }

    static func analyzer() throws -> DocumentAnalyzer {
        let csv = """
            bg_nummer,kundennummer,nachname,vorname,geburtsdatum,strasse,plz,ort
            96301BG0012345,963D123456,Müller,Jürgen,1980-04-01,Hauptstraße 5,10115,Berlin
            96301BG0099999,963D654321,Özdemir,Ayşe,1975-01-30,Gärtnerweg 2,10117,Berlin
            """
        return DocumentAnalyzer(
            configuration: try PipelineConfiguration.load(from: TestKit.pipelineYML), register: try CaseRegister(csv: csv),
            referenceDate: Date(timeIntervalSince1970: 1_749_988_800))
    }

    @Test("Each corrected document is analysed again from its stored text and compared with the caseworker's values")
    func measuresCurrentRules() throws {
        let (directory, ids) = try Self.correctedStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteAkte(path: directory.appendingPathComponent("akte.sqlite").path)
        let report = try CorrectionsEvaluation.run(store: store, analyzer: try Self.analyzer(), since: nil, viewer: "eval-test")
        #expect(report.documents.map(\.documentID) == ids)
        #expect(report.classCorrections == 2)
        #expect(report.classRightNow == 1, "the statement is a kontoauszug now; the letter is no Mietbescheinigung to the rules")
        #expect(report.classRightWithModel == nil)
        #expect(report.fieldCorrections == 1)
        #expect(report.fieldsRightNow == 1)
        let field = try #require(report.documents[2].fields.first)
        #expect(field.machine == "2.45" && field.expected == "2450.00" && field.now == "2450.00")
        #expect(report.caseCorrections == 1)
        #expect(report.casesRightNow == 1)
        #expect(report.documents[0].expectedCase == "96301BG0012345" && report.documents[0].nowCase == "96301BG0012345")
        #expect(report.rendered().contains("class mietbescheinigung") == false)
        #expect(report.rendered().contains("class sonstiges (caseworker: mietbescheinigung)"))
        // Opening the documents to re-analyse them is on the audit trail.
        #expect(try store.auditTrail(documentID: ids[0]).contains { $0.action == .viewed && $0.actor == "eval-test" })

        let recent = try CorrectionsEvaluation.run(
            store: store, analyzer: try Self.analyzer(), since: Date(timeIntervalSince1970: 1_740_050_000), viewer: "eval-test")
        #expect(recent.classCorrections == 0)
        #expect(recent.fieldCorrections == 1)
        #expect(recent.caseCorrections == 1)
    }

    @Test("A model trained from the corrections takes part, and the command line prints both")
    func commandLine() throws {
        let (directory, _) = try Self.correctedStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = directory.appendingPathComponent("pipeline.yml")
        try FileManager.default.copyItem(at: TestKit.pipelineYML, to: configuration)
        let train = try TestKit.run([
            "train", "--config", configuration.path, "--corrections", directory.path, "--folds", "0", "--date", "2025-06-15",
            "--iterations", "50",
        ])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("trained on 2 documents (corrections (2))"), "\(train.stdout)")
        let model = try TextClassifierModel.load(from: directory.appendingPathComponent("pipeline.model.json"))
        #expect(model.file.classes == ["kontoauszug", "mietbescheinigung"])
        #expect(model.file.trainedAt == "2025-06-15")

        let eval = try TestKit.run(["eval", "--corrections", "--store", directory.path, "--config", configuration.path])
        #expect(eval.status == 0, "\(eval.stderr)")
        #expect(eval.stdout.contains("class corrections: 2, current rules agree with the caseworker on 1, rules + model on"), "\(eval.stdout)")
        #expect(eval.stdout.contains("case corrections: 1, current rules: 1 right, 0 WRONG"))

        let bad = try TestKit.run(["eval", "--corrections", "--store", directory.appendingPathComponent("nothing").path])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("no E-Akte"))
    }

    @Test("rules check exits 1 with file:line:column on a catastrophic pattern and 0 on the shipped rules")
    func rulesCheckCommand() throws {
        let directory = try TestKit.temporaryDirectory("rules")
        defer { try? FileManager.default.removeItem(at: directory) }
        let shipped = try TestKit.run(["rules", "check", "--config", TestKit.pipelineYML.path, "--fixtures", TestKit.fixtures.path])
        #expect(shipped.status == 0, "\(shipped.stdout)\(shipped.stderr)")
        #expect(shipped.stderr.contains("0 error(s)"))
        let yaml = try String(contentsOf: TestKit.pipelineYML, encoding: .utf8)
            .replacingOccurrences(of: "      - pattern: '\\bwert\\b'", with: "      - pattern: '(a|aa)*b'")
        let bad = directory.appendingPathComponent("bad.yml")
        try yaml.write(to: bad, atomically: true, encoding: .utf8)
        let line = yaml.components(separatedBy: "\n").firstIndex { $0.contains("(a|aa)*b") }! + 1
        let result = try TestKit.run(["rules", "check", "--config", bad.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(bad.path):\(line):19: error:"), "\(result.stdout)")
        #expect(result.stdout.contains("[catastrophic_backtracking]"))
    }
}

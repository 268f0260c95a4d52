import Akte
import Classification
import Foundation
import Pipeline
import PosteingangTestKit
import Testing

/// Learning from corrections: caseworkers correct a field the rules miss on a
/// layout, `train --corrections` learns where that layout keeps it, and the next documents of
/// the layout come out right, while every other document's analysis stays as it was.
/// Real store (SQLite in a temporary folder), real analysis of real text.
@Suite("Field locations learned from corrections", .tags(.process), .slow)
struct FieldLearningTests {
    /// A housing cooperative's rent certificate: the base rent stands after
    /// "Überlassungsbetrag Wohnraum", a label the rules do not know.
    static func cooperativeForm(
        member: String, street: String, kalt: String, betriebskosten: String, heizkosten: String, gesamt: String,
        label: String = "Überlassungsbetrag Wohnraum", extraLine: Bool = false
    ) -> String {
        var lines = [
            "Wohnungsbaugenossenschaft Rheinblick eG",
            "Mitgliederservice · Uferstraße 8 · 50668 Köln",
            "Mietbescheinigung zur Vorlage beim Jobcenter",
            "Bescheinigung über das Nutzungsverhältnis",
            "Mitglied: \(member)",
            "Wohnung: \(street), 50668 Köln",
        ]
        if extraLine { lines.append("Mitgliedsnummer 40\(kalt.prefix(3)) · Geschäftsanteile 3") }
        lines += [
            "Wohnfläche           58,20 m²",
            "\(label)            \(kalt) EUR",
            "Betriebskosten       \(betriebskosten) EUR",
            "Heizkosten           \(heizkosten) EUR",
            "Gesamtmiete          \(gesamt) EUR",
            "Köln, den 02.05.2025   Der Vorstand",
        ]
        return lines.joined(separator: "\n")
    }

    /// A payroll office's payslip: net pay stands in a row of figures under "Verbleibender Betrag".
    static func payrollSlip(employee: String, month: String, brutto: String, steuer: String, sozial: String, netto: String) -> String {
        """
        Lohnbüro Kranich GmbH · Am Deich 4 · 28195 Bremen
        Verdienstabrechnung \(month) 2025
        \(employee), Personalnummer 0815
        Steuerklasse 1
        Gesamtbrutto                                           \(brutto)
        Steuerrechtliche Abzüge   Sozialversicherung   Verbleibender Betrag
        \(steuer)                    \(sozial)               \(netto)
        Die Überweisung erfolgt auf Ihr bekanntes Konto.
        """
    }

    static func analyzer() throws -> DocumentAnalyzer {
        DocumentAnalyzer(
            configuration: try PipelineConfiguration.load(from: TestKit.pipelineYML), register: nil,
            referenceDate: Date(timeIntervalSince1970: 1_749_988_800))
    }

    /// Files `text` as the pipeline would after analysing it.
    static func file(_ text: String, serial: Int, analysis: DocumentAnalysis, in store: SQLiteAkte) throws -> String {
        let document = NewDocument(
            uploadID: "up-\(serial)", sha256: String(format: "%064x", serial), originalFilename: "scan-\(serial).pdf",
            channel: "scanner", receivedAt: Date(timeIntervalSince1970: 1_746_000_000 + Double(serial)),
            documentClass: analysis.classification.classID, classConfidence: analysis.classification.confidence,
            status: .needsReview, caseID: nil, pageCount: 1,
            fields: analysis.fields.map { NewField(key: $0.key, value: $0.value, doubtful: $0.doubtful, reason: $0.reason) },
            text: text, reviewReasons: analysis.reviewReasons, sensitive: analysis.sensitive, archivePDFSha256: nil,
            format: "pdf", detailsJSON: "{}", actor: "worker-1")
        return try store.file(document).documentID
    }

    /// Files each text, corrects `key` to its value through the store (as `set-field` does),
    /// and learns from the corrections.
    static func learn(
        _ documents: [(text: String, value: String)], key: String, expectedClass: String, directory: URL
    ) throws -> (model: FieldLocationModel, store: SQLiteAkte) {
        let store = try SQLiteAkte(path: directory.appendingPathComponent("akte.sqlite").path)
        let rules = try analyzer()
        for (serial, document) in documents.enumerated() {
            let analysis = rules.analyze(text: document.text)
            #expect(analysis.classification.classID == expectedClass)
            #expect(analysis.field(key) == nil, "the rules must miss '\(key)' on this layout")
            let id = try file(document.text, serial: serial + 1, analysis: analysis, in: store)
            try store.setField(documentID: id, key: key, value: document.value, by: "sachbearbeiterin")
        }
        let examples = try TrainingSamples.fieldCorrections(store: store, viewer: "train-test")
        #expect(examples.count == documents.count)
        let model = FieldLocationTrainer(configuration: rules.configuration)
            .train(examples, trainedAt: "2025-06-15", sources: ["corrections (\(examples.count))"])
        // Through the file next to the configuration, as the commands load it.
        let configuration = directory.appendingPathComponent("pipeline.yml")
        try model.encoded().write(to: FieldLocationModel.companionURL(forConfiguration: configuration))
        let loaded = try #require(try FieldLocationModel.loadIfPresent(besideConfiguration: configuration))
        #expect(loaded.file == model.file)
        return (loaded, store)
    }

    @Test("Three corrected base rents teach 'Überlassungsbetrag Wohnraum'; the next forms of that layout come out right")
    func learnsLabelOnTheLine() throws {
        let directory = try TestKit.temporaryDirectory("learn-fields")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (model, _) = try Self.learn(
            [
                (Self.cooperativeForm(member: "Anna Müller", street: "Uferstraße 10", kalt: "412,30", betriebskosten: "118,00", heizkosten: "74,00", gesamt: "604,30"), "412.30"),
                (Self.cooperativeForm(member: "Jürgen Weber", street: "Uferstraße 12", kalt: "388,00", betriebskosten: "102,50", heizkosten: "66,00", gesamt: "556,50"), "388.00"),
                (Self.cooperativeForm(member: "Ayşe Özdemir", street: "Rheinufer 3", kalt: "455,10", betriebskosten: "130,00", heizkosten: "81,20", gesamt: "666,30"), "455.10"),
            ], key: "kaltmiete", expectedClass: "mietbescheinigung", directory: directory)
        let location = try #require(model.file.locations.first)
        #expect(model.file.locations.count == 1)
        #expect(location.label == ["ueberlassungsbetrag", "wohnraum"] && !location.above && location.examples == 3 && !location.conflicting)
        #expect(location.layoutWords.contains("rheinblick"))

        let rules = try Self.analyzer()
        let learned = rules.with(fieldLocations: model)
        for (text, kalt) in [
            (Self.cooperativeForm(member: "Peter Schmidt", street: "Uferstraße 14", kalt: "501,00", betriebskosten: "121,00", heizkosten: "79,00", gesamt: "701,00"), "501.00"),
            (Self.cooperativeForm(member: "Maria Kaya", street: "Rheinufer 5", kalt: "367,45", betriebskosten: "99,00", heizkosten: "60,55", gesamt: "527,00", extraLine: true), "367.45"),
        ] {
            let before = rules.analyze(text: text)
            #expect(before.field("kaltmiete") == nil)
            #expect(before.field("gesamtmiete")?.doubtful == true, "without the base rent the total's sum check fails")
            let after = learned.analyze(text: text)
            let field = try #require(after.field("kaltmiete"))
            #expect(field.value == kalt)
            #expect(!field.doubtful, "\(field.reason ?? "")")
            #expect(field.anchor == "learned: 'Überlassungsbetrag Wohnraum' (3 corrections)")
            #expect(after.field("gesamtmiete")?.doubtful == false, "the learned base rent settles the sum check")
            #expect(after.learnedFields?.first?.outcome == .taken)
            #expect(!after.reviewReasons.contains { $0.contains("kaltmiete") || $0.contains("gesamtmiete") })
            // Every other value as the rules read it; the parts of the sum are no longer in doubt.
            #expect(after.classification == before.classification)
            #expect(after.fields.filter { $0.key != "kaltmiete" }.map { [$0.key, $0.value, $0.anchor] }
                == before.fields.map { [$0.key, $0.value, $0.anchor] })
            #expect(after.fields.allSatisfy { !$0.doubtful })
        }

        // Other layouts are untouched: every fixture text analyses exactly as before.
        var compared = 0
        for truth in ["truth.jsonl", "layouts/tune/truth.jsonl", "layouts/frozen/truth.jsonl"] {
            let url = TestKit.fixtures.appendingPathComponent(truth)
            guard let content = try? String(contentsOf: url, encoding: .utf8) else { continue }
            for line in content.split(separator: "\n") {
                guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let text = object["text"] as? String
                else { continue }
                #expect(learned.analyze(text: text) == rules.analyze(text: text), "\(object["file"] ?? "?") changed")
                compared += 1
            }
        }
        #expect(compared >= 40)
        // A rent certificate of another landlord, with a base rent the rules miss, gets nothing learned.
        let other = Self.cooperativeForm(member: "Anna Müller", street: "Uferstraße 10", kalt: "412,30", betriebskosten: "118,00", heizkosten: "74,00", gesamt: "604,30")
            .replacingOccurrences(of: "Wohnungsbaugenossenschaft Rheinblick eG\nMitgliederservice · Uferstraße 8 · 50668 Köln", with: "Hausverwaltung Albers KG\nBahnhofstraße 1 · 33602 Bielefeld")
            .replacingOccurrences(of: "Mietbescheinigung zur Vorlage beim Jobcenter\nBescheinigung über das Nutzungsverhältnis", with: "Mietbescheinigung\nfür Herrn Lukas Brandt")
        #expect(learned.analyze(text: other) == rules.analyze(text: other))
    }

    @Test("A label above the value, learnt from two payslips, with a weak single example made doubtful")
    func learnsLabelAbove() throws {
        let directory = try TestKit.temporaryDirectory("learn-above")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = Self.payrollSlip(employee: "Herrn Jürgen Müller", month: "März", brutto: "3.100,00", steuer: "402,16", sozial: "640,35", netto: "2.057,49")
        let second = Self.payrollSlip(employee: "Frau Anna Weber", month: "April", brutto: "2.800,00", steuer: "331,02", sozial: "578,20", netto: "1.890,78")
        let (model, _) = try Self.learn([(first, "2057.49"), (second, "1890.78")], key: "netto", expectedClass: "lohnabrechnung", directory: directory)
        let location = try #require(model.file.locations.first)
        #expect(location.above && location.label == ["verbleibender", "betrag"] && location.examples == 2)

        let next = Self.payrollSlip(employee: "Herrn Peter Schmidt", month: "Mai", brutto: "2.500,00", steuer: "250,10", sozial: "516,25", netto: "1.733,65")
        let analysis = try Self.analyzer().with(fieldLocations: model).analyze(text: next)
        let netto = try #require(analysis.field("netto"))
        #expect(netto.value == "1733.65" && !netto.doubtful)
        #expect(netto.anchor == "learned: 'Verbleibender Betrag' above (2 corrections)")

        // One correction and a short label: taken, but doubtful, so a person looks.
        let single = try TestKit.temporaryDirectory("learn-single")
        defer { try? FileManager.default.removeItem(at: single) }
        let shortLabel = { (netto: String, name: String) in
            Self.payrollSlip(employee: name, month: "März", brutto: "3.100,00", steuer: "402,16", sozial: "640,35", netto: netto)
                .replacingOccurrences(of: "Verbleibender Betrag", with: "Rest")
        }
        let (weak, _) = try Self.learn([(shortLabel("2.057,49", "Herrn Jürgen Müller"), "2057.49")], key: "netto", expectedClass: "lohnabrechnung", directory: single)
        let doubtful = try #require(try Self.analyzer().with(fieldLocations: weak).analyze(text: shortLabel("1.733,65", "Frau Eva Roth")).field("netto"))
        #expect(doubtful.value == "1733.65" && doubtful.doubtful)
        #expect(doubtful.reason?.contains("nur eine Korrektur, kurze Bezeichnung") == true, "\(doubtful.reason ?? "")")
    }

    @Test("Corrections that disagree on where the base rent stands teach nothing: the learner abstains")
    func abstainsOnConflictingExamples() throws {
        let directory = try TestKit.temporaryDirectory("learn-conflict")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (model, _) = try Self.learn(
            [
                (Self.cooperativeForm(member: "Anna Müller", street: "Uferstraße 10", kalt: "412,30", betriebskosten: "118,00", heizkosten: "74,00", gesamt: "604,30"), "412.30"),
                (Self.cooperativeForm(member: "Jürgen Weber", street: "Uferstraße 12", kalt: "388,00", betriebskosten: "102,50", heizkosten: "66,00", gesamt: "556,50", label: "Wohnwert ohne Umlagen"), "388.00"),
                (Self.cooperativeForm(member: "Ayşe Özdemir", street: "Rheinufer 3", kalt: "455,10", betriebskosten: "130,00", heizkosten: "81,20", gesamt: "666,30", label: "Monatsbetrag Wohnung"), "455.10"),
            ], key: "kaltmiete", expectedClass: "mietbescheinigung", directory: directory)
        let location = try #require(model.file.locations.first)
        #expect(model.file.locations.count == 1)
        #expect(location.conflicting && location.examples == 0 && location.layoutExamples == 3)
        #expect(location.alternatives == ["Monatsbetrag Wohnung", "Wohnwert ohne Umlagen", "Überlassungsbetrag Wohnraum"])

        let text = Self.cooperativeForm(member: "Peter Schmidt", street: "Uferstraße 14", kalt: "501,00", betriebskosten: "121,00", heizkosten: "79,00", gesamt: "701,00")
        let rules = try Self.analyzer().analyze(text: text)
        let analysis = try Self.analyzer().with(fieldLocations: model).analyze(text: text)
        #expect(analysis.field("kaltmiete") == nil)
        #expect(analysis.fields == rules.fields && analysis.reviewReasons == rules.reviewReasons)
        let note = try #require(analysis.learnedFields?.first)
        #expect(note.outcome == .abstained && note.detail.contains("disagree"), "\(note.detail)")
    }

    @Test("train --corrections writes pipeline.fields.json beside the configuration, even without class corrections")
    func commandLine() throws {
        let directory = try TestKit.temporaryDirectory("learn-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = directory.appendingPathComponent("pipeline.yml")
        try FileManager.default.copyItem(at: TestKit.pipelineYML, to: configuration)
        _ = try Self.learn(
            [
                (Self.cooperativeForm(member: "Anna Müller", street: "Uferstraße 10", kalt: "412,30", betriebskosten: "118,00", heizkosten: "74,00", gesamt: "604,30"), "412.30"),
                (Self.cooperativeForm(member: "Jürgen Weber", street: "Uferstraße 12", kalt: "388,00", betriebskosten: "102,50", heizkosten: "66,00", gesamt: "556,50"), "388.00"),
            ], key: "kaltmiete", expectedClass: "mietbescheinigung", directory: directory)
        let written = FieldLocationModel.companionURL(forConfiguration: configuration)
        try FileManager.default.removeItem(at: written)
        let train = try TestKit.run([
            "train", "--config", configuration.path, "--corrections", directory.path, "--date", "2025-06-15",
        ])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("field locations: 2 corrected field(s), 1 location(s) learned"), "\(train.stdout)")
        #expect(train.stdout.contains("mietbescheinigung.kaltmiete: 'Überlassungsbetrag Wohnraum' (2 corrections)"), "\(train.stdout)")
        #expect(train.stdout.contains("no class corrections: the class model is left as it is"))
        #expect(!FileManager.default.fileExists(atPath: TextClassifierModel.companionURL(forConfiguration: configuration).path))
        let model = try FieldLocationModel.load(from: written)
        #expect(model.file.trainedAt == "2025-06-15" && model.file.locations.count == 1)
        // The same corrections give the same bytes.
        let again = try TestKit.run([
            "train", "--config", configuration.path, "--corrections", directory.path, "--date", "2025-06-15",
            "--fields-out", directory.appendingPathComponent("again.json").path,
        ])
        #expect(again.status == 0)
        #expect(try Data(contentsOf: written) == Data(contentsOf: directory.appendingPathComponent("again.json")))

        // `process` loads the file beside --config: a new born-digital form of the layout.
        let pdf = directory.appendingPathComponent("neu.pdf")
        try TestKit.textPDF(
            lines: Self.cooperativeForm(
                member: "Peter Schmidt", street: "Uferstraße 14", kalt: "501,00", betriebskosten: "121,00", heizkosten: "79,00",
                gesamt: "701,00"
            ).components(separatedBy: "\n")
        ).write(to: pdf)
        let processed = try TestKit.run(["process", "--json", "--no-text", "--config", configuration.path, pdf.path])
        #expect(processed.status == 0, "\(processed.stderr)")
        #expect(processed.stdout.contains("\"kaltmiete\""), "\(processed.stdout)")
        #expect(processed.stdout.contains("501.00"), "\(processed.stdout)")
        try FileManager.default.removeItem(at: written)
        let rulesOnly = try TestKit.run(["process", "--json", "--no-text", "--config", configuration.path, pdf.path])
        #expect(rulesOnly.status == 0)
        #expect(!rulesOnly.stdout.contains("\"kaltmiete\""), "without the file the rules alone: \(rulesOnly.stdout)")
    }
}

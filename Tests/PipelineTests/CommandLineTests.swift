import Foundation
import PosteingangTestKit
import Testing

/// The one-shot path through the real command: `process --json` and `eval`.
@Suite(.serialized, .tags(.process), .slow)
struct CommandLineTests {
    static func jsonLines(_ output: String) throws -> [[String: Any]] {
        try output.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test("process --json prints one object per input with the contract's keys; bad inputs get an error and exit 1")
    func processJSONLines() throws {
        let files = ["scan/mietvertrag_05.png", "bad/notes.png", "digital/kontoauszug_01.pdf", "photo/lohnabrechnung_06.heic"]
        let result = try TestKit.run(
            ["process", "--json", "--config", TestKit.pipelineYML.path, "--cases", TestKit.fixture("cases.csv").path]
                + files.map { TestKit.fixture($0).path })
        #expect(result.status == 1)
        let objects = try Self.jsonLines(result.stdout)
        #expect(objects.count == 4)
        #expect(objects.map { $0["file"] as? String } == files.map { TestKit.fixture($0).path })

        let rent = objects[0]
        for key in ["file", "sha256", "pages", "class", "class_confidence", "fields", "doubtful_fields", "case", "match",
                    "needs_review", "review_reasons", "text", "timings_ms"] {
            #expect(rent[key] != nil, "missing key \(key)")
        }
        #expect(rent["class"] as? String == "mietvertrag")
        #expect((rent["sha256"] as? String)?.count == 64)
        let timings = try #require(rent["timings_ms"] as? [String: Double])
        #expect(timings["ocr"] != nil && timings["decode"] != nil && timings["prepare"] != nil)

        let refused = objects[1]
        #expect((refused["error"] as? String)?.contains("supported: JPEG, PNG, TIFF, WebP, HEIC, PDF") == true)

        let statement = objects[2]
        #expect(statement["class"] as? String == "kontoauszug")
        #expect((statement["text"] as? String)?.isEmpty == false)
        let pageDetails = try #require(statement["page_details"] as? [[String: Any]])
        #expect(pageDetails.allSatisfy { $0["source"] as? String == "text_layer" })
        #expect(timings.keys.contains("ocr") && (statement["timings_ms"] as? [String: Double])?["ocr"] == nil)

        // The HEIC payslip has a sidecar naming its household.
        let payslip = objects[3]
        #expect(payslip["match"] as? String == "sidecar")
        #expect(payslip["case"] as? String == "96302BG0021276")
    }

    @Test("explain names the rules that fired, the runner-up, each field's line and label, and the case evidence")
    func explain() throws {
        let result = try TestKit.run(
            ["explain", "--config", TestKit.pipelineYML.path, "--cases", TestKit.fixture("cases.csv").path,
             TestKit.fixture("digital/kontoauszug_01.pdf").path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let text = result.stdout
        #expect(text.contains("kontoauszug"))
        #expect(text.contains("runner-up:"))
        #expect(text.contains("iban = DE"))
        #expect(text.contains("anchored to"))
        #expect(text.contains("case: 96302BG0020815 via name"))
    }

    @Test("A missing or invalid configuration is refused with the line and reason")
    func badConfiguration() throws {
        let dir = try TestKit.temporaryDirectory("config")
        defer { try? FileManager.default.removeItem(at: dir) }
        let broken = dir.appendingPathComponent("pipeline.yml")
        try "version: 1\nclasses:\n  - id: x\n    threshold: [\n".write(to: broken, atomically: true, encoding: .utf8)
        let result = try TestKit.run(["process", "--config", broken.path, TestKit.fixture("scan/mietvertrag_05.png").path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("pipeline.yml:"), "stderr: \(result.stderr)")
        let missing = try TestKit.run(["process", "--config", dir.appendingPathComponent("nope.yml").path, "x.png"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("not found"))
    }

    @Test("eval over the fixtures: class ≥ 98%, fields ≥ 95%, no wrong case attachment")
    func evaluationFigures() throws {
        let result = try TestKit.run(["eval", "--json", "--config", TestKit.pipelineYML.path, TestKit.fixtures.path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let classAccuracy = try #require(report["class_accuracy"] as? Double)
        let fieldAccuracy = try #require(report["field_accuracy"] as? Double)
        let wrong = try #require(report["cases_wrong"] as? Int)
        print("eval: class \(classAccuracy), fields \(fieldAccuracy), wrong cases \(wrong)")
        #expect(classAccuracy >= 0.98)
        #expect(fieldAccuracy >= 0.95)
        #expect(wrong == 0)
        let confusion = try #require(report["confusion"] as? [String: [String: Int]])
        #expect(Set(confusion.keys).isSuperset(of: [
            "mietvertrag", "mietbescheinigung", "lohnabrechnung", "kontoauszug", "betriebskostenabrechnung",
            "kindergeldbescheid", "au_bescheinigung", "sonstiges",
        ]))
    }

    /// The second family (fixtures/layouts, written apart from the rules): the part rules are
    /// written against and the frozen part nobody opens, read here only as figures.
    @Test(
        "eval over the layouts nobody wrote a rule for: classes, fields, doubt and cases hold on the tuning and the frozen part",
        arguments: [
            ("tune", 0.96, 0.93, 3, 0.96, 0.95),
            ("frozen", FrozenFloor.classes, FrozenFloor.fields, FrozenFloor.wrongNotDoubtful, FrozenFloor.classesWithModel, FrozenFloor.fieldsWithModel),
        ])
    func layoutFamilyFigures(
        part: String, classFloor: Double, fieldFloor: Double, wrongNotDoubtfulCeiling: Int, modelClassFloor: Double, modelFieldFloor: Double
    ) throws {
        let folder = TestKit.fixtures.appendingPathComponent("layouts/\(part)")
        let result = try TestKit.run([
            "eval", "--json", "--folds", "2", "--config", TestKit.pipelineYML.path, folder.path,
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let classAccuracy = try #require(report["class_accuracy"] as? Double)
        let fieldAccuracy = try #require(report["field_accuracy"] as? Double)
        let wrongCases = try #require(report["cases_wrong"] as? Int)
        let wrongNotDoubtful = try #require(report["fields_wrong_not_doubtful"] as? Int)
        print("eval layouts/\(part): class \(classAccuracy), fields \(fieldAccuracy), wrong and not doubtful \(wrongNotDoubtful), wrong cases \(wrongCases)")
        #expect(classAccuracy >= classFloor)
        #expect(fieldAccuracy >= fieldFloor)
        #expect(wrongNotDoubtful <= wrongNotDoubtfulCeiling)
        #expect(wrongCases == 0)
        // As shipped: the rules with the learned second opinion beside them (pipeline.model.json,
        // trained on fixtures/ and layouts/tune, never on the frozen part).
        let comparison = try #require(report["model_comparison"] as? [String: Any])
        let withModel = try #require(comparison["rules_and_model"] as? [String: Any])
        let modelClasses = try #require(withModel["class_accuracy"] as? Double)
        let modelFields = try #require(withModel["field_accuracy"] as? Double)
        print("eval layouts/\(part) with the model: class \(modelClasses), fields \(modelFields), wrong cases \(withModel["cases_wrong"] ?? "?")")
        #expect(modelClasses >= modelClassFloor)
        #expect(modelFields >= modelFieldFloor)
        #expect(withModel["cases_wrong"] as? Int == 0)
    }
}

/// What the frozen part of the layouts family reached when last measured: a floor against
/// regressions, not a target. Raise it when the figures rise.
enum FrozenFloor {
    /// Rules alone, measured 2026-12-06: class 100%, fields 97.1%, 1 wrong and not doubtful,
    /// 0 wrong cases. One document or two values below that.
    static let classes = 0.96
    static let fields = 0.95
    static let wrongNotDoubtful = 2
    /// Rules and the model as shipped, measured 2026-12-06: class 100%, fields 97.1%.
    static let classesWithModel = 0.96
    static let fieldsWithModel = 0.95
}

/// The program makes sure of OMP_THREAD_LIMIT=1 itself, before libgomp reads it.
@Suite(.tags(.process), .slow)
struct ThreadLimitTests {
    @Test("Started without OMP_THREAD_LIMIT, the process runs with it set to 1")
    func reexecutesWithThreadLimit() throws {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "OMP_THREAD_LIMIT")
        let (status, output, _) = try TestKit.run(["version"], environment: environment)
        #expect(status == 0)
        #expect(output.contains("OMP_THREAD_LIMIT=1"), "output: \(output)")
        #expect(output.contains("libtesseract 5."))
    }
}

/// Operators judge a rule change before it ships.
@Suite(.tags(.process), .slow)
struct EvalBaselineTests {
    @Test("eval --baseline reports the damage of a worse rule set document by document")
    func worseRulesReported() throws {
        let folder = try TestKit.temporaryDirectory("baseline")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Born-digital documents: read from their text layer, so the test stays quick.
        let picked = ["digital/kontoauszug_01.pdf", "digital/kontoauszug_02.pdf", "digital/lohnabrechnung_01.pdf", "digital/sonstiges_03.pdf"]
        let truth = try String(contentsOf: TestKit.fixture("truth.jsonl"), encoding: .utf8)
            .split(separator: "\n").filter { line in picked.contains { line.contains("\"\($0)\"") } }
        #expect(truth.count == 4)
        try (truth.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("truth.jsonl"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("digital"), withIntermediateDirectories: true)
        for file in picked { try FileManager.default.copyItem(at: TestKit.fixture(file), to: folder.appendingPathComponent(file)) }
        try FileManager.default.copyItem(at: TestKit.fixture("cases.csv"), to: folder.appendingPathComponent("cases.csv"))

        // The worse rules: bank statements can no longer reach their threshold.
        let rules = try String(contentsOf: TestKit.pipelineYML, encoding: .utf8)
        let start = try #require(rules.range(of: "- id: kontoauszug"))
        let threshold = try #require(rules.range(of: "threshold:", range: start.upperBound..<rules.endIndex))
        let lineEnd = rules[threshold.upperBound...].firstIndex(of: "\n")!
        let worse = rules.replacingCharacters(in: threshold.upperBound..<lineEnd, with: " 999")
        let worseURL = folder.appendingPathComponent("worse.yml")
        try worse.write(to: worseURL, atomically: true, encoding: .utf8)

        let result = try TestKit.run(["eval", "--config", worseURL.path, "--baseline", TestKit.pipelineYML.path, "--workers", "1", folder.path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("2 document(s) changed: 0 better, 2 worse"), "output:\n\(result.stdout)")
        #expect(result.stdout.contains("- digital/kontoauszug_01.pdf: class kontoauszug → sonstiges (expected kontoauszug)"))
        #expect(result.stdout.contains("- digital/kontoauszug_02.pdf: class kontoauszug → sonstiges"))
        #expect(!result.stdout.contains("lohnabrechnung_01.pdf"))
    }
}

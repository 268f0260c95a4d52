import Akte
import Classification
import Foundation
import Imaging
import PosteingangTestKit
import Testing

@testable import Pipeline

/// Multi-document uploads: cover sheets and combined uploads split into their documents, each
/// analysed and filed on its own (fixtures/batches, made by tools/fixtures/batches.py).
@Suite(.serialized, .tags(.process), .slow)
struct BatchSplittingTests {
    struct Truth: Decodable {
        struct Part: Decodable {
            var first_page: Int
            var last_page: Int
            var `class`: String
            var `case`: String?
            var fields: [String: String]
            var cover_page: Int?
            var review: String?
        }
        var file: String
        var pages: Int
        var method: String
        var cover_pages: [Int]
        var parts: [Part]
    }

    static func truths() throws -> [String: Truth] {
        let lines = try String(contentsOf: TestKit.fixture("batches/truth.jsonl"), encoding: .utf8).split(separator: "\n")
        let all = try lines.map { try JSONDecoder().decode(Truth.self, from: Data($0.utf8)) }
        return Dictionary(uniqueKeysWithValues: all.map { ($0.file, $0) })
    }

    // MARK: cover sheet payloads

    @Test("Cover sheet payloads: separator, case with reference, bare BG-Nummer only on a near-empty page")
    func coverPayloads() throws {
        let sep = try #require(CoverSheet.detect(page: 1, codes: ["POSTEINGANG:SEP"], pageText: "Trennblatt"))
        #expect(sep.caseReference == nil && sep.problems.isEmpty)

        let named = try #require(CoverSheet.detect(page: 3, codes: ["posteingang:BG=96301 BG 0012345; DOC=SC-7"], pageText: ""))
        #expect(named.caseReference == "96301BG0012345")
        #expect(named.documentReference == "SC-7")
        #expect(named.problems.isEmpty)
        #expect(CoverSheet.detect(page: 1, codes: ["POSTEINGANG:BG=96301//0012345"], pageText: "")?.caseReference == "96301BG0012345")

        let bare = try #require(CoverSheet.detect(page: 1, codes: ["96302BG0021276"], pageText: "Deckblatt"))
        #expect(bare.caseReference == "96302BG0021276")
        // The same code on a page full of text is a form's code, not a cover sheet.
        let letter = Array(repeating: "Sehr geehrte Damen und Herren, anbei die Unterlagen.", count: 8).joined(separator: "\n")
        #expect(CoverSheet.detect(page: 1, codes: ["96302BG0021276"], pageText: letter) == nil)
        // Other codes are no cover sheets.
        #expect(CoverSheet.detect(page: 1, codes: ["BG:96304BG0007420"], pageText: "") == nil)
        #expect(CoverSheet.detect(page: 1, codes: [], pageText: "") == nil)
    }

    @Test("A cover payload that cannot be used is still a cover sheet, and says what was wrong and what is accepted")
    func badCoverPayloads() throws {
        let unknownKey = try #require(CoverSheet.detect(page: 2, codes: ["POSTEINGANG:BATCH=17"], pageText: ""))
        #expect(unknownKey.caseReference == nil)
        #expect(unknownKey.problems.count == 1)
        #expect(unknownKey.problems[0].contains("BATCH=17") && unknownKey.problems[0].contains("erlaubt sind SEP, BG=<Fallnummer>, DOC=<Bezug>"))

        let badCase = try #require(CoverSheet.detect(page: 2, codes: ["POSTEINGANG:BG=no case!"], pageText: ""))
        #expect(badCase.caseReference == nil)
        #expect(badCase.problems.first?.contains("„no case!“") == true)
        #expect(badCase.problems.first?.contains("96301BG0012345") == true)

        let empty = try #require(CoverSheet.detect(page: 2, codes: ["POSTEINGANG:"], pageText: ""))
        #expect(empty.problems.first?.contains("POSTEINGANG:SEP") == true)
    }

    // MARK: content splitting on known texts

    static let splitter: BatchSplitter = {
        do {
            let configuration = try PipelineConfiguration.load(from: TestKit.pipelineYML)
            let register = try CaseRegister.load(from: TestKit.fixture("cases.csv"))
            return BatchSplitter(analyzer: DocumentAnalyzer(configuration: configuration, register: register))
        } catch {
            fatalError("pipeline.yml or fixtures/cases.csv does not load: \(error)")
        }
    }()

    /// The text of a fixture document as its generator drew it (fixtures/truth.jsonl).
    static func truthText(_ file: String) throws -> String {
        struct Line: Decodable { var file: String; var text: String? }
        let lines = try String(contentsOf: TestKit.fixture("truth.jsonl"), encoding: .utf8).split(separator: "\n")
        for line in lines {
            let record = try JSONDecoder().decode(Line.self, from: Data(line.utf8))
            if record.file == file, let text = record.text { return text }
        }
        throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: file])
    }

    static func pages(_ texts: [String]) -> [ReadPage] {
        texts.enumerated().map { index, text in
            ReadPage(number: index + 1, source: .textLayer, text: text, words: [], meanConfidence: nil, preparation: nil,
                     barcodes: [], notes: [])
        }
    }

    @Test("Without covers: a new registered case number splits, a running page counter does not, an unclear page stays")
    func contentRules() throws {
        let certificate = try Self.truthText("scan/mietbescheinigung_01.pdf")
        let otherCase = certificate.replacingOccurrences(of: "96301 BG 0012345", with: "96301 BG 0013002")
        #expect(otherCase != certificate)

        // Same class, another household's number: two documents.
        let byCase = Self.splitter.split(Self.pages([certificate, otherCase]))
        #expect(byCase.method == .content)
        #expect(byCase.parts.map(\.pages) == [1...1, 2...2])
        #expect(byCase.parts.last?.reason.contains("Fallnummer 96301BG0013002 nach 96301BG0012345") == true)

        // The same pages with a running counter: one document, and the record says why.
        let counted = Self.splitter.split(Self.pages([certificate + "\nSeite 1 von 2", otherCase + "\nSeite 2 von 2"]))
        #expect(counted.method == .none)
        #expect(counted.parts.map(\.pages) == [1...2])
        #expect(counted.notes.contains { $0.contains("die Seitenzählung läuft weiter") })

        // A class change between two born-digital letters.
        let byClass = Self.splitter.split(Self.pages([
            try Self.truthText("digital/kontoauszug_02.pdf"), try Self.truthText("digital/lohnabrechnung_02.pdf"),
        ]))
        #expect(byClass.method == .content)
        #expect(byClass.parts.last?.reason.contains("liest sich als „Lohn- und Gehaltsabrechnung“ nach „Kontoauszug“") == true)

        // A page that says nothing sure (an annex): no split.
        let annex = Self.splitter.split(Self.pages([certificate, "Anlage\nKopie des Mietvertrags liegt bei."]))
        #expect(annex.method == .none)
        #expect(annex.notes.first?.hasPrefix("ein Dokument:") == true)
    }

    // MARK: process

    struct Processed: Decodable {
        struct Split: Decodable {
            var method: String
            var notes: [String]
        }
        struct Origin: Decodable {
            var number: Int
            var of: Int
            var first_page: Int
            var last_page: Int
            var upload_sha256: String
        }
        struct Part: Decodable {
            var `class`: String
            var `case`: String?
            var match: String
            var needs_review: Bool
            var review_reasons: [String]
            var fields: [String: String]
            var part: Origin
        }
        var file: String
        var sha256: String
        var split: Split?
        var parts: [Part]?
    }

    @Test("A combined upload without cover sheets is split by content; a multi-page document is left whole, and says so")
    func combinedUpload() throws {
        let truth = try #require(try Self.truths()["batches/combined_upload.pdf"])
        let run = try TestKit.run([
            "process", "--json", "--no-text", "--config", TestKit.pipelineYML.path, "--cases",
            TestKit.fixture("cases.csv").path, TestKit.fixture(truth.file).path,
            TestKit.fixture("digital/kontoauszug_01.pdf").path,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let results = try run.stdout.split(separator: "\n").map { try JSONDecoder().decode(Processed.self, from: Data($0.utf8)) }
        #expect(results.count == 2)
        guard results.count == 2 else { return }

        let combined = results[0]
        #expect(combined.split?.method == "content")
        let parts = try #require(combined.parts)
        #expect(parts.count == truth.parts.count)
        for (part, expected) in zip(parts, truth.parts) {
            #expect(part.part.first_page == expected.first_page && part.part.last_page == expected.last_page)
            #expect(part.part.of == truth.parts.count)
            #expect(part.part.upload_sha256 == combined.sha256)
            #expect(part.class == expected.class, "pages \(expected.first_page)-\(expected.last_page)")
            // Never the wrong household.
            if let found = part.case { #expect(found == expected.case) }
            #expect(part.case == expected.case || part.needs_review)
            for (key, value) in expected.fields where ["brutto", "netto", "iban", "saldo_neu", "zeitraum_bis"].contains(key) {
                #expect(part.fields[key] == value, "\(expected.class) \(key)")
            }
        }

        // Two pages of one bank statement ("Seite 1 von 2", "Seite 2 von 2"): one document.
        let statement = results[1]
        #expect(statement.parts == nil)
        #expect(statement.split?.method == "none")
        #expect(statement.split?.notes.first?.hasPrefix("ein Dokument:") == true)
    }

    // MARK: daemon

    @Test("Batches through a running daemon: each part filed on its own with its pages, class and case; cover case wins; unregistered cover case goes to review; the original is kept once")
    func batchesThroughDaemon() throws {
        let dataDir = try TestKit.temporaryDirectory("batches")
        defer { try? FileManager.default.removeItem(at: dataDir) }
        #expect(try TestKit.run(["cases", "import", "--data-dir", dataDir.path, TestKit.fixture("cases.csv").path]).status == 0)
        let truths = try Self.truths().values.filter { $0.method != "none" }.sorted { $0.file < $1.file }
        let inbox = dataDir.appendingPathComponent("spool/inbox")
        let daemon = try DaemonProcess(dataDir: dataDir)
        defer { daemon.terminate(); _ = daemon.wait(timeout: 60) }

        var shas: [String: String] = [:]
        for truth in truths {
            let data = try Data(contentsOf: TestKit.fixture(truth.file))
            shas[truth.file] = SHA256Digest.hex(of: data)
            try TestKit.deliver(data, as: URL(fileURLWithPath: truth.file).lastPathComponent, to: inbox)
        }
        let akte = try SQLiteAkte(path: dataDir.appendingPathComponent("akte.sqlite").path)
        func settled(_ sha: String) -> Bool {
            guard let status = try? akte.uploadStatus(idOrSha: sha) else { return false }
            return [.filed, .needsReview, .refused].contains(status.state)
        }
        let done = eventually(timeout: 900) { shas.values.allSatisfy(settled) }
        #expect(done, "daemon did not finish; log tail:\n\(daemon.output.suffix(3000))")
        guard done else { return }

        for truth in truths {
            let sha = shas[truth.file]!
            let status = try #require(try akte.uploadStatus(idOrSha: sha))
            #expect(status.parts.count == truth.parts.count, "\(truth.file): \(status.parts.count) parts; \(status.reason ?? "")")
            // The original upload is kept once, under its own hash.
            #expect(FileManager.default.fileExists(atPath: dataDir.appendingPathComponent("blobs/sha256/\(sha.prefix(2))/\(sha)").path))
            for (part, expected) in zip(status.parts, truth.parts) {
                let label: Comment = "\(truth.file) pages \(expected.first_page)-\(expected.last_page)"
                #expect(part.firstPage == expected.first_page && part.lastPage == expected.last_page, label)
                #expect(part.coverPage == expected.cover_page, label)
                let document = try akte.document(id: part.documentID, viewer: "test")
                #expect(document.machine.documentClass == expected.class, label)
                #expect(document.pageCount == expected.last_page - expected.first_page + 1, label)
                #expect(document.receipts.map(\.uploadID) == [status.uploadID], label)
                // The part's own PDF of its pages is its stored original and its searchable PDF.
                #expect(document.archivePDFSha256 == document.sha256)
                let partPDF = dataDir.appendingPathComponent("blobs/sha256/\(document.sha256.prefix(2))/\(document.sha256)")
                #expect(try Self.pdfPageCount(partPDF) == document.pageCount, label)
                if truth.method == "cover_sheets" {
                    if let expectedCase = expected.case {
                        // The cover's case wins.
                        #expect(document.machine.caseID == expectedCase, label)
                        #expect(document.detailsJSON.contains(#""route":"cover_sheet""#), label)
                        #expect(document.detailsJSON.contains("Das Deckblatt auf Seite \(expected.cover_page ?? 0) nennt"), label)
                    } else {
                        #expect(document.machine.caseID == nil, label)
                        #expect(document.machine.status == .needsReview, label)
                        #expect(document.reviewReasons.contains { $0.contains("nicht im Fallregister") }, label)
                    }
                } else if let filed = document.machine.caseID {
                    #expect(filed == expected.case, label)
                } else {
                    #expect(document.machine.status == .needsReview, label)
                }
            }
        }

        // `status` lists the parts of an upload (what a citizen's app shows).
        let combinedSha = shas["batches/combined_upload.pdf"]!
        let status = try TestKit.run(["status", "--data-dir", dataDir.path, "--json", combinedSha])
        #expect(status.status == 0, "\(status.stderr)")
        let statusJSON = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let listed = try #require(statusJSON["parts"] as? [[String: Any]])
        #expect(listed.map { $0["first_page"] as? Int } == [1, 2, 4])
        #expect(listed.map { $0["last_page"] as? Int } == [1, 3, 4])

        // The same combined upload again: one more upload of the same documents.
        let combined = try Data(contentsOf: TestKit.fixture("batches/combined_upload.pdf"))
        let firstParts = try #require(try akte.uploadStatus(idOrSha: shas["batches/combined_upload.pdf"]!)).parts.map(\.documentID)
        try TestKit.deliver(combined, as: "again-combined_upload.pdf", to: inbox)
        let again = eventually(timeout: 300) {
            let processing = dataDir.appendingPathComponent("spool/processing")
            let waiting = (try? FileManager.default.contentsOfDirectory(atPath: inbox.path))?.count ?? 1
            let busy = (try? FileManager.default.contentsOfDirectory(atPath: processing.path))?.count ?? 1
            return waiting == 0 && busy == 0
        }
        #expect(again)
        for id in firstParts {
            #expect(try akte.document(id: id, viewer: "test").receipts.count == 2)
        }
        #expect(try akte.verifyAuditChain().isIntact)
    }

    static func pdfPageCount(_ url: URL) throws -> Int {
        let text = try ChildProcess("pdfinfo", [url.path], package: "poppler-utils").run().check("pdfinfo").standardOutput
        let line = text.split(separator: "\n").first { $0.hasPrefix("Pages:") } ?? ""
        return Int(line.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces)) ?? -1
    }
}

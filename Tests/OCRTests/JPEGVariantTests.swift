import Foundation
import Imaging
import OCR
import Pipeline
import PosteingangTestKit
import Testing

/// The JPEGs phones, cameras, scanner apps and print workflows send are read, the
/// page the same whatever the variant (fixtures/formats/jpeg, made by tools/fixtures/jpeg_variants.py).
@Suite(.serialized, .tags(.ocr, .process), .slow)
struct JPEGVariantTests {
    static let folder = "formats/jpeg/"

    /// The baseline variant's page text, read once.
    static let baseline: Result<String, any Error> = Result { try Recognition.firstPage(folder + "baseline.jpg").text }

    @Test("The baseline variant (200 dpi, tinted) reads as well as its 300 dpi source scan")
    func baselineReads() throws {
        let truth = try TestKit.truthText("scan/kuendigung_03.png")
        let cer = TextMetrics.characterErrorRate(truth: truth, read: try Self.baseline.get())
        let source = TextMetrics.characterErrorRate(truth: truth, read: try Recognition.firstPage("scan/kuendigung_03.png").text)
        #expect(cer <= source + 0.01, "baseline CER against the truth \(cer), the scan's \(source)")
    }

    @Test("Each complete variant decodes without a review reason and OCRs to the baseline's text", arguments: [
        "samsung-trailer.jpg", "motion-photo.jpg", "mpf.jpg", "maker-data.jpg", "progressive.jpg", "restart.jpg",
        "arithmetic.jpg", "grey.jpg", "cmyk.jpg", "cmyk-adobe.jpg", "ycck-adobe.jpg",
    ])
    func variantReadsLikeBaseline(name: String) throws {
        let document = try DocumentDecoder().decode(fileAt: TestKit.fixture(Self.folder + name))
        #expect(document.format == .jpeg)
        #expect(document.pages.count == 1)
        #expect(document.pages[0].reviewReasons.isEmpty, "\(name): \(document.pages[0].reviewReasons)")
        guard case .image(let image) = document.pages[0].content else { Issue.record("\(name): no image"); return }
        #expect(image.width == 1653 && image.height == 2339, "\(name): \(image.width)x\(image.height)")
        let text = try Recognition.firstPage(Self.folder + name).text
        let cer = TextMetrics.characterErrorRate(truth: try Self.baseline.get(), read: text)
        print("jpeg variant \(name): CER against baseline \(String(format: "%.4f", cer)); notes: \(document.pages[0].notes)")
        #expect(cer <= 0.01, "\(name): CER against the baseline's text \(cer)")
    }

    @Test("A JPEG cut at 60 % of its bytes is read as far as it goes and marked for review with how much was read")
    func truncatedIsReadAndMarked() throws {
        let name = "truncated-60.jpg"
        let document = try DocumentDecoder().decode(fileAt: TestKit.fixture(Self.folder + name))
        let page = document.pages[0]
        guard case .image(let image) = page.content else { Issue.record("no image"); return }
        #expect(image.width == 1653 && image.height < 2339 && image.height > 2339 / 3, "\(image.width)x\(image.height)")
        let reason = try #require(page.reviewReasons.first)
        #expect(reason.hasPrefix("Die Bilddatei endet vorzeitig: etwa "), "\(reason)")
        #expect(reason.hasSuffix(" % des Bildes gelesen; die Seite kann abgeschnitten sein."), "\(reason)")
        let percent = Int(reason.split(separator: " ").first { Int($0) != nil } ?? "") ?? -1
        #expect(abs(percent - image.height * 100 / 2339) <= 1, "\(reason) for \(image.height) of 2339 rows")
        // What was read is the top of the page: its words are the baseline's, and only part of them.
        let text = try Recognition.firstPage(Self.folder + name).text
        let baseline = try Self.baseline.get()
        let precision = TextMetrics.wordRecall(truth: text, read: baseline)
        let share = TextMetrics.wordRecall(truth: baseline, read: text)
        print("jpeg variant \(name): \(reason) \(image.height) rows; words also in the baseline \(precision), share of the baseline's words \(share)")
        #expect(precision >= 0.95)
        #expect(share > 0.3 && share < 0.9)
    }

    @Test("The isolated decoder hands back the review reason of a cut JPEG", arguments: ["posteingang-decode"])
    func truncatedIsolated(program: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posteingang-iso-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(program).path
        try #require(FileManager.default.isExecutableFile(atPath: executable))
        let url = TestKit.fixture(Self.folder + "truncated-60.jpg")
        let isolated = try DocumentDecoder(isolation: DecoderIsolation(executable: executable, workDirectory: folder)).decode(fileAt: url)
        let local = try DocumentDecoder().decode(fileAt: url)
        #expect(isolated.pages[0].reviewReasons == local.pages[0].reviewReasons)
        #expect(!isolated.pages[0].reviewReasons.isEmpty)
        #expect(isolated.pages[0].notes == local.pages[0].notes)
    }

    @Test("Cut progressive JPEGs: in the first scan the rows read count; later, the whole page is there but blurred")
    func truncatedProgressive() throws {
        let data = try TestKit.fixtureData(Self.folder + "progressive.jpg")
        let scans = Self.markerOffsets(0xDA, in: data)
        try #require(scans.count >= 3)
        // Inside the second scan: the whole page, without its detail.
        let late = try DocumentDecoder().decode(data.prefix(scans[1] + (scans[2] - scans[1]) / 2))
        guard case .image(let image) = late.pages[0].content else { Issue.record("no image"); return }
        #expect(image.height == 2339)
        #expect(late.pages[0].reviewReasons.first?.contains("progressiv") == true, "\(late.pages[0].reviewReasons)")
        // Inside the first (DC) scan, half way: about half the rows.
        let early = try DocumentDecoder().decode(data.prefix(scans[0] + (scans[1] - scans[0]) / 2))
        guard case .image(let top) = early.pages[0].content else { Issue.record("no image"); return }
        #expect(top.height > 2339 / 4 && top.height < 2339 * 3 / 4, "\(top.height)")
        #expect(early.pages[0].reviewReasons.first?.contains("des Bildes gelesen") == true)
    }

    @Test("A JPEG with no usable image data is refused with a typed reason", arguments: [
        ("header only, cut before the scan", 0.0),
        ("cut right after the scan header", 0.02),
        ("cut after a tenth of the scan data", 0.1),
    ])
    func noUsableData(what: String, shareOfScan: Double) throws {
        let data = try TestKit.fixtureData(Self.folder + "baseline.jpg")
        let sos = try #require(Self.markerOffsets(0xDA, in: data).first)
        let cut = shareOfScan == 0 ? sos : sos + 14 + Int(Double(data.count - sos) * shareOfScan)
        do {
            _ = try DocumentDecoder().decode(data.prefix(cut))
            Issue.record("\(what): should be refused")
        } catch let error as ImagingError {
            #expect(error.code == "corrupt", "\(what): \(error)")
            #expect(error.description.contains("JPEG"), "\(what): \(error)")
            print("jpeg \(what): \(error)")
        }
    }

    @Test("A progressive JPEG with more than 1000 scans (each a pass over the image) is refused, not decoded for minutes")
    func tooManyScans() throws {
        let data = try TestKit.fixtureData(Self.folder + "progressive.jpg")
        let scans = Self.markerOffsets(0xDA, in: data)
        try #require(scans.count >= 4)
        // The third scan (a chroma AC scan of ~1 KB) a thousand times more.
        let scan = data[scans[2]..<scans[3]]
        var bomb = Data(data[..<scans[3]])
        for _ in 0..<1000 { bomb.append(scan) }
        bomb.append(data[scans[3]...])
        #expect {
            try DocumentDecoder().decode(bomb)
        } throws: { error in
            guard let error = error as? ImagingError, case .corrupt(_, let detail) = error else { return false }
            return detail.contains("more than 1000 scans")
        }
    }

    @Test("Not a JPEG at all: refused by content, not decoded")
    func notAJPEG() {
        #expect(throws: ImagingError.unsupportedFormat(detected: "'text/plain'")) {
            try DocumentDecoder().decode(Data("JFIF? no, a text file named .jpg".utf8))
        }
        // The JPEG signature and nothing a decoder can use.
        #expect(throws: ImagingError.self) { try DocumentDecoder().decode(Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]) + Data(repeating: 0x41, count: 200)) }
    }

    @Test("Six real receipt photos with ~2 MB of maker data after the image are read, turned upright, with their total (fixtures/formats/camera)")
    func realReceipts() throws {
        let engine = try TesseractEngine()
        let folder = TestKit.fixtures.appendingPathComponent("formats/camera", isDirectory: true)
        // file,merchant,address,date,time,total_eur,rotation_to_upright_deg_cw,notes
        let labels = try String(contentsOf: folder.appendingPathComponent("labels.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map(Self.csvFields)
        let receipts = labels.map { fields in (name: fields[0], total: fields[5], turn: Int(fields[6]) ?? -1) }
        try #require(receipts.count == 6, "fixtures/formats/camera/labels.csv lists six receipts")
        for receipt in receipts {
            let url = folder.appendingPathComponent(receipt.name)
            let document = try DocumentDecoder().decode(fileAt: url)
            let page = document.pages[0]
            #expect(page.reviewReasons.isEmpty, "\(receipt.name): \(page.reviewReasons)")
            guard case .image(let image) = page.content else { Issue.record("\(receipt.name): no image"); continue }
            #expect(image.width > 800 && image.height > 800, "\(receipt.name)")
            #expect(page.notes.contains { $0.contains("after the image's end-of-image marker left unread") }, "\(receipt.name): \(page.notes)")
            let (prepared, report) = try PagePreparer().prepare(image, orientationCheck: engine.orientation(of:))
            #expect(report.rotation == receipt.turn, "\(receipt.name): turned \(report.rotation)°, upright is \(receipt.turn)°")
            let text = try engine.recognize(prepared, resolution: report.resolution).text
            // The total as printed ("5,03"); OCR may read its comma as a full stop.
            let total = receipt.total.replacingOccurrences(of: ".", with: "[.,]")
            #expect(text.range(of: "(^|[^0-9])\(total)($|[^0-9])", options: .regularExpression) != nil, "\(receipt.name): total \(receipt.total) not in \(text)")
        }
    }

    /// The fields of one CSV line; a field in double quotes may hold commas.
    static func csvFields(_ line: Substring) -> [String] {
        var fields: [String] = [], current = "", quoted = false
        for character in line {
            switch character {
            case "\"": quoted.toggle()
            case "," where !quoted: fields.append(current); current = ""
            default: current.append(character)
            }
        }
        fields.append(current)
        return fields
    }

    /// Offsets of every `FF marker` in `data` (for scans: 0xDA).
    static func markerOffsets(_ marker: UInt8, in data: Data) -> [Int] {
        let bytes = [UInt8](data)
        return (0..<(bytes.count - 1)).filter { bytes[$0] == 0xFF && bytes[$0 + 1] == marker }
    }
}

import ChildProcesses
import Classification
import Foundation
import Imaging
import OCR

/// Runs the pipeline over a labelled folder and compares with the truth: the operators'
/// yardstick and ours.
public struct Evaluator: Sendable {
    public var processor: DocumentProcessor
    /// Also run plain `tesseract FILE - -l deu` on every image the CLI can read, for comparison.
    public var compareWithPlainTesseract: Bool
    /// Further rule sets applied to the same reading of each document (e.g. a baseline).
    public var otherAnalyzers: [DocumentAnalyzer]

    public init(processor: DocumentProcessor, compareWithPlainTesseract: Bool = false, otherAnalyzers: [DocumentAnalyzer] = []) {
        self.processor = processor
        self.compareWithPlainTesseract = compareWithPlainTesseract
        self.otherAnalyzers = otherAnalyzers
    }

    public func evaluate(folder: URL, records: [TruthRecord], using pool: EnginePool) async -> EvaluationReport {
        await evaluateAll(folder: folder, records: records, using: pool)[0]
    }

    /// One report for the processor's rules, then one per analyzer in `otherAnalyzers`; each
    /// document is read (OCR) once.
    public func evaluateAll(folder: URL, records: [TruthRecord], using pool: EnginePool) async -> [EvaluationReport] {
        // Keep every engine busy, in the order of the truth file.
        let rows = await withTaskGroup(of: (Int, [EvaluationReport.DocumentRow]).self) { group in
            var next = 0
            var collected: [(Int, [EvaluationReport.DocumentRow])] = []
            func addNext() {
                guard next < records.count else { return }
                let index = next, record = records[index]
                next += 1
                group.addTask { (index, await self.evaluate(record, in: folder, using: pool)) }
            }
            for _ in 0..<max(pool.size, 1) { addNext() }
            for await row in group {
                collected.append(row)
                addNext()
            }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return (0..<(1 + otherAnalyzers.count)).map { index in EvaluationReport(rows: rows.map { $0[index] }) }
    }

    func evaluate(_ record: TruthRecord, in folder: URL, using pool: EnginePool) async -> [EvaluationReport.DocumentRow] {
        let url = folder.appendingPathComponent(record.file)
        let started = DispatchTime.now().uptimeNanoseconds
        let read = await processor.read(fileAt: url, displayName: record.file, using: pool)
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
        // The comparison blocks for seconds, so it runs on a worker thread like our own OCR.
        var plain: String?
        if compareWithPlainTesseract, record.text != nil {
            plain = (try? await pool.run({ _ in PlainTesseract.read(url) })) ?? nil
        }
        return ([processor.analyzer] + otherAnalyzers).map { analyzer in
            let outcome = read.map { upload in
                processor.with(analyzer: analyzer)
                    .analyze(upload.document, file: record.file, sha256: upload.sha256, sidecar: upload.sidecar, extraReasons: upload.problems)
            }
            var row = Self.row(for: record, outcome: outcome, milliseconds: milliseconds)
            row.setPlainTesseract(plain, truth: record.text)
            return row
        }
    }

    static func row(
        for record: TruthRecord, outcome: Result<ProcessingResult, ProcessingFailure>, milliseconds: Double
    ) -> EvaluationReport.DocumentRow {
        var row = EvaluationReport.DocumentRow(
            file: record.file, capture: record.capture, expectedClass: record.documentClass, predictedClass: nil,
            expectedCase: record.caseID, predictedCase: nil, caseOutcome: .failed, fieldsCorrect: 0,
            fieldsTotal: record.fields.count, fieldMistakes: [], fieldOutcomes: [:], cer: nil, orderFreeCER: nil, wordRecall: nil,
            baselineCER: nil, baselineOrderFreeCER: nil, needsReview: true, reviewReasons: [], error: nil, milliseconds: milliseconds)
        for key in record.fields.keys { row.fieldOutcomes[key] = false }
        switch outcome {
        case .failure(let failure):
            row.error = failure.error
            row.fieldMistakes = record.fields.map { .init(key: $0.key, expected: $0.value, got: nil) }
        case .success(let result):
            row.predictedClass = result.documentClass
            row.predictedCase = result.caseID
            row.needsReview = result.needsReview
            row.reviewReasons = result.reviewReasons
            switch (record.caseID, result.caseID) {
            case (let expected, let got) where expected == got: row.caseOutcome = .correct
            case (_, .some): row.caseOutcome = .wrong
            case (.some, .none): row.caseOutcome = .review
            default: row.caseOutcome = .correct
            }
            for (key, expected) in record.fields.sorted(by: { $0.key < $1.key }) {
                let got = result.fields[key]
                let correct = got.map { Self.sameValue($0, expected) } ?? false
                row.fieldOutcomes[key] = correct
                if correct {
                    row.fieldsCorrect += 1
                } else {
                    row.fieldMistakes.append(
                        .init(key: key, expected: expected, got: got, doubtful: got == nil ? nil : result.doubtfulFields.contains(key)))
                }
            }
            if !result.pageDetails.isEmpty, result.pageDetails.allSatisfy({ $0.source == "ocr" }) {
                let correct = Set(row.fieldOutcomes.filter(\.value).map(\.key))
                let read = result.analysis.fields.filter { correct.contains($0.key) }
                row.fieldsLocatable = read.count
                row.fieldsLocated = read.filter { $0.location != nil }.count
            }
            if let truthText = record.text, result.pageDetails.contains(where: { $0.source == "ocr" }) {
                row.cer = TextMetrics.characterErrorRate(truth: truthText, read: result.text)
                row.orderFreeCER = TextMetrics.orderFreeCharacterErrorRate(truth: truthText, read: result.text)
                row.wordRecall = TextMetrics.wordRecall(truth: truthText, read: result.text)
            }
        }
        return row
    }

    /// Values are compared after folding whitespace and case (text fields differ in both).
    static func sameValue(_ a: String, _ b: String) -> Bool {
        func fold(_ s: String) -> String {
            s.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
        }
        return fold(a) == fold(b)
    }
}

/// The reference everyone knows: the `tesseract` command on the unprepared file.
extension EvaluationReport.DocumentRow {
    /// Plain tesseract's error rates on the same file beside ours, when it read the file.
    mutating func setPlainTesseract(_ plain: String?, truth: String?) {
        guard let plain, let truth else { return }
        baselineCER = TextMetrics.characterErrorRate(truth: truth, read: plain)
        baselineOrderFreeCER = TextMetrics.orderFreeCharacterErrorRate(truth: truth, read: plain)
    }
}

public enum PlainTesseract {
    /// Text of `tesseract FILE - -l deu`, or nil for files it cannot read (PDF, HEIC) or when it
    /// is not installed.
    public static func read(_ url: URL) -> String? {
        guard let format = try? FileFormat.detect(Data(contentsOf: url, options: .mappedIfSafe)).get(),
              [.jpeg, .png, .tiff, .webp].contains(format),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/tesseract")
        else { return nil }
        var environment = ProcessInfo.processInfo.environment
        environment["OMP_THREAD_LIMIT"] = "1"
        let tesseract = ChildProcess("/usr/bin/tesseract", [url.path, "-", "-l", "deu"], environment: environment, timeout: 600)
        guard let result = try? tesseract.run(), result.succeeded else { return nil }
        return result.standardOutput
    }
}

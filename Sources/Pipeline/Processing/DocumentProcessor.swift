import Classification
import Foundation
import Imaging
import OCR

/// The whole path for one upload: read (decode, prepare, OCR), classify, extract, match a case.
public struct DocumentProcessor: Sendable {
    public var reader: DocumentReader
    public var analyzer: DocumentAnalyzer
    /// Below this mean OCR word confidence (0…100) a page is flagged for a person to check.
    public var minimumOCRConfidence: Float

    public init(reader: DocumentReader = DocumentReader(), analyzer: DocumentAnalyzer, minimumOCRConfidence: Float = 55) {
        self.reader = reader
        self.analyzer = analyzer
        self.minimumOCRConfidence = minimumOCRConfidence
    }

    /// Processes the file at `url`. `displayName` is how the file is named in the result.
    /// A sidecar passed in wins over one found beside the file.
    public func process(
        fileAt url: URL, displayName: String? = nil, sidecar given: Sidecar? = nil, using pool: EnginePool
    ) async -> Result<ProcessingResult, ProcessingFailure> {
        let name = displayName ?? url.path
        return await read(fileAt: url, displayName: name, sidecar: given, using: pool).map { upload in
            analyze(upload.document, file: name, sha256: upload.sha256, sidecar: upload.sidecar, extraReasons: upload.problems)
        }
    }

    /// An upload read (decoded, prepared, OCRed) but not yet analysed: what several rule sets
    /// can be applied to without reading the file again.
    public struct ReadUpload: Sendable {
        public var document: ReadDocument
        public var sha256: String
        public var sidecar: Sidecar?
        /// Problems found on the way that a person should know (an unusable sidecar).
        public var problems: [String]
    }

    /// The expensive half of `process`: hash, read, and find the sidecar.
    public func read(
        fileAt url: URL, displayName name: String, sidecar given: Sidecar? = nil, using pool: EnginePool
    ) async -> Result<ReadUpload, ProcessingFailure> {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            return .failure(ProcessingFailure(file: name, error: "cannot read the file: \(error.localizedDescription)", reason: "unreadable", stage: "read", sha256: nil))
        }
        let sha256 = SHA256Digest.hex(of: data)
        let document: ReadDocument
        do {
            document = try await reader.read(fileAt: url, using: pool)
        } catch let error as ImagingError {
            return .failure(ProcessingFailure(file: name, error: error.description, reason: error.code, stage: "decode", sha256: sha256))
        } catch {
            return .failure(ProcessingFailure(file: name, error: "\(error)", reason: "ocr_failed", stage: "ocr", sha256: sha256))
        }
        var problems: [String] = []
        var sidecar = given
        if sidecar == nil {
            do {
                sidecar = try Sidecar.load(besides: url)
            } catch {
                problems.append("\(error)")
            }
        }
        return .success(ReadUpload(document: document, sha256: sha256, sidecar: sidecar, problems: problems))
    }

    /// Classification, extraction and case matching of a read document (pure, fast).
    public func analyze(
        _ document: ReadDocument, file: String, sha256: String, sidecar: Sidecar?, extraReasons: [String] = []
    ) -> ProcessingResult {
        var clock = StageClock()
        let text = document.text
        let barcodes = document.pages.flatMap(\.barcodes)
        let analysis = analyzer.analyze(text: text, sidecarCase: sidecar?.caseReference, barcodes: barcodes)
        clock.lap("analyze")

        var reasons = extraReasons + analysis.reviewReasons
        for page in document.pages {
            if let confidence = page.meanConfidence, confidence < minimumOCRConfidence {
                reasons.append("page \(page.number) read with low OCR confidence (\(Int(confidence))%)")
            }
            if page.source == .ocr && page.words.isEmpty {
                reasons.append("page \(page.number): no text found")
            }
        }
        var fields: [String: String] = [:]
        for field in analysis.fields { fields[field.key] = field.value }
        let doubtful = analysis.fields.filter(\.doubtful).map(\.key).sorted()
        let timings = document.timings.merging(clock.laps) { $0 + $1 }
        return ProcessingResult(
            file: file, sha256: sha256, format: document.format.rawValue, pages: document.pages.count,
            documentClass: analysis.classification.classID, classConfidence: analysis.classification.confidence,
            fields: fields, doubtfulFields: doubtful, caseID: analysis.caseMatch.caseID,
            match: analysis.caseMatch.route.rawValue, needsReview: analysis.needsReview || !reasons.isEmpty,
            reviewReasons: reasons, sensitive: analysis.sensitive, text: text,
            timingsMs: timings.mapValues { ($0 * 10).rounded() / 10 },
            pageDetails: document.pages.map {
                .init(number: $0.number, source: $0.source.rawValue, meanConfidence: $0.meanConfidence,
                      preparation: $0.preparation, barcodes: $0.barcodes, notes: $0.notes)
            },
            analysis: analysis)
    }
}

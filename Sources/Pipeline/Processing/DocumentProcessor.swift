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

    /// Classification, extraction and case matching of a read document (pure, fast). An upload
    /// of several pages is also split into its documents (cover sheets, else content); when it
    /// holds more than one, or a cover sheet, `parts` carries each document's own result.
    public func analyze(
        _ document: ReadDocument, file: String, sha256: String, sidecar: Sidecar?, extraReasons: [String] = []
    ) -> ProcessingResult {
        var result = analyzeWhole(document, file: file, sha256: sha256, sidecar: sidecar, extraReasons: extraReasons)
        guard document.pages.count > 1 else { return result }
        var clock = StageClock()
        let split = BatchSplitter(analyzer: analyzer).split(document.pages)
        result.split = split
        if split.method != .none {
            result.parts = split.parts.enumerated().map { index, range in
                analyzePart(
                    document, range: range, number: index + 1, of: split.parts.count, file: file, sha256: sha256,
                    sidecar: sidecar, extraReasons: extraReasons)
            }
        }
        clock.lap("split")
        result.timingsMs.merge(clock.laps.mapValues { ($0 * 10).rounded() / 10 }) { $0 + $1 }
        return result
    }

    /// One document of a multi-document upload: its pages analysed on their own. A case named
    /// by its cover sheet counts like a sidecar's (after a trusted sidecar, before anything
    /// the pages say); a cover naming a case the register does not know leaves it without case.
    func analyzePart(
        _ document: ReadDocument, range: PartRange, number: Int, of count: Int, file: String, sha256: String,
        sidecar: Sidecar?, extraReasons: [String]
    ) -> ProcessingResult {
        let pages = document.pages.filter { range.pages.contains($0.number) }
        let partDocument = ReadDocument(format: document.format, pages: pages, timings: [:], preparedImages: [], archivePDF: nil)
        var reasons = extraReasons
        var effectiveSidecar = sidecar
        var coverCase: String?
        var refusal: String?
        if let cover = range.cover {
            reasons += cover.problems
            if let named = cover.caseReference {
                let sidecarCase = sidecar?.caseReference.map(CaseIdentifiers.normalizeAny)
                if let sidecarCase, sidecarCase != named {
                    refusal = "cover sheet on page \(cover.page) names case \(named) but the sidecar names \(sidecarCase)"
                } else if sidecarCase == nil {
                    if let register = analyzer.register, !register.contains(caseID: named) {
                        refusal = "cover sheet on page \(cover.page) names case \(named), which is not in the case register; check the cover sheet or update the register"
                    } else {
                        coverCase = named
                        var given = sidecar ?? Sidecar()
                        given.caseReference = named
                        effectiveSidecar = given
                    }
                }
            }
        }
        var result = analyzeWhole(partDocument, file: file, sha256: sha256, sidecar: effectiveSidecar, extraReasons: reasons)
        if let coverCase, let cover = range.cover {
            // The matcher took the cover's case through its sidecar route: say what it was.
            let said = "cover sheet on page \(cover.page) names"
            func relabel(_ text: String) -> String { text.replacingOccurrences(of: "sidecar names", with: said) }
            if result.caseID == coverCase { result.match = "cover_sheet" }
            result.reviewReasons = result.reviewReasons.map(relabel)
            result.analysis.caseMatch.reasons = result.analysis.caseMatch.reasons.map(relabel)
            result.analysis.reviewReasons = result.analysis.reviewReasons.map(relabel)
        }
        if let refusal {
            // Never a wrong case: whatever the pages say, a person decides.
            result.caseID = nil
            result.match = "none"
            result.needsReview = true
            result.reviewReasons.append(refusal)
            result.analysis.caseMatch.caseID = nil
            result.analysis.caseMatch.route = .none
            result.analysis.caseMatch.reasons.append(refusal)
        }
        if !result.reviewReasons.isEmpty { result.needsReview = true }
        result.part = PartOrigin(
            number: number, of: count, firstPage: range.firstPage, lastPage: range.lastPage, cover: range.cover,
            reason: range.reason, uploadSha256: sha256)
        return result
    }

    /// Classification, extraction and case matching of the pages as one document.
    func analyzeWhole(
        _ document: ReadDocument, file: String, sha256: String, sidecar: Sidecar?, extraReasons: [String] = []
    ) -> ProcessingResult {
        var clock = StageClock()
        let text = document.text
        let barcodes = document.pages.flatMap(\.barcodes)
        var analysis = analyzer.analyze(text: text, sidecarCase: sidecar?.caseReference, barcodes: barcodes)
        analysis.fields = ValueLocator.locate(analysis.fields, text: text, pages: document.pages)
        clock.lap("analyze")

        var reasons = extraReasons + analysis.reviewReasons
        for page in document.pages {
            reasons += page.reviewReasons.map { "Seite \(page.number): \($0)" }
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

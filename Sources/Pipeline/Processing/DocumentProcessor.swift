import Classification
import Foundation
import Imaging
import OCR
import SpoolFiles

/// The one way through the pipeline for an upload: read (decode, prepare, OCR), classify,
/// extract, split into documents, match each to a case. The daemon, `process`, `explain`,
/// `eval`, `benchmark` and `train` all come through here; what the daemon adds is its own
/// (claiming, receipts, filing, the spool).
public struct DocumentProcessor: Sendable {
    public var reader: DocumentReader
    public var analyzer: DocumentAnalyzer
    /// Below this mean OCR word confidence (0…100) a page is flagged for a person to check.
    public var minimumOCRConfidence: Float
    /// Whose sidecars may name the household.
    public var sidecarTrust: SidecarTrust

    public init(
        reader: DocumentReader = DocumentReader(), analyzer: DocumentAnalyzer, minimumOCRConfidence: Float = 55,
        sidecarTrust: SidecarTrust = .operatorsOwnFiles
    ) {
        self.reader = reader
        self.analyzer = analyzer
        self.minimumOCRConfidence = minimumOCRConfidence
        self.sidecarTrust = sidecarTrust
    }

    /// The same pipeline with other rules (a baseline, a model's fold).
    public func with(analyzer: DocumentAnalyzer) -> DocumentProcessor {
        var copy = self
        copy.analyzer = analyzer
        return copy
    }

    /// One upload as the pipeline is given it.
    public struct Upload: Sendable {
        public var file: URL
        /// How the file is named in the result.
        public var name: String
        public var sidecar: SidecarSource
        /// The file's SHA-256 when the caller already has it (else it is computed).
        public var sha256: String?
        /// With it, the OCRed pages are also written as a searchable PDF to `archiveBase + ".pdf"`.
        public var archiveBase: String?

        public init(file: URL, name: String? = nil, sidecar: SidecarSource = .besideFile, sha256: String? = nil, archiveBase: String? = nil) {
            self.file = file
            self.name = name ?? file.path
            self.sidecar = sidecar
            self.sha256 = sha256
            self.archiveBase = archiveBase
        }
    }

    /// Where an upload's sidecar comes from.
    public enum SidecarSource: Sendable {
        /// `NAME.json` beside the file, if there is one.
        case besideFile
        /// Already read (the spool reads it when it claims the upload); `problem` says why an
        /// existing one could not be used.
        case given(Sidecar?, problem: String?)
    }

    /// An upload read and analysed: the result, and the pages as read (the daemon files each
    /// part's pages from them).
    public struct Processed: Sendable {
        public var result: ProcessingResult
        public var document: ReadDocument
    }

    /// Reads and analyses one upload.
    public func process(_ upload: Upload, using pool: EnginePool) async -> Result<Processed, ProcessingFailure> {
        await read(upload, using: pool).map { read in
            Processed(
                result: analyze(read.document, file: upload.name, sha256: read.sha256, sidecar: read.sidecar, extraReasons: read.problems),
                document: read.document)
        }
    }

    /// Reads and analyses the file at `url`, its sidecar taken from beside it.
    public func process(fileAt url: URL, displayName: String? = nil, using pool: EnginePool) async -> Result<ProcessingResult, ProcessingFailure> {
        await process(Upload(file: url, name: displayName), using: pool).map(\.result)
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
    public func read(fileAt url: URL, displayName name: String, using pool: EnginePool) async -> Result<ReadUpload, ProcessingFailure> {
        await read(Upload(file: url, name: name), using: pool)
    }

    /// The expensive half of `process` for an upload.
    public func read(_ upload: Upload, using pool: EnginePool) async -> Result<ReadUpload, ProcessingFailure> {
        let name = upload.name
        let sha256: String
        if let known = upload.sha256 {
            sha256 = known
        } else {
            do {
                sha256 = SHA256Digest.hex(of: try Data(contentsOf: upload.file, options: .mappedIfSafe))
            } catch {
                return .failure(ProcessingFailure(
                    file: name, error: "cannot read the file: \(error.localizedDescription)", reason: "unreadable", stage: "read",
                    sha256: nil, retryable: true))
            }
        }
        let document: ReadDocument
        do {
            document = try await reader.read(fileAt: upload.file, archiveBase: upload.archiveBase, using: pool)
        } catch let error as ImagingError {
            // Bad input does not get better with another try.
            return .failure(ProcessingFailure(file: name, error: error.description, reason: error.code, stage: "decode", sha256: sha256))
        } catch OCRError.deadlineExceeded(let seconds) {
            // A page that outlasts the OCR deadline will do so again.
            return .failure(ProcessingFailure(
                file: name, error: OCRError.deadlineExceeded(seconds: seconds).description, reason: "ocr_timeout", stage: "ocr",
                sha256: sha256))
        } catch {
            return .failure(ProcessingFailure(file: name, error: "\(error)", reason: "ocr_failed", stage: "ocr", sha256: sha256, retryable: true))
        }
        var problems: [String] = []
        let sidecar: Sidecar?
        switch upload.sidecar {
        case .given(let given, let problem):
            sidecar = given
            if let problem { problems.append(problem) }
        case .besideFile:
            do {
                sidecar = try Sidecar.load(besides: upload.file)
            } catch {
                sidecar = nil
                problems.append(SidecarError.german(error))
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
        let claim = sidecarTrust.claim(of: sidecar)
        var result = analyzeWhole(document, file: file, sha256: sha256, claims: CaseClaims(sidecar: claim), extraReasons: extraReasons)
        guard document.pages.count > 1 else { return result }
        var clock = StageClock()
        let split = BatchSplitter(analyzer: analyzer).split(document.pages)
        result.split = split
        if split.method != .none {
            result.parts = split.parts.enumerated().map { index, range in
                analyzePart(
                    document, range: range, number: index + 1, of: split.parts.count, file: file, sha256: sha256,
                    sidecarClaim: claim, extraReasons: extraReasons)
            }
        }
        clock.lap("split")
        result.timingsMs.merge(clock.laps.mapValues { ($0 * 10).rounded() / 10 }) { $0 + $1 }
        return result
    }

    /// One document of a multi-document upload: its pages analysed on their own, with the case
    /// its cover sheet names as one more claim for the matcher.
    func analyzePart(
        _ document: ReadDocument, range: PartRange, number: Int, of count: Int, file: String, sha256: String,
        sidecarClaim: CaseClaims.SidecarClaim?, extraReasons: [String]
    ) -> ProcessingResult {
        let pages = document.pages.filter { range.pages.contains($0.number) }
        let partDocument = ReadDocument(format: document.format, pages: pages, timings: [:], preparedImages: [], archivePDF: nil)
        let cover = range.cover
        let claims = CaseClaims(
            sidecar: sidecarClaim,
            cover: cover.flatMap { cover in cover.caseReference.map { CaseClaims.CoverClaim(page: cover.page, caseID: $0) } })
        var result = analyzeWhole(
            partDocument, file: file, sha256: sha256, claims: claims, extraReasons: extraReasons + (cover?.problems ?? []))
        result.part = PartOrigin(
            number: number, of: count, firstPage: range.firstPage, lastPage: range.lastPage, cover: cover,
            reason: range.reason, uploadSha256: sha256)
        return result
    }

    /// Classification, extraction and case matching of the pages as one document.
    func analyzeWhole(
        _ document: ReadDocument, file: String, sha256: String, claims: CaseClaims, extraReasons: [String] = []
    ) -> ProcessingResult {
        var clock = StageClock()
        let text = document.text
        let barcodes = document.pages.flatMap(\.barcodes)
        var analysis = analyzer.analyze(text: text, claims: claims, barcodes: barcodes)
        analysis.fields = ValueLocator.locate(analysis.fields, text: text, pages: document.pages)
        clock.lap("analyze")

        var reasons = extraReasons + analysis.reviewReasons
        for page in document.pages {
            reasons += page.reviewReasons.map { "Seite \(page.number): \($0)" }
            if let confidence = page.meanConfidence, confidence < minimumOCRConfidence {
                reasons.append("Seite \(page.number) mit geringer Lesesicherheit gelesen (\(Int(confidence)) %)")
            }
            if page.source == .ocr && page.words.isEmpty {
                reasons.append("Seite \(page.number): kein Text gefunden")
            }
        }
        var fields: [String: String] = [:]
        for field in analysis.fields { fields[field.key] = field.value }
        let doubtful = analysis.fields.filter(\.doubtful).map(\.key).sorted()
        let timings = document.timings.merging(clock.laps) { $0 + $1 }
        return ProcessingResult(
            file: file, sha256: sha256, format: document.format.rawValue, pages: document.pages.count,
            documentClass: analysis.classification.classID, classConfidence: analysis.classification.confidence,
            fields: fields, doubtfulFields: doubtful, needsReview: analysis.needsReview || !reasons.isEmpty,
            reviewReasons: reasons, sensitive: analysis.sensitive, text: text,
            timingsMs: timings.mapValues { ($0 * 10).rounded() / 10 },
            pageDetails: document.pages.map {
                .init(number: $0.number, source: $0.source.rawValue, meanConfidence: $0.meanConfidence,
                      preparation: $0.preparation, barcodes: $0.barcodes, notes: $0.notes)
            },
            analysis: analysis)
    }
}

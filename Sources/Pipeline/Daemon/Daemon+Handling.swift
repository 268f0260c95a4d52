import Akte
import Classification
import Foundation
import Imaging
import OCR
import SpoolFiles

extension Daemon {
    /// Works one claimed upload to its end: filed (or sent to review), retried later, or
    /// quarantined. Order matters for crash safety: the attempt is counted before the work,
    /// the original is stored before the record, and the spool file is removed last.
    func handle(_ upload: ClaimedUpload, worker: Int, pool: EnginePool) async {
        if let refusal = upload.refusal {
            // A link, a non-file or an unsafe name: set aside without opening it.
            quarantine(upload, sha256: "", tries: 0, stage: "spool", code: refusal.code, reason: refusal.reason)
            return
        }
        let tries: Int
        do {
            // With one worker everything is alone in hand; with more, only what the scheduler
            // hands out on its own after a crash (see `UploadScheduler.recover`).
            tries = try spool.recordAttempt(upload, alone: upload.alone || options.workers == 1)
        } catch {
            log.log("spool_error", level: "error", ["file": .string(upload.originalName), "reason": .string("\(error)")])
            await scheduler.retryLater(upload, after: 5)
            return
        }
        let sha256 = (try? SHA256Digest.hex(ofFileAt: upload.file)) ?? ""
        do {
            try akte.recordReceived(
                uploadID: upload.uploadID, sha256: sha256, filename: upload.originalName,
                channel: upload.sidecar?.channel ?? "spool", receivedAt: upload.receivedAt,
                submitter: upload.sidecar?.submitter, note: upload.sidecar?.note)
        } catch {
            log.log("store_error", level: "error", ["file": .string(upload.originalName), "reason": .string("\(error)")])
            await retryOrQuarantine(upload, sha256: sha256, tries: tries, stage: "store", error: "\(error)")
            return
        }
        if tries > options.maxTries {
            // Earlier tries ended with the process itself (crash, kill) while this upload was
            // alone in hand: it stopped the service itself, so do not try again.
            quarantine(upload, sha256: sha256, tries: tries - 1, stage: "unknown",
                       code: "crashed_repeatedly",
                       reason: "processing stopped \(tries - 1) times without finishing; set aside so that it cannot stop the service again")
            return
        }
        do {
            try akte.markProcessing(uploadID: upload.uploadID)
        } catch {
            await retryOrQuarantine(upload, sha256: sha256, tries: tries, stage: "store", error: "\(error)")
            return
        }

        switch await readAndFile(upload, sha256: sha256, worker: worker, pool: pool) {
        case .filed:
            spool.finish(upload)
        case .retry(let stage, let error), .databaseAway(let stage, let error):
            await retryOrQuarantine(upload, sha256: sha256, tries: tries, stage: stage, error: error)
        case .refused(let stage, let code, let reason):
            quarantine(upload, sha256: sha256, tries: tries, stage: stage, code: code, reason: reason)
        case .blobStoreAway(let failure):
            // The blob store is away (an object store restarting): not the file's fault, so the
            // try does not count; the upload waits and comes back, however long that takes.
            spool.forgetAttempt(upload)
            logBlobStoreAway(upload, failure)
            await scheduler.retryLater(upload, after: 5)
        }
    }

    func logBlobStoreAway(_ upload: ClaimedUpload, _ failure: any BlobStoreFailure) {
        log.log("blob_store_unavailable", level: "warning", [
            "file": .string(upload.originalName), "upload_id": .string(upload.uploadID), "reason": .string(failure.description),
            "retry_in_s": .number(5),
        ])
    }

    /// How one try at an upload ended, wherever it came from (the spool or the shared queue).
    enum TryEnd {
        /// Filed (or sent to review), every part of it; the store ended it.
        case filed
        /// A failure that may pass: try again later, counted against the file.
        case retry(stage: String, error: String)
        /// Refused for good with one of the refusal codes (`unsupported_format`, `changed_while_read` …).
        case refused(stage: String, code: String, reason: String)
        /// The blob store did not answer: not the file's fault.
        case blobStoreAway(any BlobStoreFailure)
        /// The database was away (restarting, unreachable): not the file's fault.
        case databaseAway(stage: String, error: String)
    }

    /// Reads an upload already recorded as received and files what it holds. The original is
    /// stored before the record that names it.
    func readAndFile(_ upload: ClaimedUpload, sha256: String, worker: Int, pool: EnginePool) async -> TryEnd {
        let archiveBase = directory.processScratch.appendingPathComponent(upload.uploadID + ".archive").path
        defer { try? FileManager.default.removeItem(atPath: archiveBase + ".pdf") }
        let processed: DocumentProcessor.Processed
        switch await processor().process(
            DocumentProcessor.Upload(
                file: upload.file, name: upload.originalName, sidecar: .given(upload.sidecar, problem: upload.sidecarProblem),
                sha256: sha256, archiveBase: archiveBase),
            using: pool)
        {
        case .success(let value):
            processed = value
        case .failure(let failure) where failure.retryable:
            return .retry(stage: failure.stage, error: failure.error)
        case .failure(let failure):
            return .refused(stage: failure.stage, code: failure.reason, reason: failure.error)
        }
        let (result, document) = (processed.result, processed.document)
        do {
            let originalSha = try await blobs.put(fileAt: upload.file)
            if originalSha != sha256 || (upload.identity != nil && FileIdentity.of(upload.file.path)?.0 != upload.identity) {
                // Someone still wrote to the file while it was read: what was read is not what
                // would be stored. Never file a mixture.
                return .refused(
                    stage: "filing", code: "changed_while_read",
                    reason: "the file changed while it was being read; deliver it complete (write NAME.part, then rename)")
            }
            if let parts = result.parts, !parts.isEmpty {
                try await fileParts(parts, split: result.split, document: document, upload: upload, sha256: sha256, worker: worker)
                return .filed
            }
            var archiveSha: String?
            if let archive = document.archivePDF { archiveSha = try await blobs.put(fileAt: archive) }
            let outcome = try akte.file(
                newDocument(result, upload: upload, sha256: originalSha, archiveSha: archiveSha, pageTexts: [], worker: worker))
            logFiled(result, outcome: outcome, upload: upload, sha256: sha256)
            return .filed
        } catch let failure as any BlobStoreFailure {
            return .blobStoreAway(failure)
        } catch where AkteError.isDatabaseOutage(error) {
            return .databaseAway(stage: "filing", error: "\(error)")
        } catch {
            return .retry(stage: "filing", error: "\(error)")
        }
    }

    /// Files each document of a multi-document upload on its own: the original is stored once
    /// (already done by the caller); each part gets its own PDF of its pages (the searchable
    /// archive's pages where OCR read them, the original's pages where a PDF had a text layer).
    private func fileParts(
        _ parts: [ProcessingResult], split: SplitDecision?, document: ReadDocument, upload: ClaimedUpload, sha256: String,
        worker: Int
    ) async throws {
        let ocrPages = document.pages.filter { $0.source == .ocr }.map(\.number)
        func pdfPage(_ number: Int) throws -> PDFPages.Page {
            if let index = ocrPages.firstIndex(of: number), let archive = document.archivePDF {
                return PDFPages.Page(source: archive, page: index + 1)
            }
            if document.format == .pdf { return PDFPages.Page(source: upload.file, page: number) }
            throw ImagingError.internalFailure(operation: "find page \(number) of \(upload.originalName) for its part's PDF")
        }
        var newParts: [NewPart] = []
        for part in parts {
            guard let origin = part.part else { continue }
            let partPDF = directory.processScratch.appendingPathComponent("\(upload.uploadID).part\(origin.number).pdf")
            defer { try? FileManager.default.removeItem(at: partPDF) }
            try PDFPages().write(try (origin.firstPage...origin.lastPage).map(pdfPage), to: partPDF, scratch: directory.processScratch)
            let partSha = try await blobs.put(fileAt: partPDF)
            let pageTexts = document.pages.filter { (origin.firstPage...origin.lastPage).contains($0.number) }.map(\.text)
            var filed = newDocument(part, upload: upload, sha256: partSha, archiveSha: partSha, pageTexts: pageTexts, worker: worker)
            filed.format = "pdf"
            newParts.append(
                NewPart(
                    document: filed, number: origin.number, firstPage: origin.firstPage, lastPage: origin.lastPage,
                    coverPage: origin.cover?.page, coverPayload: origin.cover?.payload, reason: origin.reason))
        }
        let outcomes = try akte.fileParts(
            uploadID: upload.uploadID, uploadSha256: sha256, filename: upload.originalName,
            channel: upload.sidecar?.channel ?? "spool", receivedAt: upload.receivedAt,
            method: split?.method.rawValue ?? "content", parts: newParts, actor: "worker-\(worker)")
        for (part, outcome) in zip(parts, outcomes) {
            logFiled(part, outcome: outcome, upload: upload, sha256: sha256)
        }
    }

    /// The pipeline as configured now: decoding within the daemon's limits (in a child process
    /// unless switched off), the current rules, sidecars believed from trusted channels only.
    func processor() -> DocumentProcessor {
        let isolation = options.isolateDecoding ? DecoderIsolation(workDirectory: directory.processScratch) : nil
        let reader = DocumentReader(decoder: DocumentDecoder(
            limits: options.limits, isolation: isolation, threads: DocumentDecoder.threadShare(workers: options.workers)))
        return DocumentProcessor(
            reader: reader, analyzer: configuration.analyzer, sidecarTrust: SidecarTrust(trustedChannels: options.trustedChannels))
    }

    /// The record the E-Akte files for a result.
    func newDocument(
        _ result: ProcessingResult, upload: ClaimedUpload, sha256: String, archiveSha: String?, pageTexts: [String], worker: Int
    ) -> NewDocument {
        let details = String(decoding: (try? JSONEncoder().encode(result.analysis)) ?? Data(), as: UTF8.self)
        return NewDocument(
            uploadID: upload.uploadID, sha256: sha256, originalFilename: upload.originalName,
            channel: upload.sidecar?.channel ?? "spool", receivedAt: upload.receivedAt,
            documentClass: result.documentClass, classConfidence: result.classConfidence,
            status: result.needsReview ? .needsReview : .filed, caseID: result.caseID,
            pageCount: result.pages, pageTexts: pageTexts,
            fields: result.analysis.fields.map {
                NewField(key: $0.key, value: $0.value, doubtful: $0.doubtful, reason: $0.reason)
            },
            text: result.text, reviewReasons: result.reviewReasons, sensitive: result.sensitive,
            archivePDFSha256: archiveSha, format: result.format, detailsJSON: details,
            actor: "worker-\(worker)")
    }

    func logFiled(_ result: ProcessingResult, outcome: FilingOutcome, upload: ClaimedUpload, sha256: String) {
        let outcomeName: String
        switch outcome {
        case .filed: outcomeName = result.needsReview ? "needs_review" : "filed"
        case .duplicate, .alreadyFiled: outcomeName = "duplicate"
        }
        metrics.documentFinished(outcome: outcomeName, timingsMs: result.timingsMs)
        var fields: [String: JSONValue] = [
            "file": .string(upload.originalName), "upload_id": .string(upload.uploadID), "sha256": .string(sha256),
            "class": .string(result.documentClass), "case": .optional(result.caseID), "match": .string(result.match),
            "needs_review": .bool(result.needsReview), "outcome": .string(outcomeName),
            "document_id": .string(outcome.documentID), "timings_ms": .object(result.timingsMs.mapValues { .number($0) }),
        ]
        if let part = result.part {
            fields["part"] = .string("\(part.number) of \(part.of)")
            fields["pages"] = .string("\(part.firstPage)-\(part.lastPage)")
        }
        log.log("document", fields)
    }

    func retryOrQuarantine(_ upload: ClaimedUpload, sha256: String, tries: Int, stage: String, error: String) async {
        if tries >= options.maxTries {
            quarantine(upload, sha256: sha256, tries: tries, stage: stage, code: "failed_repeatedly", reason: error)
        } else {
            spool.endAttempt(upload)
            log.log("retry", level: "warning", ["file": .string(upload.originalName), "stage": .string(stage), "reason": .string(error), "try": .number(Double(tries))])
            await scheduler.retryLater(upload, after: Double(tries) * 2)
        }
    }

    func quarantine(_ upload: ClaimedUpload, sha256: String, tries: Int, stage: String, code: String, reason: String) {
        let record = QuarantineRecord(
            file: upload.originalName, uploadID: upload.uploadID, reason: reason, code: code, stage: stage,
            time: Date(), tries: tries, sha256: sha256.isEmpty ? nil : sha256)
        do {
            try spool.quarantine(upload, record: record)
        } catch {
            log.log("quarantine_failed", level: "error", ["file": .string(upload.originalName), "reason": .string("\(error)")])
        }
        try? akte.recordRefused(
            uploadID: upload.uploadID, sha256: sha256, filename: upload.originalName,
            channel: upload.sidecar?.channel ?? "spool", receivedAt: upload.receivedAt, reason: reason, stage: stage)
        metrics.documentFinished(outcome: "quarantined", timingsMs: [:])
        log.log("quarantined", level: "warning", [
            "file": .string(upload.originalName), "upload_id": .string(upload.uploadID), "sha256": .string(sha256),
            "stage": .string(stage), "code": .string(code), "reason": .string(reason),
        ])
    }
}

import Akte
import Classification
import Foundation
import Imaging
import OCR

/// OCR text kept by the SHA-256 of the file it was read from, so that training again does not
/// read every document again (reading is the slow part). Clear it (or pass
/// `train --no-text-cache`) after changing how documents are read.
public struct OCRTextCache: Sendable {
    public let root: URL
    /// Part of every key: bump it when reading changes in a way that changes the text.
    public static let readerVersion = "reader-1"

    public init(root: URL) {
        self.root = root
    }

    private func url(_ sha256: String) -> URL {
        root.appendingPathComponent("\(sha256)-\(Self.readerVersion).txt")
    }

    public func text(sha256: String) -> String? {
        try? String(contentsOf: url(sha256), encoding: .utf8)
    }

    public func store(_ text: String, sha256: String) {
        try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try? Data(text.utf8).write(to: url(sha256), options: .atomic)
    }
}

/// Where training examples come from: a labelled folder (read the way the pipeline reads at
/// run time) and caseworkers' class corrections in the E-Akte.
public enum TrainingSamples {
    /// One example per readable document of `records` (class from the truth, text from OCR or
    /// the PDF text layer exactly as `process` sees it). Unreadable files are listed, not fatal.
    public static func fromFolder(
        _ folder: URL, records: [TruthRecord], processor: DocumentProcessor, cache: OCRTextCache?, using pool: EnginePool
    ) async -> (samples: [LabeledText], failures: [String]) {
        let results = await withTaskGroup(of: (Int, Result<String, ProcessingFailure>).self) { group in
            var next = 0
            var collected: [(Int, Result<String, ProcessingFailure>)] = []
            func addNext() {
                guard next < records.count else { return }
                let index = next, record = records[index]
                next += 1
                group.addTask { (index, await text(of: record, in: folder, processor: processor, cache: cache, pool: pool)) }
            }
            for _ in 0..<max(pool.size, 1) { addNext() }
            for await result in group {
                collected.append(result)
                addNext()
            }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var samples: [LabeledText] = []
        var failures: [String] = []
        for (record, result) in zip(records, results) {
            switch result {
            case .success(let text): samples.append(LabeledText(label: record.documentClass, text: text, origin: record.file))
            case .failure(let failure): failures.append("\(record.file): \(failure.error)")
            }
        }
        return (samples, failures)
    }

    private static func text(
        of record: TruthRecord, in folder: URL, processor: DocumentProcessor, cache: OCRTextCache?, pool: EnginePool
    ) async -> Result<String, ProcessingFailure> {
        let url = folder.appendingPathComponent(record.file)
        let sha256 = (try? Data(contentsOf: url, options: .mappedIfSafe)).map { SHA256Digest.hex(of: $0) }
        if let cache, let sha256, let text = cache.text(sha256: sha256) { return .success(text) }
        return await processor.read(fileAt: url, displayName: record.file, using: pool).map { upload in
            cache?.store(upload.document.text, sha256: upload.sha256)
            return upload.document.text
        }
    }

    /// One example per document whose class a caseworker corrected: the class that holds now
    /// (the latest correction) and the stored text. Each document is opened as `viewer`
    /// (audited). Corrections before `since` are ignored.
    public static func fromCorrections(store: any AkteStore, since: Date? = nil, viewer: String) throws -> [LabeledText] {
        var seen = Set<String>()
        var samples: [LabeledText] = []
        for correction in try store.corrections(since: since) where correction.kind == .documentClass {
            guard seen.insert(correction.documentID).inserted else { continue }
            let document = try store.document(id: correction.documentID, viewer: viewer)
            guard !document.text.isEmpty else { continue }
            samples.append(
                LabeledText(label: document.effective.documentClass, text: document.text, origin: "document \(document.id)"))
        }
        return samples
    }
}

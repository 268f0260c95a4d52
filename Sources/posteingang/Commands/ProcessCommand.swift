import ArgumentParser
import Classification
import Foundation
import OCR
import Pipeline

/// `posteingang process FILE…`: the whole path, one-shot, no daemon.
struct ProcessCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Read, classify, extract and match each file; print the result.",
        discussion: "With --json, one JSON object per input (JSON Lines). Unreadable inputs give an object with \"error\"; the exit status is then 1, after all inputs ran.")

    @OptionGroup var options: PipelineOptions
    @Flag(help: "Print JSON Lines instead of a summary per file.") var json = false
    @Flag(help: "Leave the OCR text out of the JSON.") var noText = false
    @Argument(help: "Files to process (JPEG, PNG, TIFF, WebP, HEIC, PDF).") var files: [String]

    func execute() async throws {
        let configuration = try options.loadConfiguration()
        let register = try options.loadRegister()
        let pool = try options.makePool()
        defer { pool.shutdown() }
        let processor = DocumentProcessor(
            analyzer: DocumentAnalyzer(configuration: configuration, register: register).with(model: try options.loadModel())
                .with(fieldLocations: try options.loadFieldLocations()))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]

        // All files in flight up to the pool size, printed in the order given.
        let outcomes = await withTaskGroup(of: (Int, Result<ProcessingResult, ProcessingFailure>).self) { group in
            var next = 0
            var results: [Int: Result<ProcessingResult, ProcessingFailure>] = [:]
            var printed = 0
            func addNext() {
                guard next < files.count else { return }
                let index = next
                next += 1
                group.addTask {
                    (index, await processor.process(fileAt: URL(fileURLWithPath: files[index]), displayName: files[index], using: pool))
                }
            }
            for _ in 0..<pool.size { addNext() }
            var failures = 0
            for await (index, outcome) in group {
                results[index] = outcome
                addNext()
                while let ready = results.removeValue(forKey: printed) {
                    if case .failure = ready { failures += 1 }
                    emit(ready, encoder: encoder)
                    printed += 1
                }
            }
            return failures
        }
        if outcomes > 0 { throw ExitCode(1) }
    }

    private func emit(_ outcome: Result<ProcessingResult, ProcessingFailure>, encoder: JSONEncoder) {
        switch outcome {
        case .success(var result):
            if json {
                if noText { result.text = "" }
                print(String(decoding: (try? encoder.encode(result)) ?? Data(), as: UTF8.self))
            } else {
                print(Self.summary(result))
            }
        case .failure(let failure):
            if json {
                print(String(decoding: (try? encoder.encode(failure)) ?? Data(), as: UTF8.self))
            } else {
                FileHandle.standardError.write(Data("\(failure.file): error: \(failure.error)\n".utf8))
            }
        }
    }

    static func summary(_ r: ProcessingResult) -> String {
        var lines = ["\(r.file): \(r.documentClass) (\(String(format: "%.0f%%", r.classConfidence * 100))), \(r.pages) page(s), case \(r.caseID ?? "none") via \(r.match)"]
        for key in r.fields.keys.sorted() {
            lines.append("  \(key): \(r.fields[key]!)\(r.doubtfulFields.contains(key) ? "  (doubtful)" : "")")
        }
        if r.needsReview {
            lines.append("  needs review: " + r.reviewReasons.joined(separator: "; "))
        }
        for part in r.parts ?? [] {
            guard let origin = part.part else { continue }
            lines.append(
                "  part \(origin.number) of \(origin.of), pages \(origin.firstPage)-\(origin.lastPage): \(part.documentClass), case \(part.caseID ?? "none") via \(part.match)"
                    + (part.needsReview ? "; needs review: " + part.reviewReasons.joined(separator: "; ") : ""))
        }
        return lines.joined(separator: "\n")
    }
}

import ArgumentParser
import Foundation
import Imaging
import OCR
import Pipeline

/// `posteingang read FILE…`: decode, straighten and OCR, print the text (no classification).
struct ReadCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "read", abstract: "Print the text read from each file (decode, prepare, OCR).")

    @Argument(help: "Files to read.") var files: [String]
    @Flag(help: "Print the preparation steps and timings too.") var verbose = false
    @Option(help: "Write the straightened page images (PNG) that OCR saw into this folder.") var savePages: String?
    @Option(
        name: .customLong("option"),
        help: ArgumentHelp(
            "Switch a step of the page's reading for a measurement, NAME=VALUE (repeatable).",
            discussion: ReadingOptions.names.map { "\($0.name): \($0.meaning)" }.joined(separator: "\n")))
    var options: [String] = []

    func validate() throws {
        _ = try readingOptions()
    }

    private func readingOptions() throws -> ReadingOptions {
        var reading = ReadingOptions()
        for option in options {
            do {
                try reading.set(option)
            } catch {
                throw ValidationError(error.description)
            }
        }
        return reading
    }

    func execute() async throws {
        let reading = try readingOptions()
        let pool = try EnginePool(size: 1, steps: reading.recognition)
        defer { pool.shutdown() }
        var failed = false
        for file in files {
            do {
                let reader = DocumentReader(
                    preparer: PagePreparer(targetTextHeight: reading.targetTextHeight), keepPreparedImages: savePages != nil)
                let document = try await reader.read(fileAt: URL(fileURLWithPath: file), using: pool)
                if let savePages {
                    let folder = URL(fileURLWithPath: savePages, isDirectory: true)
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
                    for (index, image) in document.preparedImages.enumerated() {
                        try image.pngData().write(to: folder.appendingPathComponent("\(stem)-page\(index + 1).png"))
                    }
                }
                print("== \(file) (\(document.format.rawValue), \(document.pages.count) pages)")
                if verbose {
                    for page in document.pages {
                        print("-- page \(page.number) \(page.source.rawValue) \(page.notes) \(String(describing: page.preparation)) codes=\(page.barcodes)")
                    }
                    print("-- timings \(document.timings)")
                }
                print(document.text)
            } catch {
                failed = true
                FileHandle.standardError.write(Data("\(file): \(error)\n".utf8))
            }
        }
        if failed { throw ExitCode(1) }
    }
}

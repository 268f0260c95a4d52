import ArgumentParser
import Foundation
import OCR
import Pipeline

/// `posteingang read FILE…`: decode, straighten and OCR, print the text (no classification).
struct ReadCommand: AsyncSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "read", abstract: "Print the text read from each file (decode, prepare, OCR).")

    @Argument(help: "Files to read.") var files: [String]
    @Flag(help: "Print the preparation steps and timings too.") var verbose = false

    func execute() async throws {
        let pool = try EnginePool(size: 1)
        defer { pool.shutdown() }
        var failed = false
        for file in files {
            do {
                let document = try await DocumentReader().read(fileAt: URL(fileURLWithPath: file), using: pool)
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

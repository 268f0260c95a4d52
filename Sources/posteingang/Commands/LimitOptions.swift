import ArgumentParser
import Foundation
import Imaging

/// The limits checked before expensive work, as options of the commands that decode uploads.
struct LimitOptions: ParsableArguments {
    @Option(help: "Largest accepted upload, in MiB.") var maxFileMib: Int = 100
    @Option(help: "Largest accepted page, in megapixels (read from the header before decoding).") var maxMegapixels: Int = 50
    @Option(help: "Most pages one upload may have.") var maxPages: Int = 200
    @Option(help: "Most memory the decoded pages of one upload may take, in MiB.") var maxDecodedMib: Int = 1024
    @Option(help: "Seconds decoding one upload may take (isolated decoder; wall clock and CPU).") var decodeTimeout: Double = 120
    @Option(help: "Seconds a PDF helper tool (pdfinfo, pdftotext, pdftoppm) may take.") var pdfToolTimeout: Double = 60
    @Option(help: "Seconds OCR may take for one page (Tesseract's own monitor).") var ocrTimeout: Double = 120

    func validate() throws {
        guard maxFileMib > 0, maxMegapixels > 0, maxPages > 0, maxDecodedMib > 0 else {
            throw ValidationError("--max-file-mib, --max-megapixels, --max-pages and --max-decoded-mib must be positive")
        }
        guard decodeTimeout > 0, pdfToolTimeout > 0, ocrTimeout > 0 else {
            throw ValidationError("--decode-timeout, --pdf-tool-timeout and --ocr-timeout must be positive seconds")
        }
    }

    var limits: DecodeLimits {
        DecodeLimits(
            maxBytes: maxFileMib * 1024 * 1024, maxPixelsPerPage: maxMegapixels * 1_000_000, maxPages: maxPages,
            pdfToolTimeout: pdfToolTimeout, maxDecodedBytes: maxDecodedMib * 1024 * 1024, decodeTimeout: decodeTimeout)
    }
}

import CLeptonica
import Foundation

/// Reads PDFs with poppler's command-line tools in child processes: pages that carry a text
/// layer are taken as text (no OCR); the others are rendered to grey images for OCR.
struct PDFDecoder {
    let limits: DecodeLimits
    /// A page counts as born-digital when its text layer holds at least this many letters or digits.
    static let minimumTextLayerCharacters = 40

    func decode(fileAt path: String) throws -> [DecodedPage] {
        let runner = ToolRunner(timeout: limits.pdfToolTimeout)
        let info = try runner.run("pdfinfo", ["-f", "1", "-l", String(limits.maxPages), path])
        guard info.status == 0 else {
            throw ImagingError.corrupt(format: "PDF", detail: Self.firstLine(info.stderr, or: "pdfinfo could not parse it"))
        }
        let summary = String(decoding: info.stdout, as: UTF8.self)
        let pageCount = Self.pageCount(in: summary)
        guard pageCount > 0 else { throw ImagingError.corrupt(format: "PDF", detail: "no pages") }
        if pageCount > limits.maxPages { throw ImagingError.tooManyPages(pages: pageCount, limit: limits.maxPages) }
        let sizes = Self.pageSizes(in: summary)

        // The text layer of all pages in one run (pages end with a form feed).
        let text = try runner.run("pdftotext", ["-f", "1", "-l", "\(pageCount)", "-layout", "-enc", "UTF-8", path, "-"])
        let layers = text.status == 0
            ? String(decoding: text.stdout, as: UTF8.self).components(separatedBy: "\u{0C}") : []
        var pages: [DecodedPage] = []
        var decodedBytes = 0
        for number in 1...pageCount {
            let layer = number <= layers.count ? layers[number - 1] : ""
            if layer.unicodeScalars.filter({ CharacterSet.alphanumerics.contains($0) }).count >= Self.minimumTextLayerCharacters {
                pages.append(DecodedPage(number: number, content: .text(layer), notes: ["PDF text layer used, no OCR"]))
                continue
            }
            // Rendered as raw grey PGM: no PNG compression on either side of the pipe.
            let dpi = try renderResolution(page: number, sizeInPoints: sizes[number])
            if let (w, h) = sizes[number] {
                try limits.account(pixels: Self.pixelCount(w, dpi: dpi) * Self.pixelCount(h, dpi: dpi), bytesPerPixel: 1, into: &decodedBytes)
            }
            let rendered = try runner.run("pdftoppm", ["-f", "\(number)", "-l", "\(number)", "-r", "\(dpi)", "-gray", path])
            guard rendered.status == 0, !rendered.stdout.isEmpty else {
                throw ImagingError.corrupt(format: "PDF", detail: "page \(number) could not be rendered: " + Self.firstLine(rendered.stderr, or: "no output"))
            }
            let pix = Self.greyPGM(rendered.stdout) ?? rendered.stdout.withUnsafeBytes { raw in
                pixReadMem(raw.bindMemory(to: UInt8.self).baseAddress, raw.count)
            }
            guard let pix else { throw ImagingError.corrupt(format: "PDF", detail: "page \(number) rendered to an unreadable image") }
            pixSetResolution(pix, Int32(dpi), Int32(dpi))
            pages.append(DecodedPage(number: number, content: .image(PageImage(owning: pix)), notes: ["PDF page rendered at \(dpi) dpi"]))
        }
        return pages
    }

    /// A binary grey PGM with 8-bit samples (`P5`, maxval 255: what `pdftoppm -gray` writes) into
    /// an 8 bpp page by copying whole rows; nil for any other PNM, which Leptonica then reads.
    /// Leptonica's PNM reader takes each sample on its own (~50 ms for a 300 dpi A4 page).
    static func greyPGM(_ data: Data) -> UnsafeMutablePointer<PIX>? {
        data.withUnsafeBytes { raw -> UnsafeMutablePointer<PIX>? in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard bytes.count > 2, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "5") else { return nil }
            // Header: "P5", then width, height and maxval as decimal numbers separated by
            // whitespace (comments from '#' to the line's end), then one whitespace byte.
            var at = 2
            var numbers: [Int] = []
            while numbers.count < 3 {
                while at < bytes.count, bytes[at] == UInt8(ascii: "#") || isspace(Int32(bytes[at])) != 0 {
                    if bytes[at] == UInt8(ascii: "#") {
                        while at < bytes.count, bytes[at] != UInt8(ascii: "\n") { at += 1 }
                    } else {
                        at += 1
                    }
                }
                var value = 0, digits = 0
                while at < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]), digits < 8 {
                    value = value * 10 + Int(bytes[at] - UInt8(ascii: "0"))
                    at += 1
                    digits += 1
                }
                guard digits > 0 else { return nil }
                numbers.append(value)
            }
            guard at < bytes.count, isspace(Int32(bytes[at])) != 0 else { return nil }
            at += 1
            let (width, height) = (numbers[0], numbers[1])
            guard numbers[2] == 255, width > 0, height > 0, bytes.count - at >= width * height,
                  let pix = pixCreate(Int32(width), Int32(height), 8), let words = pixGetData(pix)
            else { return nil }
            let target = UnsafeMutableRawPointer(words)
            let rowBytes = Int(pixGetWpl(pix)) * 4
            for row in 0..<height {
                (target + row * rowBytes).copyMemory(from: raw.baseAddress! + at + row * width, byteCount: width)
            }
            pixEndianByteSwap(pix)
            return pix
        }
    }

    /// The configured resolution, lowered (not below 100 dpi) when the page is so large that it
    /// would pass the pixel limit; beyond that the page is refused.
    private func renderResolution(page: Int, sizeInPoints: (Double, Double)?) throws -> Int {
        guard let (w, h) = sizeInPoints else { return limits.pdfRenderDPI }
        var dpi = limits.pdfRenderDPI
        func pixels(_ dpi: Int) -> (Int, Int) { (Self.pixelCount(w, dpi: dpi), Self.pixelCount(h, dpi: dpi)) }
        while dpi > 100, pixels(dpi).0 * pixels(dpi).1 > limits.maxPixelsPerPage { dpi -= 25 }
        let (pw, ph) = pixels(dpi)
        try limits.checkPixels(page: page, width: max(pw, 1), height: max(ph, 1))
        return dpi
    }

    /// Points to pixels at `dpi`, clamped so that an absurd page size (a hostile MediaBox of
    /// 1e30 points) cannot overflow the conversion; such a page then fails the pixel limit.
    static func pixelCount(_ points: Double, dpi: Int) -> Int {
        let value = points / 72 * Double(dpi)
        guard value.isFinite, value > 0 else { return 0 }
        return Int(min(value, 1_000_000_000))
    }

    static func pageCount(in summary: String) -> Int {
        for line in summary.split(separator: "\n") where line.hasPrefix("Pages:") {
            return Int(line.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        return 0
    }

    /// Parses lines like `Page    1 size: 595.276 x 841.89 pts (A4)`.
    static func pageSizes(in summary: String) -> [Int: (Double, Double)] {
        var sizes: [Int: (Double, Double)] = [:]
        for line in summary.split(separator: "\n") where line.hasPrefix("Page ") && line.contains(" size: ") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 6, let number = Int(parts[1]), let w = Double(parts[3]), let h = Double(parts[5]) else { continue }
            sizes[number] = (w, h)
        }
        return sizes
    }

    private static func firstLine(_ text: String, or fallback: String) -> String {
        let line = text.split(separator: "\n").first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        return line.isEmpty ? fallback : line
    }
}

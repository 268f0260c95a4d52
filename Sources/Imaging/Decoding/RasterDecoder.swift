import CLeptonica
import Foundation

/// Decodes PNG, WebP and (multi-page) TIFF with Leptonica and JPEG with libjpeg
/// (`JPEGDecoder`), checking the declared size in the header before any pixels are allocated.
struct RasterDecoder {
    let limits: DecodeLimits

    func decode(_ data: Data, format: FileFormat) throws -> [DecodedPage] {
        Leptonica.silence()
        return try data.withUnsafeBytes { raw -> [DecodedPage] in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { throw ImagingError.emptyFile }
            if format == .tiff {
                return try decodeTIFF(base, count: raw.count)
            }
            var leptFormat: Int32 = 0, width: Int32 = 0, height: Int32 = 0
            var bps: Int32 = 0, spp: Int32 = 0, cmap: Int32 = 0
            guard pixReadHeaderMem(base, raw.count, &leptFormat, &width, &height, &bps, &spp, &cmap) == 0 else {
                throw ImagingError.corrupt(format: format.rawValue.uppercased(), detail: "unreadable header")
            }
            try limits.checkPixels(page: 1, width: Int(width), height: Int(height))
            // A photo far above the resolution OCR needs is decoded at a half or a quarter of
            // its size by libjpeg's DCT scaling: a quarter or a sixteenth of the pixels to
            // decode, convert, search and hold (peak memory), with no resampling pass of ours.
            let reduction = format == .jpeg ? Self.jpegReduction(width: Int(width), height: Int(height)) : 1
            // JPEGs are decoded straight to grey from the luminance channel (what preparation
            // would compute from RGB anyway): no chroma upsampling or colour conversion, a
            // quarter of the memory, and the EXIF turn moves a quarter of the bytes.
            var page: PageImage
            var notes: [String] = []
            var review: [String] = []
            if format == .jpeg {
                let jpeg = try JPEGDecoder.decode(base, count: raw.count, reduction: reduction)
                page = jpeg.image
                notes = jpeg.notes
                review = jpeg.reviewReasons
            } else {
                guard let pix = pixReadMem(base, raw.count) else {
                    throw ImagingError.corrupt(format: format.rawValue.uppercased(), detail: "image data could not be decoded")
                }
                page = try Self.flattened(PageImage(owning: pix), notes: &notes)
            }
            if reduction > 1 {
                notes.append("decoded at 1/\(reduction) size (\(width)x\(height) -> \(page.width)x\(page.height))")
            }
            if format == .jpeg, let orientation = EXIFOrientation.read(fromJPEG: data), orientation != .up {
                page = try Orientation.apply(orientation, to: page)
                notes.append("EXIF orientation \(orientation.rawValue) applied")
            }
            return [DecodedPage(number: 1, content: .image(page), notes: notes, reviewReasons: review)]
        }
    }

    /// Longest side a JPEG keeps after reduced decoding. The photo fixtures (5–9 MP, 2600–3200 px)
    /// read best decoded whole: their text is 14–22 px high and is enlarged to the target. A
    /// photo of twice that size or more (from ~27 MP) is decoded at a half or a quarter, so
    /// that at least this many pixels remain along its longer side.
    static let reducedLongSide = 3000

    /// 1, 2 or 4: the libjpeg reduction for a JPEG of this size.
    static func jpegReduction(width: Int, height: Int) -> Int {
        let longSide = max(width, height)
        if longSide >= 4 * reducedLongSide { return 4 }
        return longSide >= 2 * reducedLongSide ? 2 : 1
    }

    /// An image with an alpha channel (PNG and WebP screenshots, PNG palettes with tRNS, TIFF
    /// with extra samples) laid onto white paper: transparent parts are white, as the page looks
    /// on screen, not the black that their stored colour usually is. Without this, grey
    /// conversion ignores alpha and the transparent background becomes black paper.
    static func flattened(_ page: PageImage, notes: inout [String]) throws -> PageImage {
        guard pixGetDepth(page.pix) == 32, pixGetSpp(page.pix) == 4 else { return page }
        guard let white = pixAlphaBlendUniform(page.pix, 0xFFFF_FF00) else {
            throw ImagingError.internalFailure(operation: "lay a transparent image onto white")
        }
        pixCopyResolution(white, page.pix)
        notes.append("transparency laid onto white")
        return PageImage(owning: white)
    }

    private func decodeTIFF(_ base: UnsafePointer<UInt8>, count: Int) throws -> [DecodedPage] {
        let pageCount = try tiffPageCount(base, count: count)
        guard pageCount > 0 else { throw ImagingError.corrupt(format: "TIFF", detail: "no pages") }
        if pageCount > limits.maxPages { throw ImagingError.tooManyPages(pages: pageCount, limit: limits.maxPages) }
        var pages: [DecodedPage] = []
        var decodedBytes = 0
        for index in 0..<pageCount {
            var width: Int32 = 0, height: Int32 = 0, bps: Int32 = 0, spp: Int32 = 0
            var res: Int32 = 0, cmap: Int32 = 0, fmt: Int32 = 0
            guard readHeaderMemTiff(base, count, Int32(index), &width, &height, &bps, &spp, &res, &cmap, &fmt) == 0 else {
                throw ImagingError.corrupt(format: "TIFF", detail: "page \(index + 1) has an unreadable header")
            }
            try limits.checkPixels(page: index + 1, width: Int(width), height: Int(height))
            try limits.account(pixels: Int(width) * Int(height), into: &decodedBytes)
            guard let pix = pixReadMemTiff(base, count, Int32(index)) else {
                throw ImagingError.corrupt(format: "TIFF", detail: "page \(index + 1) could not be decoded")
            }
            var notes: [String] = []
            let page = try Self.flattened(PageImage(owning: pix), notes: &notes)
            pages.append(DecodedPage(number: index + 1, content: .image(page), notes: notes))
        }
        return pages
    }

    private func tiffPageCount(_ base: UnsafePointer<UInt8>, count: Int) throws -> Int {
        guard let file = fmemopen(UnsafeMutableRawPointer(mutating: base), count, "r") else {
            throw ImagingError.internalFailure(operation: "open TIFF in memory")
        }
        defer { fclose(file) }
        var pages: Int32 = 0
        guard tiffGetCount(file, &pages) == 0 else {
            throw ImagingError.corrupt(format: "TIFF", detail: "page directory unreadable")
        }
        return Int(pages)
    }
}

/// Quarter turns and mirrors of a page.
enum Orientation {
    static func apply(_ orientation: EXIFOrientation, to page: PageImage) throws -> PageImage {
        let fix = orientation.correction
        var result = page
        if fix.quarterTurns != 0 {
            result = try rotate(result, clockwiseDegrees: 90 * Int(fix.quarterTurns))
        }
        if fix.flipHorizontal {
            guard let flipped = pixFlipLR(nil, result.pix) else { throw ImagingError.internalFailure(operation: "mirror page") }
            result = PageImage(owning: flipped)
        }
        if fix.flipVertical {
            guard let flipped = pixFlipTB(nil, result.pix) else { throw ImagingError.internalFailure(operation: "mirror page") }
            result = PageImage(owning: flipped)
        }
        return result
    }

    /// Turns `page` clockwise by `degrees` (a multiple of 90).
    static func rotate(_ page: PageImage, clockwiseDegrees degrees: Int) throws -> PageImage {
        let quads = ((degrees / 90) % 4 + 4) % 4
        if quads == 0 { return page }
        guard let turned = (quads % 2 == 1 ? quarterTurned(page.pix, clockwise: quads == 1) : nil) ?? pixRotateOrth(page.pix, Int32(quads)) else {
            throw ImagingError.internalFailure(operation: "rotate page")
        }
        return PageImage(owning: turned)
    }

    /// A grey (8 bpp, no colour map) page turned by a quarter, clockwise or not: the same pixels
    /// as Leptonica's `pixRotate90`, which moves one pixel at a time down the columns (~80 ms
    /// for a 12 MP photo); here in 64×64 blocks that stay in the cache (~4× faster). Nil for
    /// other pages (Leptonica turns those).
    static func quarterTurned(_ pix: UnsafeMutablePointer<PIX>, clockwise: Bool) -> UnsafeMutablePointer<PIX>? {
        guard pixGetDepth(pix) == 8, pixGetColormap(pix) == nil, let source = pixGetData(pix) else { return nil }
        let width = Int(pixGetWidth(pix)), height = Int(pixGetHeight(pix))
        guard let turned = pixCreate(Int32(height), Int32(width), 8), let target = pixGetData(turned) else { return nil }
        pixCopyResolution(turned, pix)
        pixCopyInputFormat(turned, pix)
        let from = UnsafeRawPointer(source).assumingMemoryBound(to: UInt8.self)
        let to = UnsafeMutableRawPointer(target).assumingMemoryBound(to: UInt8.self)
        let fromStride = Int(pixGetWpl(pix)) * 4, toStride = Int(pixGetWpl(turned)) * 4
        // Leptonica keeps each 32-bit word's bytes most significant first: on a little-endian
        // machine pixel x of a row is byte x ^ 3.
        #if _endian(little)
        let swap = 3
        #else
        let swap = 0
        #endif
        let block = 64
        for top in stride(from: 0, to: height, by: block) {
            let bottom = min(top + block, height)
            for left in stride(from: 0, to: width, by: block) {
                for x in left..<min(left + block, width) {
                    // Clockwise: (x, y) goes to column height-1-y of row x; else to column y of row width-1-x.
                    let row = to + (clockwise ? x : width - 1 - x) * toStride
                    let column = from + (x ^ swap)
                    if clockwise {
                        for y in top..<bottom { row[(height - 1 - y) ^ swap] = column[y * fromStride] }
                    } else {
                        for y in top..<bottom { row[y ^ swap] = column[y * fromStride] }
                    }
                }
            }
        }
        return turned
    }
}

import CHeif
import CLeptonica
import Foundation

/// Decodes the primary image of a HEIC/HEIF file (iPhone photos) into a grey page.
///
/// Only the luminance plane is used: preparation works on grey. HEVC images and grids of HEVC
/// tiles (what phones write) are read by `HEIFContainer` and decoded by libde265 straight into
/// the page (`HEVCTileDecoder`, about twice as fast as through libheif 1.15); everything else
/// (AV1, transparency) goes through libheif, which applies the file's rotation and
/// mirror properties itself. On the libheif path, rows are copied whole into
/// the page (not pixel by pixel), and 10-bit images reduced to 8 bits. The tiles of a grid image (iPhones
/// write 512x512 tiles) are decoded by up to `threads` threads of libheif: the share of the
/// machine the caller has (the daemon's decoder: cores / workers), not libheif's default of 4.
struct HEICDecoder {
    let limits: DecodeLimits
    /// Threads libheif may use for grid tiles; 1 decodes them in the calling thread.
    var threads: Int = 1

    /// Whether HEVC's sample-adaptive offset filter runs (`HEVCTileDecoder.sampleAdaptiveOffset`):
    /// off in the pipeline; tests switch it on to compare with libheif. Measured on the 12 MP HEICs
    /// (CPU per decode, `decode --isolated`, 6 files × 3 rounds, same run): with SAO 293 ms,
    /// without 214 ms (without deblocking as well 191 ms); `eval` of the 8 HEIC photo documents
    /// (fixtures/photo and their 12 MP versions): class, fields (42/42), CER and word recall the
    /// same with and without SAO. Without deblocking too, word recall rose 98.7 → 98.9 % but a
    /// field was lost (a logo read as "oO" before the employer's name), so deblocking stays.
    var sampleAdaptiveOffset = false

    func decode(_ data: Data) throws -> [DecodedPage] {
        if let page = try decodeTiles(data) { return [page] }
        return try decodeWithLibheif(data)
    }

    /// The primary image's tiles through libde265 straight into a grey page (`HEIFContainer`
    /// says why not through libheif); `nil` when the file is one to leave to libheif.
    private func decodeTiles(_ data: Data) throws -> DecodedPage? {
        guard let container = HEIFContainer.read([UInt8](data)) else { return nil }
        try limits.checkPixels(page: 1, width: container.width, height: container.height)
        let tiles = HEVCTileDecoder(container: container, threads: threads, sampleAdaptiveOffset: sampleAdaptiveOffset)
        guard let (grey, bits, fullRange) = tiles.decode() else { return nil }
        var page = grey
        var notes = ["HEIC decoded with libde265 (luminance plane\(container.tiles.count > 1 ? ", \(container.tiles.count) tiles" : ""))"]
        if bits > 8 { notes.append("\(bits)-bit samples reduced to 8") }
        if !fullRange {
            // Video range (16-235) stretched to 0-255, as libheif's conversion does.
            guard let stretched = pixGammaTRC(nil, page.pix, 1, 16, 235) else { throw ImagingError.internalFailure(operation: "stretch HEIC levels") }
            page = PageImage(owning: stretched)
        }
        for transform in container.transforms {
            switch transform {
            case .rotation(let quarterTurns):
                page = try Orientation.rotate(page, clockwiseDegrees: -90 * quarterTurns)
            case .mirror(let leftRight):
                guard let mirrored = leftRight ? pixFlipLR(nil, page.pix) : pixFlipTB(nil, page.pix) else {
                    throw ImagingError.internalFailure(operation: "mirror page")
                }
                page = PageImage(owning: mirrored)
            case .cleanAperture:
                guard let kept = transform.keptRectangle(width: page.width, height: page.height) else {
                    throw ImagingError.corrupt(format: "HEIC", detail: "the clean aperture (clap) leaves nothing of the image")
                }
                guard kept != (0, 0, page.width, page.height) else { continue }
                let box = boxCreate(Int32(kept.x), Int32(kept.y), Int32(kept.width), Int32(kept.height))
                defer { var b = box; boxDestroy(&b) }
                guard let cut = pixClipRectangle(page.pix, box, nil) else { throw ImagingError.internalFailure(operation: "cut page to its clean aperture") }
                page = PageImage(owning: cut)
            }
        }
        return DecodedPage(number: 1, content: .image(page), notes: notes)
    }

    /// libheif's way, for what `decodeTiles` leaves (and for tests that compare the two).
    func decodeWithLibheif(_ data: Data) throws -> [DecodedPage] {
        guard let context = heif_context_alloc() else { throw ImagingError.internalFailure(operation: "allocate HEIF context") }
        defer { heif_context_free(context) }
        // 0: no extra thread at all (1 would start one background thread and wait for it).
        heif_context_set_max_decoding_threads(context, Int32(threads > 1 ? min(threads, 64) : 0))
        return try data.withUnsafeBytes { raw -> [DecodedPage] in
            let readError = heif_context_read_from_memory_without_copy(context, raw.baseAddress, raw.count, nil)
            try check(readError, "container")
            var handle: OpaquePointer?
            try check(heif_context_get_primary_image_handle(context, &handle), "primary image")
            guard let handle else { throw ImagingError.corrupt(format: "HEIC", detail: "no primary image") }
            defer { heif_image_handle_release(handle) }
            let width = Int(heif_image_handle_get_width(handle))
            let height = Int(heif_image_handle_get_height(handle))
            try limits.checkPixels(page: 1, width: width, height: height)

            guard let options = heif_decoding_options_alloc() else { throw ImagingError.internalFailure(operation: "allocate HEIF options") }
            defer { heif_decoding_options_free(options) }
            options.pointee.convert_hdr_to_8bit = 1
            var image: OpaquePointer?
            var notes = ["HEIC decoded with libheif (luminance plane)"]
            var channel = heif_channel_Y
            var bytesPerPixel = 1, offset = 0
            // As YCbCr 4:2:0, the colour space phones code HEIC in: libheif then converts nothing
            // and the Y plane is the grey image we want. (Asked for no particular colour space,
            // libheif 1.15 converts to planar RGB; asked for monochrome it decodes everything and
            // then fails: it has no conversion from YCbCr to monochrome.)
            if heif_decode_image(handle, &image, heif_colorspace_YCbCr, heif_chroma_420, options).code != heif_error_Ok {
                if let failed = image { heif_image_release(failed) }
                image = nil
            }
            if image == nil || heif_image_has_channel(image, heif_channel_Y) == 0 {
                // Not to be had as YCbCr (an RGB-coded image): interleaved RGB, green taken as grey.
                if let other = image { heif_image_release(other) }
                image = nil
                try check(heif_decode_image(handle, &image, heif_colorspace_RGB, heif_chroma_interleaved_RGB, options), "image data")
                channel = heif_channel_interleaved
                bytesPerPixel = 3
                offset = 1
                notes = ["HEIC decoded with libheif (RGB, green as grey)"]
            }
            guard let decoded = image else { throw ImagingError.corrupt(format: "HEIC", detail: "no pixels") }
            defer { heif_image_release(decoded) }
            var stride: Int32 = 0
            guard let plane = heif_image_get_plane_readonly(decoded, channel, &stride) else {
                throw ImagingError.corrupt(format: "HEIC", detail: "no image plane")
            }
            let w = Int(heif_image_get_width(decoded, channel))
            let h = Int(heif_image_get_height(decoded, channel))
            try limits.checkPixels(page: 1, width: w, height: h)
            let bits = Int(heif_image_get_bits_per_pixel_range(decoded, channel))
            guard (1...16).contains(bits), bytesPerPixel == 1 || bits <= 8 else {
                throw ImagingError.corrupt(format: "HEIC", detail: "\(bits)-bit samples")
            }
            guard let pix = pixCreate(Int32(w), Int32(h), 8) else { throw ImagingError.internalFailure(operation: "allocate page") }
            let page = PageImage(owning: pix)
            let wpl = Int(pixGetWpl(pix))
            let target = UnsafeMutableRawPointer(pixGetData(pix)!)
            if bits > 8 {
                // 10- or 12-bit luminance (HDR phones), two bytes a sample: the top 8 bits.
                let bytes = target.assumingMemoryBound(to: UInt8.self)
                for y in 0..<h {
                    let row = UnsafeRawPointer(plane + y * Int(stride))
                    let line = bytes + y * wpl * 4
                    for x in 0..<w {
                        let sample = Int(row.loadUnaligned(fromByteOffset: 2 * x, as: UInt16.self))
                        line[(x & ~3) | (3 - (x & 3))] = UInt8(min(sample >> (bits - 8), 255))
                    }
                }
                notes.append("\(bits)-bit samples reduced to 8")
            } else if bytesPerPixel == 1 {
                // Whole rows copied, then each 32-bit word put into Leptonica's byte order.
                for y in 0..<h {
                    memcpy(target + y * wpl * 4, plane + y * Int(stride), w)
                }
                pixEndianByteSwap(pix)
            } else {
                let words = target.assumingMemoryBound(to: UInt32.self)
                for y in 0..<h {
                    let row = plane.advanced(by: y * Int(stride))
                    let line = words.advanced(by: y * wpl)
                    for x in 0..<w {
                        // Leptonica keeps bytes big-endian within each 32-bit word.
                        line[x >> 2] |= UInt32(row[x * bytesPerPixel + offset]) << UInt32(24 - 8 * (x & 3))
                    }
                }
            }
            if bytesPerPixel == 1, bits <= 8, heif_image_has_channel(decoded, heif_channel_Alpha) != 0 {
                try flattenOntoWhite(pix, alpha: decoded)
                notes.append("transparency laid onto white")
            }
            return [DecodedPage(number: 1, content: .image(page), notes: notes)]
        }
    }

    /// grey·a + white·(1 − a), for HEIC screenshots with a transparent background.
    private func flattenOntoWhite(_ pix: UnsafeMutablePointer<PIX>, alpha image: OpaquePointer) throws {
        var stride: Int32 = 0
        guard heif_image_get_bits_per_pixel_range(image, heif_channel_Alpha) == 8,
              let alpha = heif_image_get_plane_readonly(image, heif_channel_Alpha, &stride),
              Int(heif_image_get_width(image, heif_channel_Alpha)) == Int(pixGetWidth(pix)),
              Int(heif_image_get_height(image, heif_channel_Alpha)) == Int(pixGetHeight(pix))
        else { throw ImagingError.corrupt(format: "HEIC", detail: "alpha plane does not fit the image") }
        let w = Int(pixGetWidth(pix)), h = Int(pixGetHeight(pix)), wpl = Int(pixGetWpl(pix))
        let bytes = UnsafeMutableRawPointer(pixGetData(pix)!).assumingMemoryBound(to: UInt8.self)
        for y in 0..<h {
            let a = alpha + y * Int(stride)
            let line = bytes + y * wpl * 4
            for x in 0..<w where a[x] != 255 {
                let at = (x & ~3) | (3 - (x & 3))  // byte of pixel x within its word (little-endian host)
                let opacity = Int(a[x])
                let value = Int(line[at]) * opacity + 255 * (255 - opacity) + 127
                line[at] = UInt8(value / 255)
            }
        }
    }

    private func check(_ error: heif_error, _ what: String) throws {
        guard error.code != heif_error_Ok else { return }
        let message = error.message.map { String(cString: $0) } ?? "code \(error.code.rawValue)"
        throw ImagingError.corrupt(format: "HEIC", detail: "\(what): \(message)")
    }
}

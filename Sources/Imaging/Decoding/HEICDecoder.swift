import CHeif
import CLeptonica
import Foundation

/// Decodes the primary image of a HEIC/HEIF file (iPhone photos) with libheif into a grey page.
/// libheif applies the file's rotation and mirror properties itself.
struct HEICDecoder {
    let limits: DecodeLimits

    func decode(_ data: Data) throws -> [DecodedPage] {
        guard let context = heif_context_alloc() else { throw ImagingError.internalFailure(operation: "allocate HEIF context") }
        defer { heif_context_free(context) }
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

            var image: OpaquePointer?
            // Decode in the file's own colour space: for HEIC that is YCbCr, whose Y plane is the
            // grey image we want, with no colour conversion at all.
            try check(heif_decode_image(handle, &image, heif_colorspace_undefined, heif_chroma_undefined, nil), "image data")
            guard var decoded = image else { throw ImagingError.corrupt(format: "HEIC", detail: "no pixels") }
            var channel = heif_channel_Y
            var bytesPerPixel = 1
            if heif_image_has_channel(decoded, heif_channel_Y) == 0 {
                // Stored as RGB: decode interleaved RGB and take the green channel as grey.
                heif_image_release(decoded)
                var rgb: OpaquePointer?
                try check(heif_decode_image(handle, &rgb, heif_colorspace_RGB, heif_chroma_interleaved_RGB, nil), "image data")
                guard let rgb else { throw ImagingError.corrupt(format: "HEIC", detail: "no pixels") }
                decoded = rgb
                channel = heif_channel_interleaved
                bytesPerPixel = 3
            }
            defer { heif_image_release(decoded) }
            var stride: Int32 = 0
            guard let plane = heif_image_get_plane_readonly(decoded, channel, &stride) else {
                throw ImagingError.corrupt(format: "HEIC", detail: "no image plane")
            }
            let w = Int(heif_image_get_width(decoded, channel))
            let h = Int(heif_image_get_height(decoded, channel))
            try limits.checkPixels(page: 1, width: w, height: h)
            guard let pix = pixCreate(Int32(w), Int32(h), 8) else { throw ImagingError.internalFailure(operation: "allocate page") }
            let page = PageImage(owning: pix)
            let wpl = Int(pixGetWpl(pix))
            let target = pixGetData(pix)!
            let offset = bytesPerPixel == 3 ? 1 : 0
            for y in 0..<h {
                let row = plane.advanced(by: y * Int(stride))
                let line = target.advanced(by: y * wpl)
                for x in 0..<w {
                    // Leptonica keeps bytes big-endian within each 32-bit word.
                    let shift = UInt32(24 - 8 * (x & 3))
                    line[x >> 2] |= UInt32(row[x * bytesPerPixel + offset]) << shift
                }
            }
            // pixCreate zero-fills, so OR-ing the bytes in is a plain copy.
            return [DecodedPage(number: 1, content: .image(page), notes: ["HEIC decoded with libheif"])]
        }
    }

    private func check(_ error: heif_error, _ what: String) throws {
        guard error.code != heif_error_Ok else { return }
        let message = error.message.map { String(cString: $0) } ?? "code \(error.code.rawValue)"
        throw ImagingError.corrupt(format: "HEIC", detail: "\(what): \(message)")
    }
}

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
            try check(heif_decode_image(handle, &image, heif_colorspace_monochrome, heif_chroma_monochrome, nil), "image data")
            guard let image else { throw ImagingError.corrupt(format: "HEIC", detail: "no pixels") }
            defer { heif_image_release(image) }
            var stride: Int32 = 0
            guard let plane = heif_image_get_plane_readonly(image, heif_channel_Y, &stride) else {
                throw ImagingError.corrupt(format: "HEIC", detail: "no luma plane")
            }
            let w = Int(heif_image_get_width(image, heif_channel_Y))
            let h = Int(heif_image_get_height(image, heif_channel_Y))
            guard let pix = pixCreate(Int32(w), Int32(h), 8) else { throw ImagingError.internalFailure(operation: "allocate page") }
            let page = PageImage(owning: pix)
            let wpl = Int(pixGetWpl(pix))
            let target = pixGetData(pix)!
            for y in 0..<h {
                let row = plane.advanced(by: y * Int(stride))
                let line = target.advanced(by: y * wpl)
                for x in 0..<w {
                    // Leptonica keeps bytes big-endian within each 32-bit word.
                    let word = x >> 2
                    let shift = UInt32(24 - 8 * (x & 3))
                    line[word] |= UInt32(row[x]) << shift
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

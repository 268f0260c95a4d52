import CJPEGReader
import CLeptonica
import Foundation

/// The primary image of a JPEG, read to grey with libjpeg (Sources/CJPEGReader).
///
/// What phones and scanner apps send and every viewer opens is read: data after the image's
/// end-of-image marker (Samsung's trailer, a Pixel motion photo's video, maker data, the MPF
/// second image or gain map) is left alone, since reading stops at that marker; baseline,
/// progressive and arithmetic coding, restart markers; grey, YCbCr, RGB, CMYK and YCCK (Adobe's
/// inverted CMYK included), the colour ones by luminance.
///
/// A file whose image data ends early is read as far as it goes: the rows below the cut are
/// dropped (libjpeg would fill them with grey) and the page carries a review reason saying how
/// much was read. Too little to be worth a person's time (`minimumShare`) is refused.
enum JPEGDecoder {
    /// A JPEG that ends before this share of its rows is refused as unusable: less than a fifth
    /// of a page shows at most a letterhead, no addressee, reference or body text.
    static let minimumShare = 0.2

    struct Page {
        var image: PageImage
        var notes: [String]
        var reviewReasons: [String]
    }

    static func decode(_ base: UnsafePointer<UInt8>, count: Int, reduction: Int) throws -> Page {
        var result = pe_jpeg_result()
        var pixels: UnsafeMutablePointer<UInt8>?
        let status = pe_jpeg_read_gray(base, count, Int32(reduction), &pixels, &result)
        defer { free(pixels) }
        let error = withUnsafeBytes(of: result.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        switch status {
        case 0: break
        case -2: throw ImagingError.internalFailure(operation: "allocate the JPEG's pixels")
        default:
            throw ImagingError.corrupt(format: "JPEG", detail: error.isEmpty ? "image data could not be decoded" : "image data could not be decoded: \(error)")
        }
        let width = Int(result.width), height = Int(result.height), rowsRead = Int(result.rows_read)
        guard let pixels, width > 0, height > 0 else {
            throw ImagingError.corrupt(format: "JPEG", detail: "image data could not be decoded")
        }
        let share = Double(rowsRead) / Double(height)
        if result.ended_early != 0 && share < minimumShare {
            let percent = Int((share * 100).rounded(.down))
            throw ImagingError.corrupt(
                format: "JPEG",
                detail: rowsRead == 0
                    ? "the file ends before any image data"
                    : "the file ends after \(percent) % of the image; at least \(Int(minimumShare * 100)) % is needed to read a page")
        }
        // The rows read, into an 8 bpp PIX: libjpeg's rows are bytes in order, Leptonica's are
        // 32-bit words, so the rows are copied and the bytes of each word swapped (on little-endian).
        let stride = (width + 3) & ~3
        guard let pix = pixCreate(Int32(width), Int32(rowsRead), 8) else {
            throw ImagingError.internalFailure(operation: "allocate the page")
        }
        guard let words = pixGetData(pix), Int(pixGetWpl(pix)) * 4 == stride else {
            Leptonica.destroy(pix)
            throw ImagingError.internalFailure(operation: "allocate the page")
        }
        UnsafeMutableRawPointer(words).copyMemory(from: pixels, byteCount: stride * rowsRead)
        pixEndianByteSwap(pix)
        pixSetResolution(pix, result.x_resolution, result.y_resolution)
        let image = PageImage(owning: pix)

        var notes: [String] = []
        let kind = [result.progressive != 0 ? "progressive" : "baseline", result.arithmetic != 0 ? "arithmetic-coded" : nil,
                    result.restart_interval > 0 ? "restart interval \(result.restart_interval)" : nil,
                    colourName(space: result.color_space, components: result.components, adobe: result.adobe_marker != 0,
                               inverted: result.cmyk_inverted != 0)]
        notes.append("JPEG: " + kind.compactMap { $0 }.joined(separator: ", "))
        if result.ended_early == 0, result.bytes_used < count {
            notes.append("\(count - result.bytes_used) bytes after the image's end-of-image marker left unread")
        }
        if result.warnings > 0 {
            let first = withUnsafeBytes(of: result.first_warning) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            notes.append("libjpeg warned \(result.warnings) time(s) about the data: \(first)")
        }
        var review: [String] = []
        if result.ended_early != 0 {
            let rowsPerIMCU = (height + Int(max(result.total_rows, 1)) - 1) / Int(max(result.total_rows, 1))
            if rowsRead < height {
                // Never "100 %" for a cut page.
                let percent = min(99, Int((share * 100).rounded()))
                notes.append("JPEG data ends early: \(rowsRead) of \(height) rows read (\(percent) %), the rest is cut off")
                if height - rowsRead > rowsPerIMCU {
                    review.append("Die Bilddatei endet vorzeitig: etwa \(percent) % des Bildes gelesen; die Seite kann abgeschnitten sein.")
                }
            } else if result.progressive != 0 {
                let scans = max(Int(result.ended_in_scan) - (result.ended_at_row < result.total_rows ? 1 : 0), 1)
                notes.append("JPEG data ends early in a progressive image: \(scans) complete scan(s) read, the detail of the rest is missing")
                let passes = scans == 1 ? "im ersten Durchgang" : "in \(scans) Durchgängen"
                review.append("Die Bilddatei endet vorzeitig: das Bild ist schrittweise (progressiv) gespeichert und nur \(passes) gelesen; die Seite kann unscharf sein.")
            } else {
                notes.append("the end-of-image marker is missing after complete image data")
            }
        }
        return Page(image: image, notes: notes, reviewReasons: review)
    }

    /// libjpeg's J_COLOR_SPACE values (jpeglib.h) named.
    private static func colourName(space: Int32, components: Int32, adobe: Bool, inverted: Bool) -> String {
        let marker = adobe ? "Adobe marker" : "no Adobe marker"
        let values = inverted ? "values read inverted" : "values read as plain ink (inverted they gave a negative)"
        switch space {
        case 1: return "grey"
        case 2: return "RGB"
        case 3: return "YCbCr"
        case 4: return "CMYK (\(marker), \(values))"
        case 5: return "YCCK (\(marker), \(values))"
        default: return "\(components) components"
        }
    }
}

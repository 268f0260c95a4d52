import ChildProcesses
import Foundation
import Imaging

/// Several page files of one document (a citizen photographs a three-page letter page by page)
/// made into ONE file that the daemon reads like any scan: a PDF with one page per image, in the
/// order sent.
///
/// Why a PDF and not a multi-page TIFF: JPEG photos go in unchanged (a PDF carries JPEG data as
/// it is, `DCTDecode`), so nothing is decoded or re-compressed in the HTTP server (decoding
/// hostile images stays in the daemon's isolated decoder), PNG pixel data goes in as it is
/// (`FlateDecode` with the PNG predictor), a PDF page keeps its text layer, and the EXIF
/// orientation of a photo becomes the page's `/Rotate`. Each image page is sized for 300 dpi, the
/// resolution at which the daemon renders PDF pages, so it gets back the photo's own pixels.
/// PDF parts are joined with poppler's `pdfunite`. The original page files are kept unchanged in
/// the blob store and listed with the upload (`api_upload_parts`).
///
/// Accepted in a multi-file upload: JPEG (grey, colour or CMYK/YCCK), PNG (grey, colour or palette, without
/// transparency) and PDF. TIFF, WebP and HEIC are accepted as single-file uploads only.
enum PageBundle {
    struct Part {
        var file: URL
        var format: FileFormat
        var fileName: String
    }

    static let acceptedFormats: Set<FileFormat> = [.jpeg, .png, .pdf]
    static let dpi = 300.0

    /// Writes the combined PDF to `output`. Errors are API answers naming the part and the problem.
    static func combine(_ parts: [Part], into output: URL, scratch: URL) throws -> Void {
        for part in parts where !acceptedFormats.contains(part.format) {
            throw APIError(
                status: .unsupportedMediaType, code: "unsupported_type_in_multi_file",
                german: "'\(part.fileName)' ist \(part.format.mimeType). Mehrere Seiten in einer Sendung müssen JPEG, PNG oder PDF sein; TIFF, WebP und HEIC bitte als einzelne Datei senden.",
                english: "'\(part.fileName)' is \(part.format.mimeType). Several pages in one upload must be JPEG, PNG or PDF; send TIFF, WebP or HEIC as a single file.")
        }
        var images: [PDFImage] = []
        for part in parts where part.format != .pdf {
            let data = try Data(contentsOf: part.file)
            do {
                images.append(part.format == .jpeg ? try PDFImage.jpeg(data) : try PDFImage.png(data))
            } catch let problem as PDFImage.Problem {
                throw APIError(
                    status: .unsupportedMediaType, code: "unsupported_image",
                    german: "'\(part.fileName)' kann nicht als Seite übernommen werden: \(problem.german).",
                    english: "'\(part.fileName)' cannot be taken as a page: \(problem.english).")
            }
        }
        if parts.allSatisfy({ $0.format != .pdf }) {
            try writePDF(images, to: output)
            return
        }
        // Mixed or PDF only: each image becomes a one-page PDF, then all are joined in order.
        var inputs: [String] = []
        var imageIndex = 0
        for (index, part) in parts.enumerated() {
            if part.format == .pdf {
                inputs.append(part.file.path)
            } else {
                let single = scratch.appendingPathComponent("page-\(index).pdf")
                try writePDF([images[imageIndex]], to: single)
                imageIndex += 1
                inputs.append(single.path)
            }
        }
        try unite(inputs, into: output, names: parts.map(\.fileName))
    }

    /// Runs `pdfunite` with a deadline; a PDF it cannot read (or that takes longer than a minute)
    /// is the client's problem (415).
    static func unite(_ inputs: [String], into output: URL, names: [String]) throws {
        let message: String
        do {
            try ChildProcess("pdfunite", inputs + [output.path], timeout: 60, package: "poppler-utils").run().check("pdfunite")
            return
        } catch let error as ChildProcessError {
            switch error.reason {
            case .notInstalled, .cannotStart: throw error
            case .timedOut: message = "not read within 60 s"
            case .failed(_, let detail): message = String(detail.prefix(300))
            }
        }
        throw APIError(
            status: .unsupportedMediaType, code: "unreadable_pdf",
            german: "Eine der PDF-Dateien (\(names.joined(separator: ", "))) lässt sich nicht lesen; senden Sie sie einzeln oder neu erzeugt.",
            english: "One of the PDF files (\(names.joined(separator: ", "))) cannot be read (\(message)); send it alone or re-created.")
    }

    /// A minimal PDF 1.4 with one image per page, written without decoding any image.
    static func writePDF(_ images: [PDFImage], to url: URL) throws {
        var out = Data("%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int] = []
        func object(_ number: Int, _ body: Data) {
            while offsets.count < number { offsets.append(0) }
            offsets[number - 1] = out.count
            out.append(Data("\(number) 0 obj\n".utf8))
            out.append(body)
            out.append(Data("\nendobj\n".utf8))
        }
        let pageNumbers = images.indices.map { 3 + $0 * 3 }
        object(1, Data("<< /Type /Catalog /Pages 2 0 R >>".utf8))
        object(2, Data("<< /Type /Pages /Kids [\(pageNumbers.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(images.count) >>".utf8))
        for (index, image) in images.enumerated() {
            let page = pageNumbers[index]
            let width = Double(image.width) * 72 / dpi
            let height = Double(image.height) * 72 / dpi
            let w = String(format: "%.3f", width)
            let h = String(format: "%.3f", height)
            let rotate = image.rotation == 0 ? "" : " /Rotate \(image.rotation)"
            object(page, Data("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(w) \(h)]\(rotate) /Resources << /XObject << /Im0 \(page + 2) 0 R >> >> /Contents \(page + 1) 0 R >>".utf8))
            let content = Data("q \(w) 0 0 \(h) 0 0 cm /Im0 Do Q".utf8)
            var stream = Data("<< /Length \(content.count) >>\nstream\n".utf8)
            stream.append(content)
            stream.append(Data("\nendstream".utf8))
            object(page + 1, stream)
            var imageObject = Data("<< /Type /XObject /Subtype /Image /Width \(image.width) /Height \(image.height) \(image.dictionary) /Length \(image.data.count) >>\nstream\n".utf8)
            imageObject.append(image.data)
            imageObject.append(Data("\nendstream".utf8))
            object(page + 2, imageObject)
        }
        let xref = out.count
        var table = "xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += String(format: "%010d 00000 n \n", offset) }
        table += "trailer\n<< /Size \(offsets.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        out.append(Data(table.utf8))
        try out.write(to: url)
    }
}

/// An image as a PDF image XObject: its encoded data as it came, and the dictionary entries that
/// tell a PDF reader how to decode it.
struct PDFImage {
    var width: Int
    var height: Int
    /// `/ColorSpace … /BitsPerComponent … /Filter … [/DecodeParms …]`
    var dictionary: String
    var data: Data
    /// Clockwise page rotation (0, 90, 180, 270) from the EXIF orientation.
    var rotation: Int

    struct Problem: Error {
        var german: String
        var english: String
    }

    /// A baseline or progressive JPEG, grey or colour.
    static func jpeg(_ data: Data) throws -> PDFImage {
        let bytes = [UInt8](data)
        var index = 2
        while index + 9 < bytes.count {
            guard bytes[index] == 0xFF else { break }
            let marker = bytes[index + 1]
            if marker == 0xFF { index += 1; continue }
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 { index += 2; continue }
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            let isFrame = (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker)
            if isFrame {
                let height = Int(bytes[index + 5]) << 8 | Int(bytes[index + 6])
                let width = Int(bytes[index + 7]) << 8 | Int(bytes[index + 8])
                let components = Int(bytes[index + 9])
                guard width > 0, height > 0 else { break }
                let space: String
                switch components {
                case 1: space = "/DeviceGray"
                case 3: space = "/DeviceRGB"
                case 4:
                    // CMYK or YCCK (scanner apps, print workflows). Adobe's encoder, the one that marks
                    // its files with an APP14 "Adobe" segment, stores CMYK inverted: the Decode array
                    // turns it back (the PDF reader undoes the YCCK transform itself).
                    space = Self.hasAdobeSegment(bytes, before: index) ? "/DeviceCMYK /Decode [1 0 1 0 1 0 1 0]" : "/DeviceCMYK"
                default:
                    throw Problem(
                        german: "ein JPEG mit \(components) Farbkanälen wird nicht angenommen (erwartet: Grau, RGB oder CMYK)",
                        english: "a JPEG with \(components) colour channels is not accepted (expected: grey, RGB or CMYK)")
                }
                let rotation: Int
                switch EXIFOrientation.read(fromJPEG: data) {
                case .right, .rightMirrored: rotation = 90
                case .down, .downMirrored: rotation = 180
                case .left, .leftMirrored: rotation = 270
                default: rotation = 0
                }
                return PDFImage(
                    width: width, height: height, dictionary: "/ColorSpace \(space) /BitsPerComponent 8 /Filter /DCTDecode",
                    data: data, rotation: rotation)
            }
            if marker == 0xDA { break }
            index += 2 + length
        }
        throw Problem(german: "die JPEG-Datei ist unvollständig oder beschädigt", english: "the JPEG file is truncated or damaged")
    }

    /// Whether an APP14 segment naming "Adobe" stands among the markers before `end`.
    static func hasAdobeSegment(_ bytes: [UInt8], before end: Int) -> Bool {
        var index = 2
        while index + 9 < min(end, bytes.count) {
            guard bytes[index] == 0xFF else { return false }
            let marker = bytes[index + 1]
            if marker == 0xFF { index += 1; continue }
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            if marker == 0xEE, length >= 7, Array(bytes[(index + 4)..<(index + 9)]) == Array("Adobe".utf8) { return true }
            index += 2 + length
        }
        return false
    }

    /// A non-interlaced PNG without transparency: its compressed pixel data is used as it is.
    static func png(_ data: Data) throws -> PDFImage {
        let bytes = [UInt8](data)
        let damaged = Problem(german: "die PNG-Datei ist unvollständig oder beschädigt", english: "the PNG file is truncated or damaged")
        guard bytes.count > 33 else { throw damaged }
        func u32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
        var index = 8
        var width = 0, height = 0, depth = 0, colorType = -1, interlace = 0
        var palette: [UInt8] = []
        var pixels = Data()
        while index + 8 <= bytes.count {
            let length = u32(index)
            let type = String(decoding: bytes[(index + 4)..<(index + 8)], as: UTF8.self)
            let start = index + 8
            guard length >= 0, start + length <= bytes.count else { throw damaged }
            switch type {
            case "IHDR":
                guard length >= 13 else { throw damaged }
                width = u32(start)
                height = u32(start + 4)
                depth = Int(bytes[start + 8])
                colorType = Int(bytes[start + 9])
                interlace = Int(bytes[start + 12])
            case "PLTE": palette = Array(bytes[start..<(start + length)])
            case "IDAT": pixels.append(contentsOf: bytes[start..<(start + length)])
            case "tRNS":
                throw Problem(
                    german: "PNG mit Transparenz wird in mehrseitigen Sendungen nicht angenommen; senden Sie die Datei einzeln",
                    english: "a PNG with transparency is not accepted in multi-file uploads; send it alone")
            default: break
            }
            if type == "IEND" { break }
            index = start + length + 4
        }
        guard width > 0, height > 0, !pixels.isEmpty else { throw damaged }
        guard interlace == 0 else {
            throw Problem(
                german: "ein PNG im Zeilensprungverfahren (interlaced) wird in mehrseitigen Sendungen nicht angenommen; senden Sie es einzeln",
                english: "an interlaced PNG is not accepted in multi-file uploads; send it alone")
        }
        let colors: Int
        let space: String
        switch colorType {
        case 0:
            colors = 1
            space = "/DeviceGray"
        case 2:
            colors = 3
            space = "/DeviceRGB"
        case 3:
            guard !palette.isEmpty, palette.count % 3 == 0 else { throw damaged }
            colors = 1
            space = "[/Indexed /DeviceRGB \(palette.count / 3 - 1) <\(palette.map { String(format: "%02x", $0) }.joined())>]"
        default:
            throw Problem(
                german: "PNG mit Transparenz (Alphakanal) wird in mehrseitigen Sendungen nicht angenommen; senden Sie die Datei einzeln",
                english: "a PNG with transparency (alpha channel) is not accepted in multi-file uploads; send it alone")
        }
        return PDFImage(
            width: width, height: height,
            dictionary: "/ColorSpace \(space) /BitsPerComponent \(depth) /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors \(colors) /BitsPerComponent \(depth) /Columns \(width) >>",
            data: pixels, rotation: 0)
    }
}

import Foundation

/// A document's container format, recognised by its content (magic bytes), never by its name.
public enum FileFormat: String, Sendable, Codable, CaseIterable {
    case jpeg, png, tiff, webp, heic, pdf

    /// Recognises the format from the first bytes, or names what was found instead.
    public static func detect(_ data: Data) -> Result<FileFormat, ImagingError> {
        let head = [UInt8](data.prefix(64))
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + magic.count && Array(head[offset..<offset + magic.count]) == magic
        }
        if head.isEmpty { return .failure(.emptyFile) }
        if starts([0xFF, 0xD8, 0xFF]) { return .success(.jpeg) }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .success(.png) }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .success(.tiff) }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .success(.webp) }
        if starts(Array("ftyp".utf8), at: 4), head.count >= 12 {
            let brand = String(decoding: head[8..<12], as: UTF8.self)
            if ["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"].contains(brand) {
                return .success(.heic)
            }
            if brand.hasPrefix("avif") { return .failure(.unsupportedFormat(detected: "'image/avif'")) }
            return .failure(.unsupportedFormat(detected: "'ISO media (\(brand))'"))
        }
        // PDF readers accept the header anywhere in the first KiB.
        if let marker = "%PDF-".data(using: .ascii), data.prefix(1024).range(of: marker) != nil {
            return .success(.pdf)
        }
        if starts(Array("GIF8".utf8)) { return .failure(.unsupportedFormat(detected: "'image/gif'")) }
        if starts([0x42, 0x4D]) { return .failure(.unsupportedFormat(detected: "'image/bmp'")) }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return .failure(.unsupportedFormat(detected: "'application/zip' (Office documents are not accepted)")) }
        if let text = String(data: data.prefix(512), encoding: .utf8) {
            let lowered = text.lowercased()
            if lowered.contains("<html") || lowered.contains("<!doctype") {
                return .failure(.unsupportedFormat(detected: "'text/html'"))
            }
            return .failure(.unsupportedFormat(detected: "'text/plain'"))
        }
        return .failure(.unsupportedFormat(detected: "unknown binary"))
    }

    /// The MIME type, for HTTP answers and records.
    public var mimeType: String {
        switch self {
        case .jpeg: return "image/jpeg"
        case .png: return "image/png"
        case .tiff: return "image/tiff"
        case .webp: return "image/webp"
        case .heic: return "image/heic"
        case .pdf: return "application/pdf"
        }
    }
}

import Foundation

/// Why a file could not be turned into page images. Each case says what was wrong and,
/// where it helps, what is accepted.
public enum ImagingError: Error, Equatable, Sendable, Codable, CustomStringConvertible {
    case emptyFile
    case unsupportedFormat(detected: String)
    case tooLarge(bytes: Int, limit: Int)
    case tooManyPixels(page: Int, width: Int, height: Int, limit: Int)
    case tooManyPages(pages: Int, limit: Int)
    case corrupt(format: String, detail: String)
    case pdfToolFailed(tool: String, detail: String)
    case internalFailure(operation: String)
    /// Decoding would need more memory than `DecodeLimits.maxDecodedBytes` (estimated from headers).
    case decodedMemory(bytes: Int, limit: Int)
    /// The isolated decoder process ended abnormally (signal, abort, resource limit).
    case decoderCrashed(detail: String)
    /// The isolated decoder did not finish within `DecodeLimits.decodeTimeout`.
    case decodeTimeout(seconds: Double)

    /// The formats an upload may have, as named to users.
    public static let acceptedFormats = "JPEG, PNG, TIFF, WebP, HEIC, PDF"

    public var description: String {
        switch self {
        case .emptyFile:
            return "the file is empty (0 bytes); send a document as \(Self.acceptedFormats)"
        case .unsupportedFormat(let detected):
            return "unsupported file format \(detected) (supported: \(Self.acceptedFormats))"
        case .tooLarge(let bytes, let limit):
            return "file too large: \(bytes) bytes, the limit is \(limit) bytes"
        case .tooManyPixels(let page, let width, let height, let limit):
            return "page \(page) is \(width)x\(height) pixels, over the limit of \(limit / 1_000_000) megapixels per page"
        case .tooManyPages(let pages, let limit):
            return "document has \(pages) pages, the limit is \(limit)"
        case .corrupt(let format, let detail):
            return "the \(format) file is damaged or truncated (\(detail)); send the complete file as \(Self.acceptedFormats)"
        case .pdfToolFailed(let tool, let detail):
            return "the PDF could not be read (\(tool): \(detail))"
        case .internalFailure(let operation):
            return "image processing failed: \(operation)"
        case .decodedMemory(let bytes, let limit):
            return "decoding would need \(bytes / 1_048_576) MiB of memory, the limit is \(limit / 1_048_576) MiB; send fewer or smaller pages"
        case .decoderCrashed(let detail):
            return "the decoder stopped on this file (\(detail)); the file is damaged or hostile, send it again as \(Self.acceptedFormats)"
        case .decodeTimeout(let seconds):
            return "decoding took longer than the limit of \(Int(seconds)) s; the file is damaged or too complex"
        }
    }

    /// A short machine-readable reason, for quarantine records and metrics.
    public var code: String {
        switch self {
        case .emptyFile: return "empty_file"
        case .unsupportedFormat: return "unsupported_format"
        case .tooLarge: return "too_large"
        case .tooManyPixels: return "too_many_pixels"
        case .tooManyPages: return "too_many_pages"
        case .corrupt: return "corrupt"
        case .pdfToolFailed: return "pdf_unreadable"
        case .internalFailure: return "internal"
        case .decodedMemory: return "decoded_memory"
        case .decoderCrashed: return "decoder_crashed"
        case .decodeTimeout: return "decode_timeout"
        }
    }
}

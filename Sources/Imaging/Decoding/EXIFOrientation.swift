import Foundation

/// The EXIF orientation tag (1…8) of a JPEG: how the stored pixels must be turned to be seen
/// upright. Phones store sideways photos with tag 6 or 8; Leptonica ignores it, so we apply it.
public enum EXIFOrientation: Int, Sendable, Codable {
    case up = 1, upMirrored = 2, down = 3, downMirrored = 4
    case leftMirrored = 5, right = 6, rightMirrored = 7, left = 8

    /// Clockwise quarter turns to apply to the stored pixels, and whether to mirror afterwards
    /// (horizontally or vertically).
    var correction: (quarterTurns: Int32, flipHorizontal: Bool, flipVertical: Bool) {
        switch self {
        case .up: return (0, false, false)
        case .upMirrored: return (0, true, false)
        case .down: return (2, false, false)
        case .downMirrored: return (0, false, true)
        case .leftMirrored: return (1, true, false)  // transpose
        case .right: return (1, false, false)
        case .rightMirrored: return (1, false, true)  // transverse
        case .left: return (3, false, false)
        }
    }

    /// Reads the tag from a JPEG's APP1 Exif segment; `nil` when there is none or it is malformed.
    public static func read(fromJPEG data: Data) -> EXIFOrientation? {
        let bytes = [UInt8](data.prefix(256 * 1024))
        var index = 2  // after SOI
        while index + 4 <= bytes.count {
            guard bytes[index] == 0xFF else { return nil }
            let marker = bytes[index + 1]
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 {
                index += 2
                continue
            }
            if marker == 0xDA || marker == 0xD9 { return nil }  // image data starts: no EXIF before it
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            guard length >= 2, index + 2 + length <= bytes.count else { return nil }
            if marker == 0xE1 {
                let segment = Array(bytes[(index + 4)..<(index + 2 + length)])
                if let value = orientation(inExifSegment: segment) { return value }
            }
            index += 2 + length
        }
        return nil
    }

    private static func orientation(inExifSegment segment: [UInt8]) -> EXIFOrientation? {
        guard segment.count > 14, Array(segment[0..<6]) == [0x45, 0x78, 0x69, 0x66, 0, 0] else { return nil }
        let tiff = Array(segment[6...])
        let little: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at + 2 <= tiff.count else { return nil }
            return little ? Int(tiff[at]) | Int(tiff[at + 1]) << 8 : Int(tiff[at]) << 8 | Int(tiff[at + 1])
        }
        func u32(_ at: Int) -> Int? {
            guard at + 4 <= tiff.count, let a = u16(at), let b = u16(at + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }
        guard let ifd = u32(4), let count = u16(ifd) else { return nil }
        for entry in 0..<min(count, 512) {
            let at = ifd + 2 + entry * 12
            guard let tag = u16(at) else { return nil }
            if tag == 0x0112, let value = u16(at + 8) {
                return EXIFOrientation(rawValue: value)
            }
        }
        return nil
    }
}

import CLeptonica
import Foundation

/// One page's raster, owned by Swift. The Leptonica `PIX` never leaves this module's
/// wrappers and the `OCR` module; it is freed when the last reference goes.
///
/// A `PageImage` is immutable after creation, which is why it may cross threads.
public final class PageImage: @unchecked Sendable {
    let pix: UnsafeMutablePointer<PIX>

    /// Takes ownership of `pix`; it is destroyed with this object.
    init(owning pix: UnsafeMutablePointer<PIX>) {
        self.pix = pix
    }

    deinit {
        var p: UnsafeMutablePointer<PIX>? = pix
        pixDestroy(&p)
    }

    public var width: Int { Int(pixGetWidth(pix)) }
    public var height: Int { Int(pixGetHeight(pix)) }
    /// Bits per pixel: 1, 8 or 32 in practice.
    public var depth: Int { Int(pixGetDepth(pix)) }
    /// Horizontal resolution in pixels per inch, 0 when unknown.
    public var resolution: Int { Int(pixGetXRes(pix)) }

    /// The pointer for C calls in this package's modules. Valid while `self` lives.
    package var unsafePix: UnsafeMutablePointer<PIX> { pix }

    /// Wraps a `PIX` that the caller hands over (for the OCR module).
    package static func adopting(_ pix: UnsafeMutablePointer<PIX>) -> PageImage {
        PageImage(owning: pix)
    }

    /// Encodes the page as PNG (lossless), e.g. for the archive or for debugging.
    public func pngData() throws -> Data {
        try encoded(format: IFF_PNG)
    }

    /// Encodes the page as JPEG at the given quality (1…100), e.g. for thumbnails.
    public func jpegData(quality: Int = 80) throws -> Data {
        guard let eight = depth == 1 ? pixConvertTo8(pix, 0) : pixClone(pix) else {
            throw ImagingError.internalFailure(operation: "convert to 8 bpp for JPEG")
        }
        defer { var p: UnsafeMutablePointer<PIX>? = eight; pixDestroy(&p) }
        var bytes: UnsafeMutablePointer<UInt8>?
        var size = 0
        guard pixWriteMemJpeg(&bytes, &size, eight, Int32(quality), 0) == 0, let bytes else {
            throw ImagingError.internalFailure(operation: "encode JPEG")
        }
        defer { lept_free(bytes) }
        return Data(bytes: bytes, count: size)
    }

    private func encoded(format: Int) throws -> Data {
        var bytes: UnsafeMutablePointer<UInt8>?
        var size = 0
        guard pixWriteMem(&bytes, &size, pix, Int32(format)) == 0, let bytes else {
            throw ImagingError.internalFailure(operation: "encode image")
        }
        defer { lept_free(bytes) }
        return Data(bytes: bytes, count: size)
    }

    /// The page turned clockwise by a multiple of 90 degrees.
    public func rotated(clockwiseDegrees degrees: Int) throws -> PageImage {
        try Orientation.rotate(self, clockwiseDegrees: degrees)
    }

    /// The page turned by `degrees` (clockwise when positive) about its centre, keeping its
    /// size and bringing in white at the corners (tests of deskewing use it).
    public func rotated(byDegrees degrees: Double) throws -> PageImage {
        let radians = Float(degrees * .pi / 180)
        guard let turned = pixRotate(pix, radians, Int32(L_ROTATE_AREA_MAP), Int32(L_BRING_IN_WHITE), 0, 0) else {
            throw ImagingError.internalFailure(operation: "rotate by \(degrees)°")
        }
        return PageImage(owning: turned)
    }

    /// The 8-bit grey values row by row without padding (for barcode reading and tests).
    public func grayBytes() throws -> (bytes: [UInt8], width: Int, height: Int) {
        guard let gray = Leptonica.gray8Shared(pix) else {
            throw ImagingError.internalFailure(operation: "convert to grey")
        }
        defer { var p: UnsafeMutablePointer<PIX>? = gray; pixDestroy(&p) }
        let width = Int(pixGetWidth(gray)), height = Int(pixGetHeight(gray))
        guard let words = pixGetData(gray) else { throw ImagingError.internalFailure(operation: "read raster") }
        // Straight from Leptonica's rows into the array (one copy): its pixels sit in 32-bit
        // words, most significant byte first (`GET_DATA_BYTE`).
        let source = UnsafeRawPointer(words).assumingMemoryBound(to: UInt8.self)
        let stride = Int(pixGetWpl(gray)) * 4
        let bytes = [UInt8](unsafeUninitializedCapacity: width * height) { buffer, count in
            for y in 0..<height {
                let row = source + y * stride, out = y * width
                for x in 0..<width { buffer[out + x] = row[Leptonica.byteIndex(x)] }
            }
            count = width * height
        }
        return (bytes, width, height)
    }

    /// Reads a PNG/JPEG/TIFF/… file directly (tests and tools; the upload path uses `DocumentDecoder`).
    public static func read(contentsOf url: URL) throws -> PageImage {
        let data = try Data(contentsOf: url)
        let pix = data.withUnsafeBytes { raw -> UnsafeMutablePointer<PIX>? in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { return nil }
            Leptonica.silence()
            return pixReadMem(base, raw.count)
        }
        guard let pix else { throw ImagingError.internalFailure(operation: "read \(url.lastPathComponent)") }
        return PageImage(owning: pix)
    }
}

/// Small helpers over Leptonica calls used in several places.
enum Leptonica {
    private static let silenced: Void = {
        _ = setMsgSeverity(Int32(L_SEVERITY_NONE))
    }()

    /// Leptonica prints to stderr by default; our errors are typed, so its chatter is switched off.
    static func silence() { _ = silenced }

    /// A new 8 bpp grey copy of `pix` (colour maps removed, RGB by luminance).
    static func gray8(_ pix: UnsafeMutablePointer<PIX>) -> UnsafeMutablePointer<PIX>? {
        if pixGetDepth(pix) == 32 {
            return pixConvertRGBToLuminance(pix)
        }
        return pixConvertTo8(pix, 0)
    }

    /// `pix` itself (a clone: one more reference, no pixels copied) where it already is 8 bpp
    /// grey without a colour map, else `gray8`'s copy. For readers that change neither.
    static func gray8Shared(_ pix: UnsafeMutablePointer<PIX>) -> UnsafeMutablePointer<PIX>? {
        if pixGetDepth(pix) == 8 && pixGetColormap(pix) == nil {
            return pixClone(pix)
        }
        return gray8(pix)
    }

    /// Destroys `pix` if it differs from `keep` (Leptonica functions may return a clone or a copy).
    static func destroy(_ pix: UnsafeMutablePointer<PIX>?) {
        var p = pix
        pixDestroy(&p)
    }

    /// Where pixel `x` of an 8 bpp row lies among the row's bytes: Leptonica keeps pixels in
    /// 32-bit words, most significant byte first, so on a little-endian machine the four bytes
    /// of each word are in reverse order (its `GET_DATA_BYTE` macro).
    @inline(__always) static func byteIndex(_ x: Int) -> Int {
        #if _endian(little)
        return x ^ 3
        #else
        return x
        #endif
    }
}

import CLeptonica
import Foundation

/// What preparation did to a page, kept in the document's record so that a caseworker or
/// operator can see why a page looks as it does.
public struct PreparationReport: Sendable, Codable, Equatable {
    /// Size of the decoded page before preparation.
    public var originalWidth: Int
    public var originalHeight: Int
    /// Clockwise rotation applied to make the text upright (0, 90, 180, 270), found from the text.
    public var rotation: Int
    /// Residual skew found and removed, in degrees.
    public var skewDegrees: Double
    /// Scale factor applied so that text reaches a good size for Tesseract.
    public var scale: Double
    /// Whether uneven light was flattened.
    public var backgroundNormalised: Bool
    /// Resolution passed to Tesseract.
    public var resolution: Int
}

/// Straightens and cleans a page before OCR: grey conversion, background normalisation for
/// shadows and uneven light, scaling, upright orientation and deskew. Blocking (Leptonica).
public struct PagePreparer: Sendable {
    /// Target length of the page's longer side in pixels (about an A4 page at 300 dpi).
    public var targetLongSide: Int
    public init(targetLongSide: Int = 3300) {
        self.targetLongSide = targetLongSide
    }

    public func prepare(_ page: PageImage) throws -> (PageImage, PreparationReport) {
        Leptonica.silence()
        guard let gray = Leptonica.gray8(page.pix) else { throw ImagingError.internalFailure(operation: "convert to grey") }
        var current = PageImage(owning: gray)
        var report = PreparationReport(
            originalWidth: page.width, originalHeight: page.height, rotation: 0, skewDegrees: 0, scale: 1,
            backgroundNormalised: false, resolution: 300)

        // Scale: large phone photos are shrunk, small renders enlarged, so text lands near the
        // size Tesseract reads best and the work per page stays bounded.
        let longSide = max(current.width, current.height)
        let factor = min(max(Double(targetLongSide) / Double(longSide), 0.35), 2.0)
        if abs(factor - 1) > 0.08 {
            let scaled = factor < 1 ? pixScaleAreaMap(current.pix, Float(factor), Float(factor)) : pixScale(current.pix, Float(factor), Float(factor))
            if let scaled { current = PageImage(owning: scaled); report.scale = factor }
        }

        // Light: flatten shadows and uneven illumination.
        if let normalised = pixBackgroundNormSimple(current.pix, nil, nil) {
            current = PageImage(owning: normalised)
            report.backgroundNormalised = true
        }

        // Orientation and skew are measured on a binary copy.
        if let binary = pixConvertTo1(current.pix, 160) {
            defer { Leptonica.destroy(binary) }
            var upconf: Float = 0, leftconf: Float = 0, rotation: Int32 = 0
            if let upright = pixOrientCorrect(binary, 0, 0, &upconf, &leftconf, &rotation, 0) {
                Leptonica.destroy(upright)
                if rotation != 0 {
                    current = try Orientation.rotate(current, clockwiseDegrees: Int(rotation))
                    report.rotation = Int(rotation)
                }
            }
        }
        if let binary = pixConvertTo1(current.pix, 160) {
            defer { Leptonica.destroy(binary) }
            var angle: Float = 0, confidence: Float = 0
            if pixFindSkew(binary, &angle, &confidence) == 0, confidence > 2.5, abs(angle) > 0.1, abs(angle) < 12 {
                let radians = Float(Double(angle) * .pi / 180)
                if let rotated = pixRotate(current.pix, radians, Int32(L_ROTATE_AREA_MAP), Int32(L_BRING_IN_WHITE), 0, 0) {
                    current = PageImage(owning: rotated)
                    report.skewDegrees = Double(angle)
                }
            }
        }
        // The file's own resolution when it is plausible for a scan; otherwise (phone photos,
        // images saved at 72 dpi) an estimate from an A4 page's long side of 11.7 inches.
        let declared = page.resolution
        let resolution = (150...1200).contains(declared)
            ? Int((Double(declared) * report.scale).rounded())
            : Int(Double(max(current.width, current.height)) / 11.7)
        report.resolution = min(max(resolution, 70), 600)
        pixSetResolution(current.pix, Int32(report.resolution), Int32(report.resolution))
        return (current, report)
    }
}

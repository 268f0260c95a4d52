/// Step 5 of `RecognitionSteps`: Tesseract reads the copy (`TesseractEngine.recognize`).
public struct Recognize: Sendable, Equatable {
    /// How Tesseract cuts the page into blocks.
    public var segmentation: TesseractEngine.PageSegmentation = .singleColumn
    /// Tesseract's internal line images kept as uncompressed PNG while it reads (~8% less CPU
    /// per page, the same text; `CTesseractSpeedups`).
    public var fastLineImages = true
    /// Tesseract's rule finder opens and closes with Leptonica's DWA code instead of rasterops.
    public var fastMorphology = true

    public init() {}
}

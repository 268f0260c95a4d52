/// How `TesseractEngine.recognize` reads a prepared page: each step of the page's reading and
/// whether it runs. The defaults are what the pipeline uses; switching a step off is for
/// measurements (`posteingang read --option NAME=VALUE`, see `docs/ARCHITECTURE.md`).
///
/// The steps, in the order they run on a page:
/// 1. `eraseRules`: Tesseract reads a copy with ruled lines, frames and solid blocks erased (`RuleEraser`).
/// 2. `ownBinary`: Tesseract's layout analysis gets our binary image (`OtsuBinary`) instead of making its own.
/// 3. `removeSpeckle`: scanner speckle is painted white on that copy (`Despeckle`).
/// 4. Tesseract recognises the page (`segmentation`; `fastLineImages` and `fastMorphology`
///    switch the faster roads of `CTesseractSpeedups` on for that call).
/// 5. `repairGlyphs`: middle dots and dashes the model cannot write are read back from their ink (`GlyphRepair`).
/// 6. `removeSpeckle`: words of one or two dot-like marks away from text are dropped (`GlyphRepair.specks`).
/// 7. `readWeakLinesAgain`: lines read with little confidence are read again alone by a second engine (`WeakLines`).
/// 8. `readUncoveredText`: rows of ink no word covers are read again by a second engine (`UncoveredText`).
/// 9. `sideBlocksAfterAddress`: a letter's information block is written after the address (`ReadingOrder`).
public struct RecognitionOptions: Sendable, Equatable {
    public var eraseRules = true
    public var ownBinary = true
    public var removeSpeckle = true
    /// Tesseract's internal line images kept as uncompressed PNG while it reads (~8% less CPU
    /// per page, the same text).
    public var fastLineImages = true
    /// Tesseract's rule finder opens and closes with Leptonica's DWA code instead of rasterops.
    public var fastMorphology = true
    public var segmentation: TesseractEngine.PageSegmentation = .singleColumn
    public var repairGlyphs = true
    public var readWeakLinesAgain = true
    public var readUncoveredText = true
    public var sideBlocksAfterAddress = true
    /// Print each token `GlyphRepair` measures, and each block the second pass reads, to
    /// standard error (for calibration).
    public var traceGlyphs = false

    public init() {}

    /// The pipeline's defaults.
    public static let standard = RecognitionOptions()
}

import Imaging

/// The steps of a prepared page's reading, listed in the order they run. Each step is a small
/// type with its own options (in `Steps/`); a step set to nil does not run. The defaults are
/// what the pipeline reads with; switching a step off or changing an option is for
/// measurements (`posteingang read --option NAME=VALUE`, see `docs/ARCHITECTURE.md`).
///
/// On the copy Tesseract reads (the archive PDF shows the prepared page as it is):
/// 1. `eraseRules`: ruled lines, frames and solid blocks erased (`RuleEraser`).
/// 2. `ownBinary`: our binary image (`OtsuBinary`) for Tesseract's layout analysis.
/// 3. `eraseLeaders`: dot leaders between labels and values painted white (`DotLeaders`).
/// 4. `whitenSpeckle`: scanner speckle painted white (`Despeckle`).
///
/// 5. `recognize`: Tesseract reads the page.
///
/// On the words it read:
/// 6. `repairGlyphs`: middle dots and dashes the model cannot write read back from their ink.
/// 7. `repairAccents`: é, è, ê and ë the model cannot write read back from their ink.
/// 8. `dropSpecks`: words of one or two dot-like marks away from text dropped.
/// 9. `weakLines`: lines read with little confidence read again alone by a second engine.
/// 10. `numberLines`: short lines of figures read again alone, in black and white.
/// 11. `uncoveredText`: rows of ink no word covers read again by a second engine.
/// 12. `sideBlocks`: a letter's information block written after the address.
public struct RecognitionSteps: Sendable, Equatable {
    public var eraseRules: EraseRules? = EraseRules()
    public var ownBinary: OwnBinary? = OwnBinary()
    public var eraseLeaders: EraseDotLeaders? = EraseDotLeaders()
    public var whitenSpeckle: WhitenSpeckle? = WhitenSpeckle()
    public var recognize = Recognize()
    public var repairGlyphs: RepairGlyphs? = RepairGlyphs()
    public var repairAccents: RepairAccents? = RepairAccents()
    public var dropSpecks: DropSpecks? = DropSpecks()
    public var weakLines: ReadWeakLines? = ReadWeakLines()
    public var numberLines: ReadNumberLines? = ReadNumberLines()
    public var uncoveredText: ReadUncoveredText? = ReadUncoveredText()
    public var sideBlocks: SideBlocksAfterAddress? = SideBlocksAfterAddress()

    public init() {}

    /// The pipeline's steps.
    public static let standard = RecognitionSteps()

    /// Steps 1–4, in order.
    var copySteps: [any CopyStep] {
        let steps: [(any CopyStep)?] = [eraseRules, ownBinary, eraseLeaders, whitenSpeckle]
        return steps.compactMap { $0 }
    }

    /// Steps 6–12, in order.
    var wordSteps: [any WordStep] {
        let steps: [(any WordStep)?] = [repairGlyphs, repairAccents, dropSpecks, weakLines, numberLines, uncoveredText, sideBlocks]
        return steps.compactMap { $0 }
    }

    /// Whether any step after recognition looks at Tesseract's own binary image.
    var needThresholdedImage: Bool { wordSteps.contains { $0.needsThresholdedImage } }

    /// Every step that measures ink prints what it measured to standard error (calibration).
    public mutating func trace(_ on: Bool) {
        repairGlyphs?.trace = on
        repairAccents?.trace = on
        dropSpecks?.trace = on
        uncoveredText?.trace = on
    }
}

import CLeptonica
import Imaging

/// The copy of a prepared page that Tesseract reads, as steps 1–4 of `RecognitionSteps` make
/// it. The archive PDF shows `page`, never the copy.
struct ReadingCopy {
    let page: PageImage
    /// What Tesseract's LSTM reads.
    var gray: PageImage
    /// What Tesseract finds the layout on, when not its own binary image.
    var layoutBinary: PageImage?
    /// Whether the copy is no longer `page` (Tesseract's input image is then set back to the
    /// page after reading, for the archive PDF).
    var changed = false
    /// The marks of `layoutBinary` as it stands, kept by the steps that look for marks so that
    /// the next one does not find them again; nil once ink is cleared from it.
    var layoutMarks: [DotLeaders.Box]?

    init(page: PageImage) {
        self.page = page
        self.gray = page
    }

    /// The black-and-white page the mark-finding steps look at (the layout binary, else the grey
    /// copy thresholded) and its marks.
    mutating func marks() -> (binary: PageImage, marks: [DotLeaders.Box])? {
        guard gray.depth == 8 else { return nil }
        if let layoutBinary {
            let marks = layoutMarks ?? Despeckle.marks(of: layoutBinary)
            layoutMarks = marks
            return (layoutBinary, marks)
        }
        guard let binary = pixConvertTo1(gray.unsafePix, 128).map({ PageImage.adopting($0) }) else { return nil }
        return (binary, Despeckle.marks(of: binary))
    }

    /// `boxes` painted white on the grey copy and cleared in the layout binary.
    mutating func whiten(_ boxes: [DotLeaders.Box]) {
        guard let whitened = Despeckle().whiten(boxes, gray: gray, binary: layoutBinary) else { return }
        gray = whitened
        layoutMarks = nil
        changed = true
    }
}

/// A step that changes the copy Tesseract reads.
protocol CopyStep: Sendable {
    func apply(to copy: inout ReadingCopy)
}

/// Step 1: ruled lines, frames and solid blocks erased, so that Tesseract neither reads them
/// as characters nor cuts lines at them (`RuleEraser`).
public struct EraseRules: Sendable, Equatable, CopyStep {
    /// Marks of text this high or smaller are never taken for rules.
    public var textHeight: Double = 30

    public init() {}

    func apply(to copy: inout ReadingCopy) {
        guard let erased = RuleEraser(textHeight: textHeight).erased(copy.gray) else { return }
        copy.gray = erased
        copy.changed = true
    }
}

/// Step 2: Tesseract's layout analysis gets our binary image (`OtsuBinary`), the same one it
/// would make itself at a fraction of the cost; its LSTM still reads the grey copy.
public struct OwnBinary: Sendable, Equatable, CopyStep {
    public init() {}

    func apply(to copy: inout ReadingCopy) {
        copy.layoutBinary = OtsuBinary.of(copy.gray)
        copy.layoutMarks = nil
        if copy.layoutBinary != nil { copy.changed = true }
    }
}

/// Step 3: dot leaders painted white on the grey copy and on the layout binary (`DotLeaders`),
/// so that a form's "Grundmiete ........ 474,25 €" reads as label and value, not as a string
/// of dots that drags the label's letters with it.
public struct EraseDotLeaders: Sendable, Equatable, CopyStep {
    /// Fewest dots in a leader.
    public var minimumDots = DotLeaders().minimumDots

    public init() {}

    func apply(to copy: inout ReadingCopy) {
        guard let probe = copy.marks() else { return }
        var leaders = DotLeaders()
        leaders.minimumDots = minimumDots
        copy.whiten(leaders.dots(among: probe.marks))
    }
}

/// Step 4: scanner speckle painted white on the grey copy and on the layout binary
/// (`Despeckle`): marks far smaller than the page's text and away from it.
public struct WhitenSpeckle: Sendable, Equatable, CopyStep {
    /// A speck is at most this share of the page's text height.
    public var maximumSize = Despeckle().maximumSize
    /// Text heights of paper a speck keeps from any other ink.
    public var isolation = Despeckle().isolation

    public init() {}

    func apply(to copy: inout ReadingCopy) {
        guard let probe = copy.marks() else { return }
        var despeckle = Despeckle()
        despeckle.maximumSize = maximumSize
        despeckle.isolation = isolation
        // `layoutBinary` is this page's own copy: the specks are cleared in it too.
        copy.whiten(despeckle.specks(among: probe.marks, width: probe.binary.width, height: probe.binary.height))
    }
}

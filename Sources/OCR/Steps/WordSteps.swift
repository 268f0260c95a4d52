import CLeptonica
import CTesseract
import Foundation
import Imaging

/// The words of a page as the steps after recognition (5–9 of `RecognitionSteps`) change
/// them: the page's text, its words with boxes and confidences, and the same words with their
/// text line and baseline for the steps that measure ink.
struct PageWords {
    var text: String
    var words: [RecognizedWord]
    var placed: [GlyphRepair.Word]
}

/// What a step after recognition may look at besides the words.
struct WordStepContext {
    /// For the second readings (`TesseractEngine.readClip`).
    let engine: TesseractEngine
    /// The prepared page.
    let page: PageImage
    /// The copy Tesseract read (rules erased, speckle whitened).
    let gray: PageImage
    /// Tesseract's own binary image of the copy (owned by the caller), when a step needs it.
    let binary: UnsafeMutablePointer<PIX>?
}

/// A step that changes the words Tesseract read.
protocol WordStep: Sendable {
    /// Whether the step measures ink on Tesseract's binary image.
    var needsThresholdedImage: Bool { get }
    func apply(to page: inout PageWords, in context: WordStepContext)
}

/// Step 6: middle dots and dashes the model cannot write read back from their ink (`GlyphRepair`).
public struct RepairGlyphs: Sendable, Equatable, WordStep {
    /// Print each measured token to standard error (calibration).
    public var trace = false

    public init() {}

    var needsThresholdedImage: Bool { true }

    func apply(to page: inout PageWords, in context: WordStepContext) {
        guard let binary = context.binary else { return }
        let decisions = GlyphRepair.decide(words: page.placed, binary: binary, trace: trace)
        guard let repaired = GlyphRepair.apply(decisions, to: page.text, words: page.placed) else { return }
        page.text = repaired
        for decision in decisions {
            page.words[decision.index].text = decision.to
            page.placed[decision.index].text = decision.to
        }
    }
}

/// Step 8: words made of one or two dot-like marks that stand away from text are dropped
/// (`GlyphRepair.specks`): speckle step 3 left, read as "·", ":" or ".".
public struct DropSpecks: Sendable, Equatable, WordStep {
    /// Print each dropped word to standard error (calibration).
    public var trace = false

    public init() {}

    var needsThresholdedImage: Bool { true }

    func apply(to page: inout PageWords, in context: WordStepContext) {
        guard let binary = context.binary else { return }
        let drops = GlyphRepair.specks(words: page.placed, binary: binary, trace: trace)
        guard !drops.isEmpty, let kept = GlyphRepair.removing(drops, from: page.text, words: page.placed) else { return }
        page.text = kept
        for index in drops.reversed() {
            page.words.remove(at: index)
            page.placed.remove(at: index)
        }
    }
}

/// Step 9: lines read with little confidence read again alone by the second engine; the second
/// reading replaces the first when it is clearly surer (`WeakLines`).
public struct ReadWeakLines: Sendable, Equatable {
    /// A line whose words' mean confidence is below this is read again.
    public var confidenceBelow = WeakLines.confidenceBelow
    /// The second reading must be this much surer (mean word confidence) …
    public var gain = WeakLines.gain
    /// … and at least this sure.
    public var accepted = WeakLines.accepted
    /// At most this many lines per page are read again (the least sure first).
    public var maximumPerPage = WeakLines.maximumPerPage

    public init() {}

    var needsThresholdedImage: Bool { false }
}

/// Step 11: rows of ink that no word covers (small type, a footer's columns) read again by the
/// second engine, cropped and enlarged (`UncoveredText`).
public struct ReadUncoveredText: Sendable, Equatable, WordStep {
    /// A block is enlarged so that its marks are about this high (small type comes out at ~14 px
    /// on a prepared page) …
    public var markHeight: Double = 30
    /// … by at most this factor.
    public var maximumScale: Double = 3
    /// Lines kept: those with a word of three letters or digits and at least this mean
    /// confidence (a logo, a signature, a barcode read as text come out with less).
    public var minimumLineConfidence: Float = 60
    /// Print each block and what was read there to standard error (calibration).
    public var trace = false

    public init() {}

    var needsThresholdedImage: Bool { true }

    func apply(to page: inout PageWords, in context: WordStepContext) {
        guard let binary = context.binary else { return }
        let blocks = UncoveredText.readingOrder(UncoveredText.blocks(binary: binary, words: page.placed.map(\.box)))
        var newLines: [[GlyphRepair.Word]] = []
        var newWords: [[RecognizedWord]] = []
        for block in blocks {
            for line in read(block, of: context.gray, engine: context.engine) {
                newLines.append(line.map(\.placed))
                newWords.append(line.map(\.word))
            }
        }
        guard !newLines.isEmpty else { return }
        let nextLine = (page.placed.map(\.line).max() ?? 0) + 1
        for k in newLines.indices { for w in newLines[k].indices { newLines[k][w].line = nextLine + k } }
        let (inserted, positions) = UncoveredText.inserting(newLines, into: page.text, words: page.placed)
        page.text = inserted
        // Insert from the back so that earlier positions stay valid; lines for one position in order.
        for k in newLines.indices.sorted(by: { (positions[$0], $0) > (positions[$1], $1) }) {
            page.placed.insert(contentsOf: newLines[k], at: positions[k])
            page.words.insert(contentsOf: newWords[k], at: positions[k])
        }
    }

    /// Reads one block: cropped from `gray` with a mark height of paper around, enlarged, read
    /// as one uniform block; the lines worth keeping. Boxes in page pixels.
    private func read(
        _ block: UncoveredText.Block, of gray: PageImage, engine: TesseractEngine
    ) -> [[(word: RecognizedWord, placed: GlyphRepair.Word)]] {
        let pad = Int(block.markHeight.rounded(.up))
        let x0 = max(0, block.x - pad), y0 = max(0, block.y - pad)
        let x1 = min(gray.width, block.x + block.width + pad), y1 = min(gray.height, block.y + block.height + pad)
        let scale = min(maximumScale, max(1, markHeight / max(1, block.markHeight)))
        let lines = engine.readClip(of: gray, x0: x0, y0: y0, x1: x1, y1: y1, scale: scale, mode: PSM_SINGLE_BLOCK)
        let kept = lines.filter { line in
            guard !line.isEmpty else { return false }
            let mean = line.map(\.word.confidence).reduce(0, +) / Float(line.count)
            let wordy = line.contains { $0.word.text.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.count >= 3 }
            return wordy && mean >= minimumLineConfidence
        }
        if trace {
            let summary = "second pass block \(block.x),\(block.y) \(block.width)x\(block.height) marks \(block.markHeight) scale \(String(format: "%.2f", scale)): "
                + lines.map { l in l.map(\.word.text).joined(separator: " ") + String(format: " [%.0f]", l.isEmpty ? 0 : l.map(\.word.confidence).reduce(0, +) / Float(l.count)) }.joined(separator: " | ") + "\n"
            FileHandle.standardError.write(Data(summary.utf8))
        }
        return kept
    }
}

/// Step 12: a letter's information block (beside the address window) written after the address
/// instead of line by line through it (`ReadingOrder`).
public struct SideBlocksAfterAddress: Sendable, Equatable, WordStep {
    public init() {}

    var needsThresholdedImage: Bool { false }

    func apply(to page: inout PageWords, in context: WordStepContext) {
        if let reordered = ReadingOrder.separatingSideBlocks(
            text: page.text, words: page.placed, pageWidth: context.page.width, pageHeight: context.page.height)
        {
            page.text = reordered
        }
    }
}

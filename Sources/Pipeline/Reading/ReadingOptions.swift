import Imaging
import OCR

/// The switches of a page's reading that an operator can set for a measurement
/// (`posteingang read --option NAME=VALUE`): the preparation's text height and the
/// recognition steps (`RecognitionSteps`). Production always reads with the defaults.
public struct ReadingOptions: Sendable, Equatable {
    public var recognition = RecognitionSteps.standard
    /// Median text mark height the page is scaled to (`PagePreparer.targetTextHeight`).
    public var targetTextHeight = 26.0

    public init() {}

    /// The names `set(_:)` takes, with what each one switches.
    public static let names: [(name: String, meaning: String)] = [
        ("text-height", "pixels the median text mark is scaled to (8-80, default 26)"),
        ("erase-rules", "erase ruled lines and frames before reading (on/off)"),
        ("own-binary", "give Tesseract our binary image for its layout (on/off)"),
        ("dot-leaders", "paint dot leaders between labels and values white (on/off)"),
        ("speckle", "paint scanner speckle white, drop lone dot words (on/off)"),
        ("fast-line-images", "uncompressed line images inside Tesseract (on/off)"),
        ("fast-morphology", "DWA openings in Tesseract's rule finder (on/off)"),
        ("psm", "Tesseract page segmentation: 3 automatic, 4 single column (default), 6 single block"),
        ("glyph-repair", "read middle dots and dashes back from their ink (on/off)"),
        ("accents", "read é, è, ê and ë back from their ink (on/off)"),
        ("weak-lines", "read lines read with little confidence again, alone (on/off)"),
        ("number-lines", "read short lines of figures again alone, in black and white (on/off)"),
        ("uncovered-text", "read rows of ink no word covers again (on/off)"),
        ("reading-order", "write a letter's information block after the address (on/off)"),
        ("glyph-trace", "print glyph measurements to standard error (on/off, default off)"),
    ]

    /// Sets one switch from `NAME=VALUE`.
    public mutating func set(_ assignment: String) throws(ReadingOptionError) {
        let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw .malformed(assignment) }
        let (name, value) = (parts[0], parts[1])
        func flag() throws(ReadingOptionError) -> Bool {
            switch value.lowercased() {
            case "on", "1", "true", "yes": return true
            case "off", "0", "false", "no": return false
            default: throw .badValue(name: name, value: value, expected: "on or off")
            }
        }
        /// A step switched off, or on (as it is, or with its default options).
        func switched<Step>(_ current: Step?, _ make: () -> Step) throws(ReadingOptionError) -> Step? {
            try flag() ? (current ?? make()) : nil
        }
        switch name {
        case "text-height":
            guard let height = Double(value), PagePreparer.targetTextHeights.contains(height) else {
                throw .badValue(name: name, value: value, expected: "a number from 8 to 80")
            }
            targetTextHeight = height
        case "erase-rules": recognition.eraseRules = try switched(recognition.eraseRules, EraseRules.init)
        case "own-binary": recognition.ownBinary = try switched(recognition.ownBinary, OwnBinary.init)
        case "dot-leaders": recognition.eraseLeaders = try switched(recognition.eraseLeaders, EraseDotLeaders.init)
        case "speckle":
            recognition.whitenSpeckle = try switched(recognition.whitenSpeckle, WhitenSpeckle.init)
            recognition.dropSpecks = try switched(recognition.dropSpecks, DropSpecks.init)
        case "fast-line-images": recognition.recognize.fastLineImages = try flag()
        case "fast-morphology": recognition.recognize.fastMorphology = try flag()
        case "psm":
            guard let raw = UInt32(value), let mode = TesseractEngine.PageSegmentation(rawValue: raw) else {
                throw .badValue(name: name, value: value, expected: "3, 4 or 6")
            }
            recognition.recognize.segmentation = mode
        case "glyph-repair": recognition.repairGlyphs = try switched(recognition.repairGlyphs, RepairGlyphs.init)
        case "accents": recognition.repairAccents = try switched(recognition.repairAccents, RepairAccents.init)
        case "weak-lines": recognition.weakLines = try switched(recognition.weakLines, ReadWeakLines.init)
        case "number-lines": recognition.numberLines = try switched(recognition.numberLines, ReadNumberLines.init)
        case "uncovered-text": recognition.uncoveredText = try switched(recognition.uncoveredText, ReadUncoveredText.init)
        case "reading-order": recognition.sideBlocks = try switched(recognition.sideBlocks, SideBlocksAfterAddress.init)
        case "glyph-trace": recognition.trace(try flag())
        default: throw .unknownName(name)
        }
    }
}

/// A `--option` that cannot be used.
public enum ReadingOptionError: Error, CustomStringConvertible, Equatable {
    case malformed(String)
    case unknownName(String)
    case badValue(name: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .malformed(let text): "option '\(text)' is not NAME=VALUE"
        case .unknownName(let name):
            "unknown option '\(name)' (known: \(ReadingOptions.names.map(\.name).joined(separator: ", ")))"
        case .badValue(let name, let value, let expected): "option \(name)=\(value): expected \(expected)"
        }
    }
}

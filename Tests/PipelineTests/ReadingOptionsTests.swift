import OCR
import Testing

@testable import Pipeline

@Suite("Reading switches (read --option)")
struct ReadingOptionsTests {
    @Test("Each switch sets its step; the defaults are the pipeline's")
    func switches() throws {
        var options = ReadingOptions()
        #expect(options.recognition == .standard)
        #expect(options.targetTextHeight == 26)
        try options.set("glyph-repair=off")
        try options.set("text-height=30")
        try options.set("psm=6")
        try options.set("glyph-trace=on")
        #expect(options.recognition.repairGlyphs == nil)
        #expect(options.recognition.recognize.segmentation == .singleBlock)
        #expect(options.recognition.dropSpecks?.trace == true && options.recognition.uncoveredText?.trace == true)
        #expect(options.targetTextHeight == 30)
        // Everything not named stays as it was.
        #expect(options.recognition.eraseRules == EraseRules() && options.recognition.weakLines == ReadWeakLines())
        #expect(options.recognition.sideBlocks != nil && options.recognition.recognize.fastLineImages)
        // A step switched off and on again comes back with its default options; switching on a
        // step that runs keeps its options.
        try options.set("speckle=off")
        #expect(options.recognition.whitenSpeckle == nil && options.recognition.dropSpecks == nil)
        try options.set("speckle=on")
        #expect(options.recognition.dropSpecks == DropSpecks() && options.recognition.whitenSpeckle == WhitenSpeckle())
        try options.set("uncovered-text=on")
        #expect(options.recognition.uncoveredText?.trace == true)
    }

    @Test(
        "A switch that cannot be used is refused with what would be accepted",
        arguments: [
            ("glyph-repair", ReadingOptionError.malformed("glyph-repair")),
            ("glyph-repairs=off", .unknownName("glyph-repairs")),
            ("text-height=200", .badValue(name: "text-height", value: "200", expected: "a number from 8 to 80")),
            ("psm=5", .badValue(name: "psm", value: "5", expected: "3, 4 or 6")),
            ("speckle=maybe", .badValue(name: "speckle", value: "maybe", expected: "on or off")),
        ])
    func refused(assignment: String, error: ReadingOptionError) {
        var options = ReadingOptions()
        #expect(throws: error) { try options.set(assignment) }
        #expect(options == ReadingOptions())
    }

    @Test("The unknown-name message lists every switch")
    func namesListed() {
        let message = ReadingOptionError.unknownName("x").description
        for (name, _) in ReadingOptions.names { #expect(message.contains(name)) }
    }
}

import Classification
import Testing

/// Text fields come out of OCR with the marks of table rules and logos around them.
struct TextValueTests {
    @Test("Ruling lines and logo marks around a text value are dropped", arguments: [
        ("| Ruhrwohnen Immobilien GmbH", "Ruhrwohnen Immobilien GmbH"),
        ("& Stadtsparkasse Ruhrtal", "Stadtsparkasse Ruhrtal"),
        ("Ruhrwohnen Immobilien GmbH =", "Ruhrwohnen Immobilien GmbH"),
        (": — Hans-Jürgen Bauer |", "Hans-Jürgen Bauer"),
        ("  e.V.  ", "e.V."),
    ])
    func junkTrimmed(raw: String, expected: String) {
        #expect(TextValue.normalize(raw) == expected)
    }

    @Test("Marks alone are no value; a trailing colon marks the next label and stays")
    func noValue() {
        #expect(TextValue.normalize("— — — |") == nil)
        #expect(TextValue.normalize("Anschrift:") == "Anschrift:")
    }
}

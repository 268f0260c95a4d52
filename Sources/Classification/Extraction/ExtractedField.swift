/// A field found in a document: the normalised value and where it came from.
public struct ExtractedField: Sendable, Codable, Equatable {
    /// Contract key, e.g. `gesamtmiete`.
    public var key: String
    public var type: FieldType
    /// Normalised value per the contract (`"1234.56"`, `"2025-03-01"`, …).
    public var value: String
    /// Text the value was read from.
    public var raw: String
    /// True when the value is readable but fails a check; `reason` says which.
    public var doubtful: Bool
    public var reason: String?
    /// Line (from 1, across pages) the value stands on.
    public var line: Int
    /// The configured label the value was anchored to (as configured), or `pattern` when
    /// the field's pattern found it.
    public var anchor: String
    /// Outcome of every configured check that could be evaluated.
    public var checks: [CheckOutcome]
    /// Where the value stands on its page and how sure OCR was of it; nil where it has no
    /// place (a count, a value of a text layer without word boxes, a value not found again
    /// among the page's words). Set after analysis, from the OCR's word boxes.
    public var location: ValueBox? = nil
}

/// The place of a value on a page: the box around the words it was read from.
public struct ValueBox: Sendable, Codable, Equatable {
    /// Page of the document (from 1; for one document of a split upload, counted within it).
    public var page: Int
    /// The box as shares (0…1) of the page's width and height, from its top left corner, so
    /// that it fits the page image at any size.
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    /// Mean OCR confidence (0…100) of the words in the box.
    public var confidence: Double

    public init(page: Int, x: Double, y: Double, width: Double, height: Double, confidence: Double) {
        self.page = page
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.confidence = confidence
    }
}

/// The result of one plausibility check on a field.
public struct CheckOutcome: Sendable, Codable, Equatable {
    /// The check as configured: `sum_of [kaltmiete, nebenkosten, heizkosten]`.
    public var check: String
    public var passed: Bool
    /// What was compared, in words.
    public var detail: String
}

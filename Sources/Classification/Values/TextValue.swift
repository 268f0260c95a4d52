/// Free-text values: trimmed of the separators that follow a label, single spaces.
public enum TextValue {
    /// `text` without leading `:`/`-`/spaces and trailing spaces, inner whitespace collapsed;
    /// nil when nothing is left.
    public static func normalize(_ text: String) -> String? {
        let trimmed = text.drop { $0 == ":" || $0 == "-" || $0 == "–" || $0.isWhitespace }
        let words = trimmed.split(whereSeparator: \.isWhitespace)
        guard !words.isEmpty else { return nil }
        return words.joined(separator: " ")
    }
}

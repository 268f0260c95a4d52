import Classification
import Foundation

/// Debit and credit markers of bank statements ("48,71 S" for Soll, "532,57 H" for Haben)
/// that OCR glued to the amount: "48,71S" is written "48,71 S", and on a page that marks
/// amounts with S or H, an amount ending a booking or balance line with a third decimal 5 or 8
/// ("27,378") is the amount with its S ("27,37 S": the deu model reads a small S as 5 or 8 when it
/// is set tight), and so is one followed by a lone 5, 8, $ or § ("377,55 8", "75,00 $").
enum DebitMarkerRepair {
    private static let glued = try! NSRegularExpression(pattern: #"(\d,\d\d)([SH])(?=\s|$)"#, options: [.anchorsMatchLines])
    private static let marked = try! NSRegularExpression(pattern: #"\d,\d\d ?[SH](?=\s|$)"#, options: [.anchorsMatchLines])
    private static let misread = try! NSRegularExpression(
        pattern: #"(?<![\d,])(\d{1,3}(?:\.\d{3})*,\d\d)(?:[58]| [58$§]\)?)[ \t]*$"#, options: [.anchorsMatchLines])

    private static let legend = try! NSRegularExpression(pattern: #"\bS\s?=\s?Soll\b|\bSoll\b.{0,40}\bHaben\b"#, options: [])

    /// Pages with at least this many marked amounts use the markers throughout.
    static let minimumMarkedAmounts = 2

    static func repaired(_ text: String) -> String {
        var text = text
        let range = NSRange(text.startIndex..., in: text)
        // A later page of a statement may have one marked amount left readable; the legend
        // ("S = Soll (Belastung), H = Haben (Gutschrift)") says the markers are in use.
        let markedCount = marked.numberOfMatches(in: text, range: range)
        guard markedCount >= minimumMarkedAmounts || (markedCount >= 1 && legend.firstMatch(in: text, range: range) != nil) else {
            return text
        }
        text = glued.stringByReplacingMatches(in: text, range: range, withTemplate: "$1 $2")
        // Only on booking and balance lines: a price per kWh keeps its third decimal.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let line = String(line)
            guard isBookingOrBalance(line) else { return line }
            return misread.stringByReplacingMatches(in: line, range: NSRange(line.startIndex..., in: line), withTemplate: "$1 S")
        }
        return lines.joined(separator: "\n")
    }

    private static func isBookingOrBalance(_ line: String) -> Bool {
        let lower = line.lowercased()
        if lower.contains("kontostand") || lower.contains("saldo") { return true }
        return BookingLines.startsWithDay(line.trimmingCharacters(in: .whitespaces))
    }
}

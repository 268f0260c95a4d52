import Foundation

/// The lines of a statement's bookings: a line that starts with a day ("03.03." or
/// "03.03.2025") and carries an amount, and the lines of its text below it (empty lines
/// included) up to a balance, a sum or a longer line.
public struct BookingLines {
    private var indices: Set<Int> = []

    init(_ document: DocumentText) {
        var inBooking = false
        for (index, line) in document.lines.enumerated() {
            let raw = line.raw.trimmingCharacters(in: .whitespaces)
            if Self.startsWithDay(raw), !AmountParser.allMatches(in: raw).isEmpty {
                indices.insert(index)
                inBooking = true
            } else if inBooking, raw.isEmpty {
                // OCR leaves empty lines inside a booking's text.
                continue
            } else if inBooking, raw.split(separator: " ").count <= 12,
                !["saldo", "kontostand", "uebertrag", "summe"].contains(where: { line.foldedText.contains($0) })
            {
                // The booking's text: counterparty, IBAN, purpose.
                indices.insert(index)
            } else {
                inBooking = false
            }
        }
    }

    func contains(_ index: Int) -> Bool { indices.contains(index) }

    /// The signed amount of each booking line in cents, in order: the last amount on a line that
    /// starts with a day ("03.02.2025 03.02. Lastschrift -70,00", "05.02./05.02. … 48,71 S").
    /// Nil when a line that starts with a day has more than two amounts (a balance column or
    /// a line read together with its neighbour: the sum would not be the bookings').
    static func amounts(in document: DocumentText) -> [Int]? {
        var amounts: [Int] = []
        for line in document.lines {
            let raw = line.raw.trimmingCharacters(in: .whitespaces)
            guard startsWithDay(raw) else { continue }
            let found = AmountParser.allMatches(in: raw)
            guard let last = found.last else { continue }
            guard found.count <= 2, let cents = AmountParser.cents(last.value.normalized) else { return nil }
            amounts.append(cents)
        }
        return amounts
    }

    /// Whether `raw` starts with a day without year, as bookings do ("03.03.").
    public static func startsWithDay(_ raw: String) -> Bool {
        let characters = Array(raw.prefix(6))
        guard characters.count == 6 else { return false }
        return characters[0].isNumber && characters[1].isNumber && characters[2] == "." && characters[3].isNumber
            && characters[4].isNumber && characters[5] == "."
    }
}

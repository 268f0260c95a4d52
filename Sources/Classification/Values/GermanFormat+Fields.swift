
import Foundation

/// A field's normalised value (`555.00`, `2023-06-01`, `2023-06`, `DE89…`) as the pages show it.
extension GermanFormat {
    /// With its unit: `555,00 €`, `01.06.2023`, `06/2023`, `DE89 3704 …`, `62,4 m²`; other types
    /// and values that do not parse unchanged.
    public static func fieldValue(_ value: String, type: FieldType) -> String {
        switch type {
        case .amount: return decimal(value).map(euro) ?? value
        case .area: return decimal(value).map(area) ?? value
        case .date: return date(value)
        case .month: return month(value)
        case .iban: return iban(value)
        case .integer, .text, .name: return value
        }
    }

    /// For a form's input: the same without the unit (`555,00`, `62,4`), which the correction
    /// parsers read back.
    public static func fieldInput(_ value: String, type: FieldType) -> String {
        switch type {
        case .amount: return decimal(value).map { number($0, fraction: 2) } ?? value
        case .area: return decimal(value).map { number($0, fraction: 2, trim: true) } ?? value
        default: return fieldValue(value, type: type)
        }
    }
}

import Foundation
import PosteingangTestKit
import Testing

@testable import OCR

/// Accents the deu model cannot write, read back from their ink (`RepairAccents`).
@Suite(.tags(.ocr), .slow) struct AccentRepairTests {
    @Test("Acute and grave accents over an e are read from the ink; letters without accents stay as read")
    func line() throws {
        let without = try Recognition.firstPage("ocr/accents-line.png") { $0.steps.repairAccents = nil }
        let with = try Recognition.firstPage("ocr/accents-line.png")
        #expect(without.text.contains("Cafe Müller Rene Helene"), "\(without.text)")
        #expect(with.text.contains("Café Müller René Hélène"), "\(with.text)")
        #expect(with.words.map(\.text).contains("Hélène"))
    }

    @Test("An employer's é read as e or as & on a scanned payslip is written é; H&M-like signs and other words stay")
    func payslip() throws {
        let without = try Recognition.firstPage("ocr/accent-payslip.pdf") { $0.steps.repairAccents = nil }
        let with = try Recognition.firstPage("ocr/accent-payslip.pdf")
        #expect(without.text.contains("Caf& Sonne") || without.text.contains("Cafe Sonne"), "\(without.text)")
        #expect(!with.text.contains("Cafe") && !with.text.contains("Caf&"), "\(with.text)")
        #expect(with.text.contains("Café Sonne UG (haftungsbeschränkt)"), "\(with.text)")
        // Only the accented words changed.
        let plain = { (text: String) in text.replacingOccurrences(of: "Café", with: "").replacingOccurrences(of: "Cafe", with: "").replacingOccurrences(of: "Caf&", with: "") }
        #expect(plain(without.text) == plain(with.text))
    }
}

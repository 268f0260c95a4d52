import Foundation
import Imaging
@testable import OCR
import PosteingangTestKit
import Testing

/// Dot leaders between a form's labels and values (`DotLeaders`, step `eraseLeaders`).
@Suite(.tags(.ocr), .slow)
struct DotLeaderTests {
    static let rows = ["Grundmiete", "Nebenkosten (kalt)", "Heizung und Warmwasser", "Gesamt", "Wohnfläche", "bewohnt seit"]

    @Test("A scanned form with dot leaders reads as labels and values; without the step the labels are lost")
    func scan() throws {
        let without = try Recognition.firstPage("ocr/leaders-scan.pdf") { $0.steps.eraseLeaders = nil }.text
        let with = try Recognition.firstPage("ocr/leaders-scan.pdf").text
        #expect(!without.contains("Grundmiete 586,50 €"), "\(without)")
        for line in ["Grundmiete 586,50 €", "Nebenkosten (kalt) 150,00 €", "Heizung und Warmwasser 135,00 €", "Gesamt 871,50 €",
                     "bewohnt seit 01.09.2024"] {
            #expect(with.contains(line), "\(line) in \(with)")
        }
        // The text around the table is as it was.
        #expect(with.contains("Vermieter (Name, Anschrift): Isartal Wohnen eG, Lindwurmstraße 88, 80337 München"), "\(with)")
    }

    @Test("On a photo the leaders' dots run together in places and are still found")
    func photo() throws {
        let text = try Recognition.firstPage("ocr/leaders-photo.jpg").text
        for line in ["Grundmiete 462,90 €", "Nebenkosten (kalt) 80,00 €", "Heizung und Warmwasser 60,00 €", "Gesamt 602,90 €",
                     "bewohnt seit 01.03.2025"] {
            #expect(text.contains(line), "\(line) in \(text)")
        }
    }

    @Test("Full stops, an ellipsis, dates and the dots of umlauts are not leaders")
    func notLeaders() {
        let leaders = DotLeaders()
        func box(_ x: Int, _ y: Int, _ w: Int = 6, _ h: Int = 6) -> DotLeaders.Box { (x, y, w, h) }
        // A leader: 12 dots, the same gap apart.
        #expect(leaders.isLeader((0..<12).map { box(100 + 16 * $0, 500) }))
        // An ellipsis is three dots; "z. B. u. a." has letters between its points.
        #expect(!leaders.isLeader((0..<3).map { box(100 + 12 * $0, 500) }))
        // Dots at uneven gaps (the points of a date line, an umlaut's pair then the next word's).
        #expect(!leaders.isLeader([box(100, 500), box(108, 500), box(160, 500), box(168, 500), box(240, 500), box(248, 500), box(330, 500)]))
    }

    @Test("A page that is nothing but rows of dots: every row is a leader; dots a text height apart are none")
    func pageOfDots() {
        // 300 rows 9 px apart (a text height of 26: rows closer than a line), 300 dots each.
        let dots: [DotLeaders.Box] = (0..<300).flatMap { row in (0..<300).map { (10 + 16 * $0, 10 + 9 * row, 6, 6) } }
        let found = DotLeaders().dots(among: dots, textHeight: 26)
        #expect(found.count == dots.count)
        // Dots further apart than a text height are no leader, however many.
        let sparse: [DotLeaders.Box] = (0..<40).map { (10 + 40 * $0, 100, 6, 6) }
        #expect(DotLeaders().dots(among: sparse, textHeight: 26).isEmpty)
    }

    @Test("The text height of a page full of leaders is its letters', not its dots'")
    func letterMedian() {
        let dots = Array(repeating: 6, count: 800), letters = (0..<300).map { [14, 18, 25, 26, 27][$0 % 5] }
        #expect(Despeckle.letterMedian(dots + letters) == 25)
        // A page of text keeps its median (full stops and i-dots are a few among many letters).
        let text = (0..<1000).map { [4, 14, 15, 25, 26, 26, 27, 14, 15, 25][$0 % 10] }
        #expect(Despeckle.letterMedian(text) == Double(text.sorted()[500]))
    }
}

import Classification
import Foundation

/// One document inside an upload: a run of pages.
public struct PartRange: Sendable, Codable, Equatable {
    /// 1-based, first and last page of the upload that belong to this document.
    public var firstPage: Int
    public var lastPage: Int
    /// The cover sheet before it, if the batch had cover sheets.
    public var cover: CoverSheet?
    /// Why a new document starts at `firstPage`.
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case firstPage = "first_page"
        case lastPage = "last_page"
        case cover, reason
    }

    public var pages: ClosedRange<Int> { firstPage...lastPage }
}

/// How an upload was split into documents.
public struct SplitDecision: Sendable, Codable, Equatable {
    public enum Method: String, Sendable, Codable {
        /// Cover sheets mark where each document starts.
        case coverSheets = "cover_sheets"
        /// No cover sheets: page counters, a new title or a new case number mark a new document.
        case content
        /// One document.
        case none
    }

    public var method: Method
    public var parts: [PartRange]
    /// Pages that are cover sheets (kept in the original, in no document).
    public var coverPages: [Int]
    /// What the splitter saw and why it did (not) split.
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case method, parts
        case coverPages = "cover_pages"
        case notes
    }
}

/// Decides where the documents of a multi-document upload (a scanning centre's batch, a
/// citizen's combined PDF) begin and end.
///
/// With cover sheets the answer is certain: each cover starts a document. Without them the
/// splitter is conservative and splits only where a page clearly starts something new:
/// a "Seite 1 von N" counter, a confidently different class, or a different registered case
/// number, and never where a page continues a counter ("Seite 2 von 3"). When unsure it keeps
/// one document and says so.
public struct BatchSplitter: Sendable {
    public var analyzer: DocumentAnalyzer
    /// A page's own class counts only at or above this confidence and margin.
    public var minimumPageConfidence: Double
    public var minimumPageMargin: Double

    public init(analyzer: DocumentAnalyzer, minimumPageConfidence: Double = 0.6, minimumPageMargin: Double = 0.5) {
        self.analyzer = analyzer
        self.minimumPageConfidence = minimumPageConfidence
        self.minimumPageMargin = minimumPageMargin
    }

    public func split(_ pages: [ReadPage]) -> SplitDecision {
        guard !pages.isEmpty else { return SplitDecision(method: .none, parts: [], coverPages: [], notes: ["keine Seiten"]) }
        let covers = pages.compactMap { CoverSheet.detect(page: $0.number, codes: $0.barcodes, pageText: $0.text) }
        if !covers.isEmpty { return splitAtCovers(pages, covers: covers) }
        guard pages.count > 1 else {
            return SplitDecision(
                method: .none, parts: [PartRange(firstPage: pages[0].number, lastPage: pages[0].number, cover: nil, reason: "eine Seite")],
                coverPages: [], notes: [])
        }
        return splitByContent(pages)
    }

    // MARK: cover sheets

    private func splitAtCovers(_ pages: [ReadPage], covers: [CoverSheet]) -> SplitDecision {
        var parts: [PartRange] = []
        var notes: [String] = []
        let coverByPage = Dictionary(covers.map { ($0.page, $0) }, uniquingKeysWith: { a, _ in a })
        var current: PartRange?
        var pendingCover: CoverSheet?
        func close() {
            if let part = current { parts.append(part) }
            current = nil
        }
        for page in pages {
            if let cover = coverByPage[page.number] {
                close()
                if let previous = pendingCover {
                    notes.append("auf das Deckblatt auf Seite \(previous.page) folgt direkt ein weiteres; dazwischen kein Dokument")
                }
                pendingCover = cover
                continue
            }
            if current == nil {
                if let cover = pendingCover {
                    current = PartRange(
                        firstPage: page.number, lastPage: page.number, cover: cover,
                        reason: "Deckblatt auf Seite \(cover.page)" + (cover.caseReference.map { " nennt den Fall \($0)" } ?? " (Trennblatt)"))
                    pendingCover = nil
                } else {
                    current = PartRange(
                        firstPage: page.number, lastPage: page.number, cover: nil,
                        reason: "Seiten vor dem ersten Deckblatt")
                    notes.append("Seite \(page.number) steht vor dem ersten Deckblatt: als eigenes Dokument abgelegt")
                }
            } else {
                current?.lastPage = page.number
            }
        }
        close()
        if let cover = pendingCover {
            notes.append("das Deckblatt auf Seite \(cover.page) ist die letzte Seite; ihm folgt kein Dokument")
        }
        notes.insert("\(covers.count == 1 ? "1 Deckblatt auf Seite" : "\(covers.count) Deckblätter auf den Seiten") \(covers.map { String($0.page) }.joined(separator: ", "))", at: 0)
        return SplitDecision(method: .coverSheets, parts: parts, coverPages: covers.map(\.page), notes: notes)
    }

    // MARK: content

    /// A class's German name from the configuration, else its id.
    private func classLabel(_ id: String) -> String { analyzer.configuration.documentClass(id)?.label ?? id }

    /// What one page says about where it stands.
    struct PageSignals {
        var counter: (page: Int, of: Int)?
        var documentClass: String?
        var caseNumbers: Set<String>
    }

    private static let counterPattern = NSRegularExpression.fixedPattern(
        #"(?i)\b(?:Seite|Blatt)\s+([0-9]{1,3})\s*(?:von|/)\s*([0-9]{1,3})\b"#)

    static func counter(in text: String) -> (page: Int, of: Int)? {
        let range = NSRange(text.startIndex..., in: text)
        // The last counter on a page is its footer; an earlier one may quote another letter.
        guard let match = counterPattern.matches(in: text, range: range).last,
            let first = Range(match.range(at: 1), in: text), let second = Range(match.range(at: 2), in: text),
            let page = Int(text[first]), let total = Int(text[second]), page >= 1, total >= page, total <= 500
        else { return nil }
        return (page, total)
    }

    func signals(of page: ReadPage) -> PageSignals {
        let analysis = analyzer.analyze(text: page.text, barcodes: page.barcodes)
        let classification = analysis.classification
        let confident = !classification.isFallback && classification.confidence >= minimumPageConfidence
            && classification.margin >= minimumPageMargin
        // Registered case and customer numbers printed on the page (or in its codes), whether or
        // not they decided its case: a name of another household does not hide a new number.
        let numberKinds = ["BG-Nummer ", "Kundennummer ", "case number "]
        let numbers = Set(
            analysis.caseMatch.candidates
                .filter { candidate in candidate.evidence.contains { item in numberKinds.contains { item.hasPrefix($0) } } }
                .map(\.caseID))
        return PageSignals(counter: Self.counter(in: page.text), documentClass: confident ? classification.classID : nil, caseNumbers: numbers)
    }

    private func splitByContent(_ pages: [ReadPage]) -> SplitDecision {
        let signals = pages.map(signals(of:))
        var parts: [PartRange] = [PartRange(firstPage: pages[0].number, lastPage: pages[0].number, cover: nil, reason: "erste Seite")]
        var notes: [String] = []
        var partClass = signals[0].documentClass
        var partCases = signals[0].caseNumbers
        for index in 1..<pages.count {
            let page = pages[index], here = signals[index], before = signals[index - 1]
            var reasons: [String] = [], weak: [String] = []
            var continues = false
            if let counter = here.counter, counter.page > 1 {
                // "Seite 2 von 3": the same document goes on, whatever else the page says.
                continues = true
            }
            if let previous = before.counter, previous.page < previous.of, here.counter.map({ $0.page == previous.page + 1 && $0.of == previous.of }) ?? true {
                // The page before said more pages follow.
                continues = true
            }
            // A counter restarting ("Seite 1 von N") starts a document where the page before
            // ended its own counter, or had none while this page clearly reads as a class. A
            // restart alone on a page of unclear class may be an annex: no split.
            let previousEnded = before.counter.map { $0.page == $0.of } ?? false
            if let counter = here.counter, counter.page == 1 {
                let sure = previousEnded || (before.counter == nil && here.documentClass != nil)
                let text = "Seite \(page.number) beginnt eine Seitenzählung (Seite 1 von \(counter.of))"
                if sure { reasons.append(text) } else { weak.append(text) }
            }
            if let newClass = here.documentClass, let oldClass = partClass, newClass != oldClass {
                reasons.append("Seite \(page.number) liest sich als „\(classLabel(newClass))“ nach „\(classLabel(oldClass))“")
            }
            if !here.caseNumbers.isEmpty, !partCases.isEmpty, here.caseNumbers.isDisjoint(with: partCases) {
                reasons.append(
                    "Seite \(page.number) trägt die Fallnummer \(here.caseNumbers.sorted().joined(separator: ", ")) nach \(partCases.sorted().joined(separator: ", "))")
            }
            if !reasons.isEmpty, !continues {
                parts.append(PartRange(firstPage: page.number, lastPage: page.number, cover: nil, reason: reasons.joined(separator: "; ")))
                partClass = here.documentClass
                partCases = here.caseNumbers
            } else {
                let unsure = reasons + weak
                if !unsure.isEmpty {
                    let why = continues ? "die Seitenzählung läuft weiter" : "kein sicheres Zeichen"
                    notes.append("vor Seite \(page.number) nicht getrennt (\(why)): \(unsure.joined(separator: "; "))")
                }
                parts[parts.count - 1].lastPage = page.number
                if partClass == nil { partClass = here.documentClass }
                partCases.formUnion(here.caseNumbers)
            }
        }
        if parts.count == 1 {
            let rest = pages.count == 2 ? "Seite 2" : "den Seiten 2–\(pages.count)"
            notes.insert("ein Dokument: kein Deckblatt und kein sicheres Zeichen für ein neues Dokument auf \(rest)", at: 0)
            return SplitDecision(method: .none, parts: parts, coverPages: [], notes: notes)
        }
        notes.insert("\(parts.count) Dokumente nach dem Inhalt gefunden (keine Deckblätter)", at: 0)
        return SplitDecision(method: .content, parts: parts, coverPages: [], notes: notes)
    }
}

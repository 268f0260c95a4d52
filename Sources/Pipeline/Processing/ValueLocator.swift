import Classification
import OCR

/// Finds where each extracted value stands on its page, from the OCR's word boxes, so that a
/// caseworker sees the place a figure came from.
///
/// Extraction works on the text, whose lines are Tesseract's lines (a letter's side block moved
/// by ReadingOrder, a second pass's lines put in), so a line is found again by its words rather
/// than by its position: the page's words are grouped into rows by height, the rows sharing most
/// words with the value's line are tried first (ties: the row nearest to where the line stands
/// among the page's lines), and in a row the run of words whose letters and digits spell the
/// value's raw text is the value's box. Nothing found, no box: a box around other words would
/// send the caseworker to the wrong place.
enum ValueLocator {
    /// The fields with `location` set where their words were found. `text` is the text the
    /// fields were extracted from (its lines are what `ExtractedField.line` counts), `pages`
    /// the pages it was made of, in order.
    static func locate(_ fields: [ExtractedField], text: String, pages: [ReadPage]) -> [ExtractedField] {
        guard pages.contains(where: { !$0.words.isEmpty }) else { return fields }
        let lines = DocumentLines.of(text)
        var rowsOfPage: [Int: [Row]] = [:]
        var linesOfPage: [Int: [Int]] = [:]
        for (index, line) in lines.enumerated() { linesOfPage[line.page, default: []].append(index) }
        return fields.map { field in
            var field = field
            guard (1...lines.count).contains(field.line) else { return field }
            let line = lines[field.line - 1]
            guard line.page <= pages.count else { return field }
            let page = pages[line.page - 1]
            guard !page.words.isEmpty, let width = page.width, let height = page.height, width > 0, height > 0 else { return field }
            let rows = rowsOfPage[line.page] ?? Self.rows(page.words)
            rowsOfPage[line.page] = rows
            // Where the line stands among the page's lines, as a share of the page's rows.
            let onPage = linesOfPage[line.page] ?? []
            let position = Double(onPage.firstIndex(of: field.line - 1) ?? 0) + 0.5
            let expected = position / Double(max(onPage.count, 1))
            guard let words = find(value: field.raw, line: line.text, rows: rows, expectedShare: expected) else { return field }
            let left = words.map(\.x).min()!, top = words.map(\.y).min()!
            let right = words.map { $0.x + $0.width }.max()!, bottom = words.map { $0.y + $0.height }.max()!
            func share(_ value: Int, of whole: Int) -> Double { (Double(value) / Double(whole) * 10_000).rounded() / 10_000 }
            field.location = ValueBox(
                page: line.page, x: share(left, of: width), y: share(top, of: height),
                width: share(right - left, of: width), height: share(bottom - top, of: height),
                confidence: (Double(words.map(\.confidence).reduce(0, +)) / Double(words.count)).rounded())
            return field
        }
    }

    /// Words standing side by side at one height, left to right.
    struct Row {
        var words: [RecognizedWord]
        var center: Double
        var height: Double
        var tokens: [String: Int]
    }

    /// Groups words into rows: a word joins a row whose centre line lies within half a word
    /// height of its own centre.
    static func rows(_ words: [RecognizedWord]) -> [Row] {
        let sorted = words.filter { $0.height > 0 && $0.width > 0 }.sorted {
            Double($0.y) + Double($0.height) / 2 < Double($1.y) + Double($1.height) / 2
        }
        var rows: [Row] = []
        for word in sorted {
            let center = Double(word.y) + Double(word.height) / 2
            let joins = rows.indices.suffix(4).last { index in
                abs(rows[index].center - center) <= 0.5 * max(rows[index].height, Double(word.height))
            }
            if let index = joins {
                let count = Double(rows[index].words.count)
                rows[index].words.append(word)
                rows[index].center = (rows[index].center * count + center) / (count + 1)
                rows[index].height = max(rows[index].height, Double(word.height) * 0.8)
            } else {
                rows.append(Row(words: [word], center: center, height: Double(word.height), tokens: [:]))
            }
        }
        return rows.map { row in
            var row = row
            row.words.sort { $0.x < $1.x }
            for word in row.words {
                let token = String(normalized(word.text))
                if !token.isEmpty { row.tokens[token, default: 0] += 1 }
            }
            return row
        }
    }

    /// The words of `value` in the row that best matches `line`.
    static func find(value: String, line: String, rows: [Row], expectedShare: Double) -> [RecognizedWord]? {
        let target = normalized(value)
        guard !target.isEmpty, !rows.isEmpty else { return nil }
        let lineTokens = line.split(whereSeparator: \.isWhitespace).map { String(normalized(String($0))) }.filter { !$0.isEmpty }
        let top = rows.map { $0.words.map(\.y).min()! }.min()!
        let bottom = rows.map { $0.words.map { $0.y + $0.height }.max()! }.max()!
        let span = Double(max(bottom - top, 1))
        let scored = rows.map { row -> (row: Row, score: Double, distance: Double) in
            var available = row.tokens
            var matched = 0
            for token in lineTokens where available[token, default: 0] > 0 {
                available[token]! -= 1
                matched += 1
            }
            let share = (row.center - Double(top)) / span
            return (row, lineTokens.isEmpty ? 0 : Double(matched) / Double(lineTokens.count), abs(share - expectedShare))
        }
        let candidates = scored.filter { $0.score >= 0.5 }.sorted {
            $0.score != $1.score ? $0.score > $1.score : $0.distance < $1.distance
        }
        for candidate in candidates {
            if let words = spelling(target, in: candidate.row.words) { return words }
        }
        return nil
    }

    /// The shortest run of consecutive words whose letters and digits contain `target`; a target
    /// of one or two characters must be a word of its own (a lone "1" is in every row).
    static func spelling(_ target: [Character], in words: [RecognizedWord]) -> [RecognizedWord]? {
        let tokens = words.map { normalized($0.text) }
        if target.count < 3 {
            return tokens.firstIndex(of: target).map { [words[$0]] }
        }
        for fold in [false, true] {
            var characters: [Character] = []
            var owner: [Int] = []
            for (index, token) in tokens.enumerated() {
                for character in token {
                    characters.append(fold ? confusable(character) : character)
                    owner.append(index)
                }
            }
            let wanted = fold ? target.map(confusable) : target
            guard wanted.count <= characters.count else { return nil }
            for start in 0...(characters.count - wanted.count) where characters[start] == wanted[0] {
                if Array(characters[start..<(start + wanted.count)]) == wanted {
                    return Array(words[owner[start]...owner[start + wanted.count - 1]])
                }
            }
        }
        return nil
    }

    /// Letters and digits, lower case: what a value and the words it was read from share.
    static func normalized(_ text: String) -> [Character] {
        text.lowercased().filter { $0.isLetter || $0.isNumber }.map { $0 }
    }

    /// Characters OCR mixes up with digits, folded together (the value may have been repaired).
    static func confusable(_ character: Character) -> Character {
        switch character {
        case "o": return "0"
        case "l", "i": return "1"
        case "s": return "5"
        case "b": return "8"
        case "z": return "2"
        default: return character
        }
    }
}

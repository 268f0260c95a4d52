import CLeptonica
import Foundation

/// Finds text that the page's recognition left out: rows of letter-sized marks in the binary
/// image that no recognised word covers, grouped into blocks (one per column), for a second
/// reading of each block on its own.
///
/// Tesseract's layout analysis sometimes drops a whole region: the footer of a photographed
/// letter in small type, in four columns under a rule (address, phone, bank and IBAN, register
/// court), came out as nothing at all though it is sharp on the straightened page. Read on its
/// own, cropped and enlarged, the same region reads well.
enum UncoveredText {
    typealias Box = (x: Int, y: Int, width: Int, height: Int)

    /// One region to read again: its box in page pixels and the median height of its marks.
    struct Block: Equatable {
        var x: Int, y: Int, width: Int, height: Int
        var markHeight: Double
        static func == (a: Block, b: Block) -> Bool {
            (a.x, a.y, a.width, a.height) == (b.x, b.y, b.width, b.height) && a.markHeight == b.markHeight
        }
    }

    /// The blocks of `binary` (1 bpp, ink = 1, the image Tesseract read) that hold rows of
    /// letter-like marks outside every box of `words`. A row needs at least `minimumMarks` marks
    /// spanning three mark heights; rows close above one another that share columns form a block.
    static func blocks(binary: UnsafeMutablePointer<PIX>, words: [Box], minimumMarks: Int = 5) -> [Block] {
        let width = Int(pixGetWidth(binary)), height = Int(pixGetHeight(binary))
        guard width > 0, height > 0 else { return [] }
        var owned = pixConnCompBB(binary, 8)
        defer { boxaDestroy(&owned) }
        guard let found = owned else { return [] }
        let count = Int(boxaGetCount(found))
        var marks: [Box] = []
        marks.reserveCapacity(count)
        for index in 0..<count {
            var x: Int32 = 0, y: Int32 = 0, w: Int32 = 0, h: Int32 = 0
            boxaGetBoxGeometry(found, Int32(index), &x, &y, &w, &h)
            marks.append((Int(x), Int(y), Int(w), Int(h)))
        }
        var heights = marks.filter { $0.height >= 4 && $0.width <= 4 * $0.height && $0.height <= 200 }.map(\.height)
        guard heights.count >= 20 else { return [] }
        heights.sort()
        let textHeight = Double(heights[heights.count / 2])

        // Coverage by the recognised words (grown by a third of a text height), in cells of 4 px.
        let cell = 4, columns = width / cell + 1, rows = height / cell + 1
        var covered = [Bool](repeating: false, count: columns * rows)
        let margin = Int(textHeight / 3)
        for word in words {
            let c0 = max(0, (word.x - margin) / cell), c1 = min(columns - 1, (word.x + word.width + margin) / cell)
            let r0 = max(0, (word.y - margin) / cell), r1 = min(rows - 1, (word.y + word.height + margin) / cell)
            guard c0 <= c1, r0 <= r1 else { continue }
            for r in r0...r1 { for c in c0...c1 { covered[r * columns + c] = true } }
        }
        // Letter-like marks outside the words: from a small letter of small type (a third of the
        // page's text height) to a capital of a heading (2.5), not long (a rule, a bar).
        let free = marks.filter { m in
            guard Double(m.height) >= 0.3 * textHeight, Double(m.height) <= 2.5 * textHeight,
                  Double(m.width) <= 3 * textHeight else { return false }
            let cx = (m.x + m.width / 2) / cell, cy = (m.y + m.height / 2) / cell
            return !covered[min(rows - 1, cy) * columns + min(columns - 1, cx)]
        }.sorted { $0.x < $1.x }
        guard free.count >= minimumMarks else { return [] }

        // Rows: marks joined left to right where they overlap vertically by half the smaller one
        // and the paper between them is under a text height (words of a line; not a column gap).
        var parent = Array(free.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        let gapLimit = Int(1.0 * textHeight)
        for i in free.indices {
            let a = free[i]
            var j = i + 1
            while j < free.count, free[j].x <= a.x + a.width + gapLimit {
                let b = free[j]
                let overlap = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
                if Double(overlap) >= 0.5 * Double(min(a.height, b.height)) {
                    let ra = root(i), rb = root(j)
                    if ra != rb { parent[ra] = rb }
                }
                j += 1
            }
        }
        var groups: [Int: [Box]] = [:]
        for i in free.indices { groups[root(i), default: []].append(free[i]) }
        var rowBoxes: [(box: Box, markHeight: Double)] = []
        for members in groups.values where members.count >= minimumMarks {
            let x0 = members.map(\.x).min()!, y0 = members.map(\.y).min()!
            let x1 = members.map { $0.x + $0.width }.max()!, y1 = members.map { $0.y + $0.height }.max()!
            let sorted = members.map(\.height).sorted()
            let markHeight = Double(sorted[sorted.count / 2])
            guard Double(x1 - x0) >= 3 * markHeight else { continue }
            rowBoxes.append(((x0, y0, x1 - x0, y1 - y0), markHeight))
        }
        guard !rowBoxes.isEmpty else { return [] }
        rowBoxes.sort { $0.box.y < $1.box.y }

        // Blocks: rows sharing columns with less than two of their heights of paper between them.
        var blocks: [(box: Box, heights: [Double])] = []
        for row in rowBoxes {
            let r = row.box
            if let k = blocks.lastIndex(where: { b in
                let overlapX = min(b.box.x + b.box.width, r.x + r.width) - max(b.box.x, r.x)
                let paper = r.y - (b.box.y + b.box.height)
                return overlapX > 0 && Double(paper) < 2 * row.markHeight
            }) {
                let b = blocks[k].box
                let x0 = min(b.x, r.x), y0 = min(b.y, r.y)
                let x1 = max(b.x + b.width, r.x + r.width), y1 = max(b.y + b.height, r.y + r.height)
                blocks[k].box = (x0, y0, x1 - x0, y1 - y0)
                blocks[k].heights.append(row.markHeight)
            } else {
                blocks.append((r, [row.markHeight]))
            }
        }
        return blocks.map { block in
            let sorted = block.heights.sorted()
            return Block(x: block.box.x, y: block.box.y, width: block.box.width, height: block.box.height,
                         markHeight: sorted[sorted.count / 2])
        }
    }

    /// `blocks` in reading order: rows of blocks side by side (overlapping vertically) top to
    /// bottom, each row left to right (a footer's columns one after another).
    static func readingOrder(_ blocks: [Block]) -> [Block] {
        var rows: [[Block]] = []
        for block in blocks.sorted(by: { $0.y < $1.y }) {
            if let last = rows.last, let top = last.map(\.y).min(), let bottom = last.map({ $0.y + $0.height }).max(),
               block.y < bottom, block.y + block.height > top {
                rows[rows.count - 1].append(block)
            } else {
                rows.append([block])
            }
        }
        return rows.flatMap { $0.sorted { $0.x < $1.x } }
    }

    /// `text` and `words` (Tesseract's lines and their words, in the same order) with `newLines`
    /// put in by height: each before the first line of the page that starts below its top, or
    /// at the end (a footer). New words get line numbers of their own. Where the words do not
    /// match the text line by line, the new lines are appended at the end.
    static func inserting(_ newLines: [[GlyphRepair.Word]], into text: String, words: [GlyphRepair.Word])
        -> (text: String, positions: [Int])
    {
        // positions[k]: the index in `words` before which new line k goes (words.count: the end).
        var textLines = text.components(separatedBy: "\n")
        var groups: [(first: Int, top: Int)] = []  // per non-empty text line: first word, top
        var lineOfGroup: [Int] = []  // the text line of each group
        var matched = true
        do {
            var index = 0
            for (lineIndex, textLine) in textLines.enumerated() where !textLine.trimmingCharacters(in: .whitespaces).isEmpty {
                while index < words.count, words[index].text.trimmingCharacters(in: .whitespaces).isEmpty { index += 1 }
                guard index < words.count else { matched = false; break }
                let line = words[index].line
                var end = index
                var tokens: [String] = []
                var top = Int.max
                while end < words.count, words[end].line == line {
                    let token = words[end].text.trimmingCharacters(in: .whitespaces)
                    if !token.isEmpty { tokens.append(token); top = min(top, words[end].box.y) }
                    end += 1
                }
                guard tokens.joined(separator: " ") == textLine.trimmingCharacters(in: .whitespaces) else { matched = false; break }
                groups.append((index, top))
                lineOfGroup.append(lineIndex)
                index = end
            }
        }
        var insertions: [(textLine: Int, text: String)] = []
        var positions: [Int] = []
        let endLine = textLines.lastIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }).map { $0 + 1 } ?? textLines.count
        for line in newLines {
            let top = line.map(\.box.y).min() ?? 0
            let string = line.map(\.text).joined(separator: " ")
            if matched, let g = groups.firstIndex(where: { $0.top > top }) {
                insertions.append((lineOfGroup[g], string))
                positions.append(groups[g].first)
            } else {
                insertions.append((endLine, string))
                positions.append(words.count)
            }
        }
        // From the last insertion point to the first, so earlier indices stay valid; lines for
        // one point keep their order.
        let order = insertions.indices.sorted { insertions[$0].textLine > insertions[$1].textLine }
        var k = 0
        while k < order.count {
            let at = insertions[order[k]].textLine
            var batch: [String] = []
            while k < order.count, insertions[order[k]].textLine == at { batch.append(insertions[order[k]].text); k += 1 }
            let sortedBatch = zip(order[(k - batch.count)..<k], batch).sorted { $0.0 < $1.0 }.map(\.1)
            if at == endLine {
                textLines.insert(contentsOf: [""] + sortedBatch, at: at)
            } else {
                textLines.insert(contentsOf: sortedBatch, at: at)
            }
        }
        return (textLines.joined(separator: "\n"), positions)
    }
}

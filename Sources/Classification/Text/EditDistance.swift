/// Small edit-distance helpers for OCR-tolerant comparison.
enum EditDistance {
    /// True when `a` and `b` differ by at most one insertion, deletion or substitution.
    /// Linear time, so it can be tried at every word start of a page.
    static func isWithinOne<C: Collection>(_ a: C, _ b: C) -> Bool
    where C.Element: Equatable {
        let countA = a.count
        let countB = b.count
        if abs(countA - countB) > 1 { return false }
        var i = a.startIndex
        var j = b.startIndex
        var edits = 0
        while i != a.endIndex, j != b.endIndex {
            if a[i] == b[j] {
                a.formIndex(after: &i)
                b.formIndex(after: &j)
                continue
            }
            edits += 1
            if edits > 1 { return false }
            if countA > countB {
                a.formIndex(after: &i)
            } else if countB > countA {
                b.formIndex(after: &j)
            } else {
                a.formIndex(after: &i)
                b.formIndex(after: &j)
            }
        }
        let rest = a.distance(from: i, to: a.endIndex) + b.distance(from: j, to: b.endIndex)
        return edits + rest <= 1
    }

    /// Classic Levenshtein distance; used for "did you mean" hints in configuration errors.
    static func levenshtein(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

/// Character and word measures of OCR quality against known text.
public enum TextMetrics {
    /// Folds whitespace runs (including page breaks) to single spaces, so that layout does not
    /// count as an error.
    public static func normalised(_ text: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(scalar)
            }
        }
        return out
    }

    /// Character error rate: edit distance between read and true text / length of the truth.
    public static func characterErrorRate(truth: String, read: String) -> Double {
        let t = normalised(truth).map(\.value), r = normalised(read).map(\.value)
        guard !t.isEmpty else { return r.isEmpty ? 0 : 1 }
        return Double(editDistance(t, r)) / Double(t.count)
    }

    /// Order-free character error rate: the words are sorted first, so that reading columns in
    /// another order does not count as an error.
    public static func orderFreeCharacterErrorRate(truth: String, read: String) -> Double {
        func sortedWords(_ s: String) -> String { s.split(whereSeparator: \.isWhitespace).sorted().joined(separator: " ") }
        return characterErrorRate(truth: sortedWords(truth), read: sortedWords(read))
    }

    /// Share of the true words (as a multiset) that were read exactly.
    public static func wordRecall(truth: String, read: String) -> Double {
        let truthWords = truth.split(whereSeparator: \.isWhitespace).map(String.init)
        guard !truthWords.isEmpty else { return 1 }
        var available: [String: Int] = [:]
        for word in read.split(whereSeparator: \.isWhitespace) { available[String(word), default: 0] += 1 }
        var found = 0
        for word in truthWords where (available[word] ?? 0) > 0 {
            available[word]! -= 1
            found += 1
        }
        return Double(found) / Double(truthWords.count)
    }

    /// Levenshtein distance with two rows.
    static func editDistance(_ a: [UInt32], _ b: [UInt32]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for i in 1...a.count {
                    current[0] = i
                    let ai = a[i - 1]
                    for j in 1...b.count {
                        let substitution = previous[j - 1] + (ai == b[j - 1] ? 0 : 1)
                        current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
                    }
                    swap(&previous, &current)
                }
            }
        }
        return previous[b.count]
    }
}

import Foundation

extension EvaluationReport {
    /// The report as a person reads it in a terminal; `figuresOnly` leaves out the documents
    /// (a frozen test set is read only as figures).
    public func rendered(figuresOnly: Bool = false) -> String {
        var out: [String] = []
        func pct(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
        out.append("documents: \(documents) (\(failed) could not be processed)")
        out.append("class accuracy: \(pct(classAccuracy)) (\(classCorrect)/\(documents))")
        out.append("field accuracy: \(pct(fieldAccuracy)) (\(fieldsCorrect)/\(fieldsTotal))")
        out.append(
            "fields wrong: \(fieldsWrong), of them marked doubtful \(fieldsWrong - fieldsWrongNotDoubtful), wrong and not doubtful: \(fieldsWrongNotDoubtful); missing: \(fieldsMissing)"
        )
        if fieldsLocatable > 0 {
            out.append("correct values on OCR'd pages with their box on the page: \(fieldsLocated)/\(fieldsLocatable)")
        }
        out.append("case matching: \(casesCorrect) correct, \(casesWrong) WRONG, \(casesSentToReview) sent to review")
        if !meanCERByCapture.isEmpty {
            out.append("")
            out.append("character error rate by capture (ours; order-free; plain `tesseract FILE - -l deu`), word recall:")
            for capture in meanCERByCapture.keys.sorted() {
                let baseline = meanBaselineCERByCapture[capture].map(pct) ?? "n/a"
                let recall = meanWordRecallByCapture[capture].map(pct) ?? "n/a"
                let orderFree = meanOrderFreeCERByCapture[capture].map(pct) ?? "n/a"
                out.append("  \(capture.padding(toLength: 10, withPad: " ", startingAt: 0)) CER \(pct(meanCERByCapture[capture]!).leftPadded(7))   order-free \(orderFree.leftPadded(7))   tesseract \(baseline.leftPadded(7))   word recall \(recall.leftPadded(7))")
            }
        }
        if !meanBaselineCERByCapture.isEmpty {
            out.append("on exactly the files plain tesseract reads (no PDF, no HEIC):")
            for capture in meanBaselineCERByCapture.keys.sorted() {
                let ours = meanPairedCERByCapture[capture].map(pct) ?? "n/a"
                let oursOrderFree = meanPairedOrderFreeCERByCapture[capture].map(pct) ?? "n/a"
                let plainOrderFree = meanBaselineOrderFreeCERByCapture[capture].map(pct) ?? "n/a"
                out.append("  \(capture.padding(toLength: 10, withPad: " ", startingAt: 0)) CER ours \(ours.leftPadded(7))   plain tesseract \(pct(meanBaselineCERByCapture[capture]!).leftPadded(7))   order-free ours \(oursOrderFree.leftPadded(7))   plain tesseract \(plainOrderFree.leftPadded(7))")
            }
        }
        out.append("")
        out.append("confusion matrix (rows: expected, columns: predicted):")
        let labels = Array(Set(confusion.keys).union(confusion.values.flatMap(\.keys))).sorted()
        let width = max(labels.map(\.count).max() ?? 8, 8)
        let short = labels.map { String($0.prefix(6)) }
        out.append("".padding(toLength: width, withPad: " ", startingAt: 0) + " " + short.map { $0.leftPadded(6) }.joined(separator: " "))
        for expected in labels where confusion[expected] != nil {
            let cells = labels.map { predicted in
                let n = confusion[expected]?[predicted] ?? 0
                return (n == 0 ? "." : String(n)).leftPadded(6)
            }
            out.append(expected.padding(toLength: width, withPad: " ", startingAt: 0) + " " + cells.joined(separator: " "))
        }
        out.append("")
        out.append("field accuracy by key:")
        for key in fieldAccuracyByKey.keys.sorted() {
            let k = fieldAccuracyByKey[key]!
            out.append("  \(key.padding(toLength: 18, withPad: " ", startingAt: 0)) \(k.correct)/\(k.total)")
        }
        let problems = rows.filter {
            $0.error != nil || $0.predictedClass != $0.expectedClass || !$0.fieldMistakes.isEmpty || $0.caseOutcome != .correct
        }
        if !problems.isEmpty, figuresOnly {
            out.append("")
            out.append("\(problems.count) documents with differences (not listed: a frozen set is read only as figures)")
        } else if !problems.isEmpty {
            out.append("")
            out.append("documents with differences:")
            for row in problems {
                var parts: [String] = []
                if let error = row.error { parts.append("error: \(error)") }
                if row.predictedClass != row.expectedClass, row.error == nil {
                    parts.append("class \(row.predictedClass ?? "-") (expected \(row.expectedClass))")
                }
                if row.caseOutcome == .wrong { parts.append("WRONG case \(row.predictedCase ?? "-") (expected \(row.expectedCase ?? "none"))") }
                if row.caseOutcome == .review { parts.append("case sent to review (expected \(row.expectedCase ?? "none"))") }
                for m in row.fieldMistakes where row.error == nil {
                    parts.append(
                        "\(m.key)=\(m.got.map { "'\($0)'" } ?? "missing")\(m.doubtful == true ? " doubtful" : "") (expected '\(m.expected)')")
                }
                out.append("  \(row.file): " + parts.joined(separator: "; "))
            }
        }
        return out.joined(separator: "\n")
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

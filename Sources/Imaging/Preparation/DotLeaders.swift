import Foundation

/// Finds dot leaders: the rows of dots that forms print between a label and its value
/// ("Grundmiete ............ 474,25 €") and that fill-in lines are made of ("Name: .........").
///
/// Tesseract reads a line's text and its leader as one string and the dots drag the letters
/// with them: "Grundmiete …… 474,25 €" came out as "GrundMIElE zesszeeesee nenn Rare EEE …
/// 474,25 €" on a 300 dpi scan, the label lost. With the leader painted white the line reads
/// "Grundmiete 474,25 €". A leader is told from punctuation by its regularity: at least
/// `minimumDots` dot-sized marks on one height, each the same gap from the next and no more
/// than `maximumGap` text heights apart. Full stops, an ellipsis, the dots of i and of umlauts
/// never make such a run: they have letters between them or come in ones, twos and threes.
public struct DotLeaders: Sendable {
    /// Largest height of a dot, in text heights (a full stop is ~0.2, a leader's dot up to 0.35
    /// on a blurred photo; a small letter is 0.5 and more).
    public var maximumSize: Double = 0.4
    /// Fewest dots in a leader.
    public var minimumDots = 6
    /// Widest paper between one dot and the next, in text heights.
    public var maximumGap: Double = 1.0
    /// Share by which a gap may differ from the leader's median gap.
    public var stepTolerance: Double = 0.35

    public typealias Box = (x: Int, y: Int, width: Int, height: Int)

    public init() {}

    /// The dots of every leader on `binary` (1 bpp, ink = 1). `textHeight` is the page's
    /// median mark height; nil measures it from the marks.
    public func dots(in binary: PageImage, textHeight: Double? = nil) -> [Box] {
        dots(among: Despeckle.marks(of: binary), textHeight: textHeight)
    }

    /// The same, from the page's marks (`Despeckle.marks(of:)`) already found.
    public func dots(among marks: [Box], textHeight: Double? = nil) -> [Box] {
        let height = textHeight ?? Despeckle.medianMarkHeight(marks)
        guard height >= 8 else { return [] }
        let largest = maximumSize * height
        // Dot-sized marks, and dots the print or the camera ran together (as long as a short
        // word, no higher than a dot), left to right.
        let candidates = marks.filter { mark in
            Double(mark.height) <= largest && Double(mark.width) <= max(largest, height) && mark.height <= 3 * mark.width
        }.sorted { $0.x < $1.x }
        guard candidates.count >= minimumDots else { return [] }
        let reach = maximumGap * height, level = 0.12 * height + 1
        func centre(_ box: Box) -> Double { Double(box.y) + Double(box.height) / 2 }
        func band(_ box: Box) -> Int { Int(centre(box) / level) }
        // Runs grown left to right: a dot joins the nearest run whose last dot is on its height
        // and within reach to its left. Open runs are kept by the band of height their last dot
        // is in, so that a dot looks only at its own band and the two beside it (a page of
        // hostile dots costs linear time, not dots × rows).
        var runs: [[Box]] = []
        var open: [Int: [Int]] = [:]
        for dot in candidates {
            let cy = centre(dot), home = band(dot)
            var best: (index: Int, distance: Double)?
            for key in (home - 1)...(home + 1) {
                guard var indices = open[key] else { continue }
                indices.removeAll { Double(dot.x - (runs[$0].last!.x + runs[$0].last!.width)) > reach }
                open[key] = indices.isEmpty ? nil : indices
                for index in indices {
                    let last = runs[index].last!
                    let dy = abs(cy - centre(last))
                    guard dot.x > last.x, dy <= level else { continue }
                    let distance = Double(dot.x - last.x) + 4 * dy
                    if best == nil || distance < best!.distance { best = (index, distance) }
                }
            }
            if let best {
                let before = band(runs[best.index].last!)
                runs[best.index].append(dot)
                if before != home {
                    open[before]?.removeAll { $0 == best.index }
                    open[home, default: []].append(best.index)
                }
            } else {
                runs.append([dot])
                open[home, default: []].append(runs.count - 1)
            }
        }
        return runs.filter(isLeader).flatMap { $0 }
    }

    /// Whether a run of dots is regular enough to be a leader: most gaps between one dot and
    /// the next alike (a dot lost or two run together change one or two).
    public func isLeader(_ run: [Box]) -> Bool {
        guard run.count >= minimumDots else { return false }
        let gaps = zip(run.dropFirst(), run).map { Double($0.x - ($1.x + $1.width)) }.sorted()
        let median = gaps[gaps.count / 2]
        let regular = gaps.filter { abs($0 - median) <= stepTolerance * median + 2 }.count
        return Double(regular) >= 0.75 * Double(gaps.count)
    }
}

import CLeptonica

/// The binary image Tesseract makes of a grey page before it looks for the layout, made with
/// Leptonica's fast loops instead of Tesseract's own.
///
/// Tesseract 5.3 thresholds a grey page with its Otsu threshold (`OtsuThreshold`, otsuthr.cpp):
/// a histogram of all pixels, the threshold `t` that maximises the between-class variance, and
/// then every pixel ≤ `t` is ink where the dark class is the small one. Its loops read one byte at
/// a time through generic channel code: ~4% of a photo's page time (perf). Given a binary image
/// it skips that step; the OCR module's `TesseractEngine.recognize` hands it this one, and the LSTM still reads the
/// grey page. The same histogram, the same formula and the same comparison give the same bits.
public enum OtsuBinary {
    /// The binary image (1 = ink) of an 8 bpp page without colormap, or nil where Tesseract
    /// would decide differently (no clear dark minority: an inverted or empty page), so that it
    /// thresholds such pages itself.
    public static func of(_ page: PageImage) -> PageImage? {
        guard page.depth == 8, pixGetColormap(page.pix) == nil,
              let histogram = threshold(of: page), let binary = pixConvertTo1(page.pix, Int32(histogram + 1))
        else { return nil }
        return PageImage(owning: binary)
    }

    /// Tesseract's threshold `t` (ink ≤ t) for the page, or nil where it would not call the dark
    /// pixels ink (they are not under a quarter of the page, or one class is empty).
    static func threshold(of page: PageImage) -> Int? {
        threshold(histogram: histogram(of: page))
    }

    /// Counts of each grey level over the page's pixels. Leptonica keeps a row's pixels in 32-bit
    /// words, so whole words are counted byte by byte in any order; the last word of a row may
    /// hold padding and is counted by pixel. (pixGetGrayHistogram reads pixel by pixel: as slow as
    /// Tesseract's own loop.)
    static func histogram(of page: PageImage) -> [Int] {
        let width = page.width, height = page.height
        let stride = Int(pixGetWpl(page.pix)) * 4
        // Four tables side by side: consecutive equal bytes (paper) do not wait on each other.
        var counts = [Int](repeating: 0, count: 4 * 256)
        guard let data = pixGetData(page.pix) else { return [Int](repeating: 0, count: 256) }
        let bytes = UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self)
        let whole = width / 4 * 4
        counts.withUnsafeMutableBufferPointer { c in
            for y in 0..<height {
                let row = bytes + y * stride
                var x = 0
                while x < whole {
                    c[Int(row[x])] &+= 1
                    c[256 &+ Int(row[x &+ 1])] &+= 1
                    c[512 &+ Int(row[x &+ 2])] &+= 1
                    c[768 &+ Int(row[x &+ 3])] &+= 1
                    x &+= 4
                }
                for rest in whole..<width { c[Int(row[rest ^ 3])] &+= 1 }
            }
        }
        return (0..<256).map { counts[$0] + counts[256 + $0] + counts[512 + $0] + counts[768 + $0] }
    }

    /// Otsu over a 256-bin histogram, as Tesseract computes it (`OtsuStats`: the first best `t`,
    /// doubles for the sums) and decides the polarity (`OtsuThreshold`).
    static func threshold(histogram: [Int]) -> Int? {
        let total = histogram.reduce(0, +)
        var meanTotal = 0.0
        for (value, count) in histogram.enumerated() { meanTotal += Double(value) * Double(count) }
        var best = -1, bestOmega0 = 0, bestVariance = 0.0
        var omega0 = 0, sum0 = 0.0
        for t in 0..<255 {
            omega0 += histogram[t]
            sum0 += Double(t) * Double(histogram[t])
            if omega0 == 0 { continue }
            let omega1 = total - omega0
            if omega1 == 0 { break }
            let difference = (meanTotal - sum0) / Double(omega1) - sum0 / Double(omega0)
            let variance = difference * difference * Double(omega0) * Double(omega1)
            if best < 0 || variance > bestVariance {
                (best, bestOmega0, bestVariance) = (t, omega0, variance)
            }
        }
        // Tesseract: an empty channel gives no threshold; a dark class under a quarter of the page
        // is ink (hi_value 1: pixel ≤ t); anything else it handles differently, so it decides.
        guard best >= 0, bestOmega0 != 0, bestOmega0 != total, Double(bestOmega0) < Double(total) * 0.25 else { return nil }
        return best
    }
}

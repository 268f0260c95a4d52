import CLeptonica

/// Leptonica's area-map reduction of an 8 bpp grey image (`pixScaleAreaMap`), computed to the
/// same bytes in less time, optionally of a region without clipping it out first.
///
/// Leptonica's `scaleGrayAreaMapLow` visits each target pixel and sums the source pixels under
/// it, each weighted by the 16ths of it covered (corners, sides and interior in separate loops),
/// with float coordinates computed per pixel. The weight of source pixel (k, m) under a target
/// pixel is the product of a row weight and a column weight, so the same integer sum comes out
/// of two passes: the rows under a target row summed per byte with their weights (contiguous,
/// vectorised), then the columns under each target pixel. The coordinates are computed once per
/// row and per column with Leptonica's float expressions, in the same precision.
enum AreaMap {
    /// The same image as `pixScaleAreaMap(pixClipRectangle(pix, region), scale, scale)`
    /// (`region` in pixels: x, y, width, height; nil for all of `pix`). Nil on failure.
    static func reduce(
        _ pix: UnsafeMutablePointer<PIX>, scale: Float, region: (x: Int, y: Int, width: Int, height: Int)? = nil
    ) -> UnsafeMutablePointer<PIX>? {
        let full = (x: 0, y: 0, width: Int(pixGetWidth(pix)), height: Int(pixGetHeight(pix)))
        let area = region ?? full
        // Where Leptonica takes another way (other depths, colour maps, scales it does not
        // area-map, exact halvings), it is asked itself.
        let special: Set<Float> = [0.5, 0.25, 0.125, 0.0625]
        guard pixGetDepth(pix) == 8, pixGetColormap(pix) == nil, scale >= 0.02, scale < 0.7, !special.contains(scale),
              area.x >= 0, area.y >= 0, area.width > 0, area.height > 0,
              area.x + area.width <= full.width, area.y + area.height <= full.height
        else { return leptonica(pix, scale: scale, region: region) }
        let ws = area.width, hs = area.height
        let wd = Int(Double(scale * Float(ws)) + 0.5), hd = Int(Double(scale * Float(hs)) + 0.5)
        guard wd >= 1, hd >= 1, let target = pixCreate(Int32(wd), Int32(hd), 8),
              let sourceWords = pixGetData(pix), let targetWords = pixGetData(target)
        else { return nil }
        pixCopyInputFormat(target, pix)
        pixCopyResolution(target, pix)
        pixScaleResolution(target, scale, scale)
        let source = UnsafeRawPointer(sourceWords).assumingMemoryBound(to: UInt8.self)
        let out = UnsafeMutableRawPointer(targetWords).assumingMemoryBound(to: UInt8.self)
        let sourceStride = Int(pixGetWpl(pix)) * 4, targetStride = Int(pixGetWpl(target)) * 4

        // Leptonica's expressions: scx, scy in float; upper corners float × int, lower corners
        // float × (int + 1.0) in double; both truncated; 16ths of a source pixel.
        let scx = Float(16.0 * Double(ws) / Double(wd)), scy = Float(16.0 * Double(hs) / Double(hd))
        func span(_ index: Int, _ factor: Float) -> (first: Int, last: Int, firstWeight: Int, lastWeight: Int) {
            let upper = Int(factor * Float(index)), lower = Int(Double(factor) * (Double(index) + 1.0))
            return (upper >> 4, lower >> 4, 16 - (upper & 15), lower & 15)
        }
        let columns = (0..<wd).map { span($0, scx) }
        let wm2 = ws - 2, hm2 = hs - 2
        // Bytes of the region's rows, whole 32-bit words (Leptonica's byte order is per word).
        let firstByte = area.x & ~3, endByte = (area.x + ws + 3) & ~3
        let sums = UnsafeMutablePointer<Int32>.allocate(capacity: endByte - firstByte)
        defer { sums.deallocate() }
        @inline(__always) func byte(_ x: Int) -> Int { Leptonica.byteIndex(area.x + x) - firstByte }

        for i in 0..<hd {
            let row = span(i, scy)
            let line = out + i * targetStride
            let upperRow = source + (area.y + row.first) * sourceStride + firstByte
            if row.last > hm2 {
                // Near the bottom edge: Leptonica takes the upper left source pixel.
                for j in 0..<wd { line[Leptonica.byteIndex(j)] = upperRow[byte(columns[j].first)] }
                continue
            }
            // The rows under target row i, weighted: first and last by the 16ths covered.
            let count = endByte - firstByte
            let rowsDown = row.last - row.first
            do {
                let w = Int32(row.firstWeight)
                for b in 0..<count { sums[b] = w &* Int32(upperRow[b]) }
            }
            if rowsDown > 1 {
                for k in 1..<rowsDown {
                    let r = upperRow + k * sourceStride
                    for b in 0..<count { sums[b] &+= Int32(r[b]) &<< 4 }
                }
            }
            do {
                let w = Int32(row.lastWeight), r = upperRow + rowsDown * sourceStride
                for b in 0..<count { sums[b] &+= w &* Int32(r[b]) }
            }
            let rowWeight = row.firstWeight + 16 * (rowsDown - 1) + row.lastWeight
            for j in 0..<wd {
                let column = columns[j]
                if column.last > wm2 {
                    line[Leptonica.byteIndex(j)] = upperRow[byte(column.first)]
                    continue
                }
                var total = column.firstWeight * Int(sums[byte(column.first)])
                var m = column.first + 1
                while m < column.last {
                    total &+= Int(sums[byte(m)]) &<< 4
                    m += 1
                }
                total &+= column.lastWeight * Int(sums[byte(column.last)])
                let columnWeight = column.firstWeight + 16 * (column.last - column.first - 1) + column.lastWeight
                line[Leptonica.byteIndex(j)] = UInt8(truncatingIfNeeded: (total + 128) / (columnWeight * rowWeight))
            }
        }
        return target
    }

    /// Leptonica itself, on a clipped copy where a region is given.
    private static func leptonica(
        _ pix: UnsafeMutablePointer<PIX>, scale: Float, region: (x: Int, y: Int, width: Int, height: Int)?
    ) -> UnsafeMutablePointer<PIX>? {
        guard let region else { return pixScaleAreaMap(pix, scale, scale) }
        guard let box = boxCreate(Int32(region.x), Int32(region.y), Int32(region.width), Int32(region.height)) else { return nil }
        defer { var b: UnsafeMutablePointer<BOX>? = box; boxDestroy(&b) }
        guard let clipped = pixClipRectangle(pix, box, nil) else { return nil }
        defer { Leptonica.destroy(clipped) }
        return pixScaleAreaMap(clipped, scale, scale)
    }
}

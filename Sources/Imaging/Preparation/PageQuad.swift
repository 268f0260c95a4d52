import CLeptonica
import Foundation

/// A sheet of paper found in a photo: its four corners in the photo's pixel coordinates
/// (continuous: the image spans 0…width, 0…height), in the order top-left, top-right,
/// bottom-right, bottom-left of the page as it lies in the picture.
public struct PageQuad: Sendable, Codable, Equatable {
    /// A point in continuous pixel coordinates.
    public struct Point: Sendable, Codable, Equatable {
        public var x: Double
        public var y: Double
        public init(x: Double, y: Double) { self.x = x; self.y = y }

        func distance(to other: Point) -> Double { hypot(x - other.x, y - other.y) }
    }

    /// Top-left, top-right, bottom-right, bottom-left.
    public var corners: [Point]

    public init(corners: [Point]) { self.corners = corners }

    /// Width and height of the flat page, in pixels, from the lengths of the quad's sides (the
    /// longer of each opposite pair: the far edge of a tilted sheet looks shorter). Snapped to
    /// the A4 aspect ratio (1 : √2) when within 10 % of it.
    public var flatSize: (width: Int, height: Int) {
        let c = corners
        var width = max(c[0].distance(to: c[1]), c[3].distance(to: c[2]))
        var height = max(c[0].distance(to: c[3]), c[1].distance(to: c[2]))
        let a4 = 2.0.squareRoot()
        if abs(height / width / a4 - 1) < 0.1 {
            width = height / a4
        } else if abs(width / height / a4 - 1) < 0.1 {
            height = width / a4
        }
        return (Int(width.rounded()), Int(height.rounded()))
    }

    /// The area enclosed (shoelace formula), in square pixels.
    var area: Double {
        var sum = 0.0
        for i in 0..<4 {
            let p = corners[i], q = corners[(i + 1) % 4]
            sum += p.x * q.y - q.x * p.y
        }
        return abs(sum) / 2
    }

    /// Whether the quad is convex and each corner's angle lies within `angles` (degrees).
    func isPlausible(angles: ClosedRange<Double>) -> Bool {
        var sign = 0.0
        for i in 0..<4 {
            let prev = corners[(i + 3) % 4], p = corners[i], next = corners[(i + 1) % 4]
            let (ax, ay) = (prev.x - p.x, prev.y - p.y), (bx, by) = (next.x - p.x, next.y - p.y)
            let cross = ax * by - ay * bx
            if sign == 0 { sign = cross.sign == .minus ? -1 : 1 }
            if cross * sign <= 0 { return false }
            let cosine = (ax * bx + ay * by) / (hypot(ax, ay) * hypot(bx, by))
            let degrees = acos(max(-1, min(1, cosine))) * 180 / .pi
            if !angles.contains(degrees) { return false }
        }
        return true
    }

    /// The same sheet in an image `factor` times the size (corners scaled about the origin).
    func scaled(by factor: Double) -> PageQuad {
        PageQuad(corners: corners.map { Point(x: $0.x * factor, y: $0.y * factor) })
    }

    /// The page inside the quad warped flat to a `width` × `height` rectangle in one pass
    /// (projective map, bilinear interpolation; outside the image counts as white). Any size:
    /// the photo's own resolution (`flatSize`) or straight to the size OCR wants, so that the
    /// page is resampled once. Bilinear reads 2×2 source pixels: shrink the source first
    /// (area map) where the page ends up much smaller than it is in `gray`. `gray` must be 8 bpp.
    func warp(_ gray: PageImage, width: Int, height: Int) -> PageImage? {
        // Not cleared first: every pixel is written below, and the row's padding bytes too.
        guard width > 16, height > 16, gray.depth == 8, pixGetColormap(gray.pix) == nil,
              let pix = pixCreateNoInit(Int32(width), Int32(height), 8)
        else { return nil }
        let page = PageImage(owning: pix)
        guard let sourceWords = pixGetData(gray.pix), let targetWords = pixGetData(pix) else { return nil }
        let map = UnitSquareMap(onto: corners)
        let source = UnsafeRawPointer(sourceWords).assumingMemoryBound(to: UInt8.self)
        let target = UnsafeMutableRawPointer(targetWords).assumingMemoryBound(to: UInt8.self)
        let sourceWidth = gray.width, sourceHeight = gray.height
        let sourceStride = Int(pixGetWpl(gray.pix)) * 4, targetStride = Int(pixGetWpl(pix)) * 4
        let ds = 1 / Double(width), dt = 1 / Double(height)
        // Source position (pixel-centre indices) of target pixel x's centre on a row, in 16.16
        // fixed point. Exact every 16 pixels and stepped linearly between: over 16 pixels a
        // photo's perspective bends the line by far less than a 256th of a pixel.
        let block = 16
        func inside(_ p: (Int, Int)) -> Bool {
            p.0 >= 0 && p.1 >= 0 && (p.0 >> 16) < sourceWidth - 1 && (p.1 >> 16) < sourceHeight - 1
        }
        for y in 0..<height {
            let t = (Double(y) + 0.5) * dt
            let row = target + y * targetStride
            func fixed(_ x: Int) -> (Int, Int) {
                let p = map(s: (Double(x) + 0.5) * ds, t: t)
                return (Int(((p.x - 0.5) * 65536).rounded()), Int(((p.y - 0.5) * 65536).rounded()))
            }
            var start = fixed(0)
            var x = 0
            while x < width {
                let n = min(block, width - x)
                let end = fixed(x + n)
                var (fu, fv) = start
                let du = (end.0 - start.0) / n, dv = (end.1 - start.1) / n
                let last = (fu + (n - 1) * du, fv + (n - 1) * dv)
                if inside(start) && inside(last) {
                    // The whole block reads inside the image (the common case): no checks.
                    for i in x..<(x + n) {
                        let upper = source + (fv &>> 16) &* sourceStride
                        let x0 = fu &>> 16
                        row[byteIndex(i)] = blend(upper, upper + sourceStride, byteIndex(x0), byteIndex(x0 &+ 1),
                                                  (fu &>> 8) & 0xFF, (fv &>> 8) & 0xFF)
                        fu &+= du; fv &+= dv
                    }
                } else {
                    for i in x..<(x + n) {
                        let x0 = fu >> 16, y0 = fv >> 16  // floor, also below 0
                        var value: UInt8 = 255
                        if x0 >= -1, y0 >= -1, x0 < sourceWidth, y0 < sourceHeight {
                            // The outermost pixels stand in for missing neighbours at the border.
                            value = blend(source + max(y0, 0) * sourceStride,
                                          source + min(y0 + 1, sourceHeight - 1) * sourceStride,
                                          byteIndex(max(x0, 0)), byteIndex(min(x0 + 1, sourceWidth - 1)),
                                          (fu >> 8) & 0xFF, (fv >> 8) & 0xFF)
                        }
                        row[byteIndex(i)] = value
                        fu += du; fv += dv
                    }
                }
                start = end
                x += n
            }
            for i in width..<targetStride { row[byteIndex(i)] = 0 }
        }
        return page
    }
}

@inline(__always) private func byteIndex(_ x: Int) -> Int { Leptonica.byteIndex(x) }

/// Bilinear interpolation between two rows' pixels `ia` and `ib` (byte indices), with weights
/// in 256ths: `wx` towards `ib`, `wy` towards `lower`. Written as a·256 + (b − a)·w, which is
/// a·(256 − w) + b·w exactly, with three multiplications instead of six.
@inline(__always) private func blend(
    _ upper: UnsafePointer<UInt8>, _ lower: UnsafePointer<UInt8>, _ ia: Int, _ ib: Int, _ wx: Int, _ wy: Int
) -> UInt8 {
    let a = Int(upper[ia]), c = Int(lower[ia])
    let top = a &<< 8 &+ (Int(upper[ib]) &- a) &* wx
    let bottom = c &<< 8 &+ (Int(lower[ib]) &- c) &* wx
    return UInt8(truncatingIfNeeded: (top &<< 8 &+ (bottom &- top) &* wy &+ 32768) &>> 16)
}

/// The projective map from the unit square (s, t) onto four corners (top-left, top-right,
/// bottom-right, bottom-left): x = (a·s + b·t + c) / (g·s + h·t + 1), y = (d·s + e·t + f) / (…)
/// (Heckbert, "Fundamentals of Texture Mapping", 1989, §2.2.3).
struct UnitSquareMap {
    let a, b, c, d, e, f, g, h: Double

    init(onto corners: [PageQuad.Point]) {
        let (p0, p1, p2, p3) = (corners[0], corners[1], corners[2], corners[3])
        let sx = p0.x - p1.x + p2.x - p3.x, sy = p0.y - p1.y + p2.y - p3.y
        if abs(sx) < 1e-9 && abs(sy) < 1e-9 {
            (g, h) = (0, 0)  // a parallelogram: affine
        } else {
            let (dx1, dx2, dy1, dy2) = (p1.x - p2.x, p3.x - p2.x, p1.y - p2.y, p3.y - p2.y)
            let det = dx1 * dy2 - dx2 * dy1
            g = (sx * dy2 - dx2 * sy) / det
            h = (dx1 * sy - sx * dy1) / det
        }
        a = p1.x - p0.x + g * p1.x
        b = p3.x - p0.x + h * p3.x
        c = p0.x
        d = p1.y - p0.y + g * p1.y
        e = p3.y - p0.y + h * p3.y
        f = p0.y
    }

    /// Numerators of x and y and the common denominator at (s, t).
    func terms(s: Double, t: Double) -> (Double, Double, Double) {
        (a * s + b * t + c, d * s + e * t + f, g * s + h * t + 1)
    }

    /// The point (s, t) of the unit square maps to.
    func callAsFunction(s: Double, t: Double) -> PageQuad.Point {
        let (nx, ny, dn) = terms(s: s, t: t)
        return PageQuad.Point(x: nx / dn, y: ny / dn)
    }
}

/// Finds the sheet of paper in a photo: the largest region that is light compared with its
/// neighbourhood, its outline, a straight line fitted to each of its four sides, and the
/// corners where those lines meet. Comparing with the neighbourhood (not one global
/// threshold) keeps it working under shadows, vignetting and on light tables. Returns nil
/// where no clear four-sided sheet is seen (a scan that fills the frame, a page cut off).
public struct PageQuadDetector: Sendable {
    /// Longer side of the reduced copy the search runs on.
    public var workingSize: Int = 800
    /// A pixel belongs to paper when at least this share of the brightest surface nearby.
    public var lightRatio: Double = 0.75
    /// Share of the image the sheet must cover.
    public var areaShare: ClosedRange<Double> = 0.2...0.95

    public init() {}

    /// The sheet's corners in `page`'s pixels, or nil.
    public func detect(in page: PageImage) -> PageQuad? {
        Leptonica.silence()
        let gray: PageImage
        if page.depth == 8 && pixGetColormap(page.pix) == nil {
            gray = page
        } else if let converted = Leptonica.gray8(page.pix) {
            gray = PageImage(owning: converted)
        } else {
            return nil
        }
        let reduction = min(1, Double(workingSize) / Double(max(gray.width, gray.height)))
        let small: PageImage
        if reduction < 1, let reduced = AreaMap.reduce(gray.pix, scale: Float(reduction)) {
            small = PageImage(owning: reduced)
        } else {
            small = gray
        }
        // Smoothed copy, and the brightness of the brightest surface nearby (the paper, where
        // paper is near): the maximum over a square a 40th of the image wide, smoothed.
        let radius = Int32(max(4, max(small.width, small.height) / 40))
        guard let smooth = pixBlockconv(small.pix, 1, 1) else { return nil }
        let smoothed = PageImage(owning: smooth)
        guard let brightest = pixDilateGray(smooth, 2 * radius + 1, 2 * radius + 1) else { return nil }
        defer { Leptonica.destroy(brightest) }
        guard let lit = pixBlockconv(brightest, radius, radius) else { return nil }
        let illuminated = PageImage(owning: lit)
        guard let raster = try? smoothed.grayBytes(), let illumination = try? illuminated.grayBytes(),
              raster.bytes.count == illumination.bytes.count
        else { return nil }
        let factorX = Double(gray.width) / Double(raster.width)
        let factorY = Double(gray.height) / Double(raster.height)
        let plane = (width: raster.width, height: raster.height, values: raster.bytes)
        var light = [Bool](repeating: false, count: plane.values.count)
        let ratio = Float(lightRatio)
        for i in light.indices {
            light[i] = plane.values[i] > 40 && Float(plane.values[i]) >= ratio * Float(illumination.bytes[i])
        }
        guard let outline = Outline(largestComponentOf: light, width: plane.width, height: plane.height),
              let quad = outline.fittedQuad()
        else { return nil }
        let scaled = PageQuad(corners: quad.corners.map { PageQuad.Point(x: $0.x * factorX, y: $0.y * factorY) })
        let share = scaled.area / Double(gray.width * gray.height)
        guard areaShare.contains(share), scaled.isPlausible(angles: 60...120) else { return nil }
        let tolerance = 0.02 * Double(max(gray.width, gray.height))
        for c in scaled.corners {
            guard c.x > -tolerance, c.y > -tolerance, c.x < Double(gray.width) + tolerance,
                  c.y < Double(gray.height) + tolerance
            else { return nil }
        }
        return scaled
    }
}

/// The outer outline of one connected region of a binary mask: per row its leftmost and
/// rightmost pixel, per column its topmost and bottommost.
private struct Outline {
    let width: Int, height: Int
    var left: [Int], right: [Int], top: [Int], bottom: [Int]

    init?(largestComponentOf mask: [Bool], width: Int, height: Int) {
        self.width = width
        self.height = height
        var label = [Int32](repeating: 0, count: mask.count)
        // The largest region, but one that does not reach all four image borders where that
        // is at least half as large: a smooth, even table is light compared with its own
        // surroundings too, and around a mostly blank sheet it can be the larger region (it
        // reaches every border; the sheet does not). A scan's page reaches every border and a
        // framed box on it is much smaller than the page.
        var best: (label: Int32, size: Int) = (0, 0), bestInside: (label: Int32, size: Int) = (0, 0)
        var next: Int32 = 0
        var stack: [Int] = []
        for start in mask.indices where mask[start] && label[start] == 0 {
            next += 1
            label[start] = next
            stack.append(start)
            var size = 0
            var borders = 0  // bits: left, right, top, bottom
            while let i = stack.popLast() {
                size += 1
                let x = i % width, y = i / width
                if x == 0 { borders |= 1 }
                if x == width - 1 { borders |= 2 }
                if y == 0 { borders |= 4 }
                if y == height - 1 { borders |= 8 }
                if x > 0, mask[i - 1], label[i - 1] == 0 { label[i - 1] = next; stack.append(i - 1) }
                if x < width - 1, mask[i + 1], label[i + 1] == 0 { label[i + 1] = next; stack.append(i + 1) }
                if y > 0, mask[i - width], label[i - width] == 0 { label[i - width] = next; stack.append(i - width) }
                if y < height - 1, mask[i + width], label[i + width] == 0 { label[i + width] = next; stack.append(i + width) }
            }
            if size > best.size { best = (next, size) }
            if borders != 15, size > bestInside.size { bestInside = (next, size) }
        }
        if bestInside.size > mask.count / 10, bestInside.size * 2 > best.size { best = bestInside }
        guard best.size > mask.count / 10 else { return nil }
        left = [Int](repeating: -1, count: height)
        right = [Int](repeating: -1, count: height)
        top = [Int](repeating: -1, count: width)
        bottom = [Int](repeating: -1, count: width)
        for y in 0..<height {
            for x in 0..<width where label[y * width + x] == best.label {
                if left[y] < 0 { left[y] = x }
                right[y] = x
                if top[x] < 0 { top[x] = y }
                bottom[x] = y
            }
        }
    }

    /// Corners from a line fitted to each side. Points are in continuous coordinates of the
    /// mask: the edge of a run of pixels x0…x1 lies at x0 and x1 + 1.
    func fittedQuad() -> PageQuad? {
        // First guesses: the outline's extreme points along the diagonals.
        var tl = (x: 0, y: 0, s: Int.max), br = (x: 0, y: 0, s: Int.min)
        var tr = (x: 0, y: 0, s: Int.min), bl = (x: 0, y: 0, s: Int.max)
        for y in 0..<height where left[y] >= 0 {
            for x in [left[y], right[y]] {
                if x + y < tl.s { tl = (x, y, x + y) }
                if x + y > br.s { br = (x, y, x + y) }
                if x - y > tr.s { tr = (x, y, x - y) }
                if x - y < bl.s { bl = (x, y, x - y) }
            }
        }
        // Each side: the outline between its two corner guesses, the ends (rounded corners,
        // shadows) left out; points on the image border do not count as page edge.
        func sample(_ from: Int, _ to: Int, _ edge: [Int], offset: Double, limit: Int) -> [(Double, Double)]? {
            let lo = min(from, to), hi = max(from, to)
            let trim = (hi - lo) / 10
            guard hi - lo > 20 else { return nil }
            var points: [(Double, Double)] = []
            var onBorder = 0
            for t in (lo + trim)...(hi - trim) where edge[t] >= 0 {
                if edge[t] == 0 || edge[t] == limit - 1 { onBorder += 1; continue }
                points.append((Double(t) + 0.5, Double(edge[t]) + offset))
            }
            guard onBorder * 4 < hi - lo, points.count > (hi - lo) / 3 else { return nil }
            return points
        }
        guard let topPoints = sample(tl.x, tr.x, top, offset: 0, limit: height),
              let bottomPoints = sample(bl.x, br.x, bottom, offset: 1, limit: height),
              let leftPoints = sample(tl.y, bl.y, left, offset: 0, limit: width),
              let rightPoints = sample(tr.y, br.y, right, offset: 1, limit: width),
              let topLine = Line(fitting: topPoints), let bottomLine = Line(fitting: bottomPoints),
              let leftLine = Line(fitting: leftPoints), let rightLine = Line(fitting: rightPoints)
        else { return nil }
        // top/bottom: y = a·x + b; left/right: x = a·y + b.
        func meet(_ horizontal: Line, _ vertical: Line) -> PageQuad.Point? {
            let d = 1 - vertical.slope * horizontal.slope
            guard abs(d) > 1e-6 else { return nil }
            let x = (vertical.slope * horizontal.intercept + vertical.intercept) / d
            return PageQuad.Point(x: x, y: horizontal.slope * x + horizontal.intercept)
        }
        guard let a = meet(topLine, leftLine), let b = meet(topLine, rightLine),
              let c = meet(bottomLine, rightLine), let d = meet(bottomLine, leftLine)
        else { return nil }
        return PageQuad(corners: [a, b, c, d])
    }
}

/// v = slope·u + intercept, fitted by least squares, then again without the points far off
/// the first fit (a shadow or a dog-ear bending the outline).
private struct Line {
    var slope: Double, intercept: Double

    init?(fitting points: [(Double, Double)]) {
        guard let first = Line.leastSquares(points) else { return nil }
        let residuals = points.map { abs($0.1 - (first.slope * $0.0 + first.intercept)) }
        let median = residuals.sorted()[residuals.count / 2]
        let limit = max(1.0, 3 * median)
        let kept = zip(points, residuals).filter { $0.1 <= limit }.map(\.0)
        guard kept.count * 2 > points.count, let second = Line.leastSquares(kept) else { return nil }
        self = second
    }

    private init(slope: Double, intercept: Double) { self.slope = slope; self.intercept = intercept }

    private static func leastSquares(_ points: [(Double, Double)]) -> Line? {
        let n = Double(points.count)
        guard n >= 2 else { return nil }
        var su = 0.0, sv = 0.0, suu = 0.0, suv = 0.0
        for (u, v) in points { su += u; sv += v; suu += u * u; suv += u * v }
        let d = n * suu - su * su
        guard abs(d) > 1e-9 else { return nil }
        let slope = (n * suv - su * sv) / d
        return Line(slope: slope, intercept: (sv - slope * su) / n)
    }
}

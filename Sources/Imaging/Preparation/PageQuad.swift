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

    /// The page inside the quad warped flat to a rectangle of `flatSize` (shrunk to fit the
    /// source's size, since Leptonica's projective transform keeps it). `gray` must be 8 bpp.
    func warp(_ gray: PageImage) -> PageImage? {
        var (width, height) = flatSize
        let fit = min(1, Double(gray.width) / Double(width), Double(gray.height) / Double(height))
        if fit < 1 { width = Int(Double(width) * fit); height = Int(Double(height) * fit) }
        guard width > 16, height > 16, let source = ptaCreate(4), let target = ptaCreate(4) else { return nil }
        defer { var s: UnsafeMutablePointer<PTA>? = source, t: UnsafeMutablePointer<PTA>? = target; ptaDestroy(&s); ptaDestroy(&t) }
        // Leptonica addresses pixel centres by their index: continuous coordinate − 0.5.
        let w = Double(width), h = Double(height)
        let flatCorners: [(Double, Double)] = [(0, 0), (w, 0), (w, h), (0, h)]
        for (corner, flat) in zip(corners, flatCorners) {
            ptaAddPt(source, Float(corner.x - 0.5), Float(corner.y - 0.5))
            ptaAddPt(target, Float(flat.0 - 0.5), Float(flat.1 - 0.5))
        }
        guard let warped = pixProjectivePtaGray(gray.pix, target, source, 255) else { return nil }
        defer { Leptonica.destroy(warped) }
        let box = boxCreate(0, 0, Int32(width), Int32(height))
        defer { var b = box; boxDestroy(&b) }
        guard let page = pixClipRectangle(warped, box, nil) else { return nil }
        return PageImage(owning: page)
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
        if reduction < 1, let reduced = pixScaleAreaMap(gray.pix, Float(reduction), Float(reduction)) {
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
        var best: (label: Int32, size: Int) = (0, 0)
        var next: Int32 = 0
        var stack: [Int] = []
        for start in mask.indices where mask[start] && label[start] == 0 {
            next += 1
            label[start] = next
            stack.append(start)
            var size = 0
            while let i = stack.popLast() {
                size += 1
                let x = i % width, y = i / width
                if x > 0, mask[i - 1], label[i - 1] == 0 { label[i - 1] = next; stack.append(i - 1) }
                if x < width - 1, mask[i + 1], label[i + 1] == 0 { label[i + 1] = next; stack.append(i + 1) }
                if y > 0, mask[i - width], label[i - width] == 0 { label[i - width] = next; stack.append(i - width) }
                if y < height - 1, mask[i + width], label[i + width] == 0 { label[i + width] = next; stack.append(i + width) }
            }
            if size > best.size { best = (next, size) }
        }
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

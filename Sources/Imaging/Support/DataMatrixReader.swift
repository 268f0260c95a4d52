import CDmtx
import CLeptonica
import Foundation

/// Reads Data Matrix codes (BA forms carry one with the BG-Nummer; cover sheets may use one)
/// with libdmtx, which zbar cannot read.
///
/// libdmtx searches the whole image for finder patterns and can take seconds on a text-heavy
/// page, so every read is bounded: the page is searched at about 150 dpi and the search stops
/// after `timeBudgetMilliseconds` of CPU time or `maximumCodes` codes, whichever comes first.
public struct DataMatrixReader: Sendable {
    /// CPU-time budget for one page's search, in milliseconds.
    public var timeBudgetMilliseconds: Int
    /// At most this many codes per page.
    public var maximumCodes: Int

    public init(timeBudgetMilliseconds: Int = 250, maximumCodes: Int = 1) {
        self.timeBudgetMilliseconds = timeBudgetMilliseconds
        self.maximumCodes = maximumCodes
    }

    /// The decoded payloads of the Data Matrix codes found on the page within the budget.
    ///
    /// libdmtx is not run over the whole page: first the page is binarised and closed so that a
    /// code's modules merge into one solid square, and only blobs that look like a code (square
    /// within 1:2.2, between `minimumEdge` pixels and a third of the page, with the ink density of a
    /// code: 30–82 % black; a solid logo has more) are searched, each cropped
    /// with a margin. A page without such a blob costs a few milliseconds instead of the budget.
    public func read(_ page: PageImage) throws -> [String] {
        guard timeBudgetMilliseconds > 0, maximumCodes > 0 else { return [] }
        let started = Self.threadCPUMilliseconds()
        let source = Self.searched(page)
        var payloads: [String] = []
        let boxes = try candidates(in: source)
        defer { boxes.forEach(boxDestroy_) }
        for candidate in boxes {
            let remaining = Double(timeBudgetMilliseconds) - (Self.threadCPUMilliseconds() - started)
            guard remaining > 0, payloads.count < maximumCodes else { break }
            guard let clipped = pixClipRectangle(source.pix, candidate, nil) else { continue }
            var (bytes, width, height) = try PageImage(owning: clipped).grayBytes()
            // A code in its crop is found in a few ms; a blob that is not one is given up early.
            let budget = min(remaining, Self.candidateBudgetMilliseconds)
            for payload in search(&bytes, width: width, height: height, budget: budget, limit: maximumCodes - payloads.count)
            where !payloads.contains(payload) {
                payloads.append(payload)
            }
        }
        return payloads
    }

    /// A 300 dpi page is searched at half size: a form's code keeps 4–5 pixels per module
    /// there, and the search costs a quarter.
    static func searched(_ page: PageImage) -> PageImage {
        if max(page.width, page.height) > 2600, let half = pixScaleAreaMap2(page.pix) {
            return PageImage(owning: half)
        }
        return page
    }

    /// The regions (x, y, width, height, margin included) that `read` would search, in pixels of
    /// the searched image (`scale` times the page's), for tests and diagnostics.
    public func candidateRegions(in page: PageImage) throws -> (scale: Double, regions: [(x: Int, y: Int, width: Int, height: Int)]) {
        let source = Self.searched(page)
        let scale = Double(source.width) / Double(page.width)
        let boxes = try candidates(in: source)
        defer { boxes.forEach(boxDestroy_) }
        return (scale, boxes.map { box in
            var x: Int32 = 0, y: Int32 = 0, w: Int32 = 0, h: Int32 = 0
            boxGetGeometry(box, &x, &y, &w, &h)
            return (Int(x), Int(y), Int(w), Int(h))
        })
    }

    /// CPU time one candidate blob is searched for at most, in milliseconds.
    public static let candidateBudgetMilliseconds: Double = 15

    /// Smallest code edge searched for, in pixels of the (at most ~150 dpi) searched image: about
    /// 7 mm, above the height of a line of text (~33 px there, which a closing turns into blobs
    /// of a code's density). The form and cover codes seen are 75 and 195 px.
    public static let minimumEdge: Int32 = 40

    /// Boxes (with a margin) around the blobs that may be a Data Matrix code, largest first.
    func candidates(in page: PageImage) throws -> [UnsafeMutablePointer<BOX>] {
        guard let gray = Leptonica.gray8Shared(page.pix) else { return [] }
        var grayRef: UnsafeMutablePointer<PIX>? = gray
        defer { pixDestroy(&grayRef) }
        var binary: UnsafeMutablePointer<PIX>?
        // Otsu per tile copes with the uneven light of photos.
        guard pixOtsuAdaptiveThreshold(gray, 300, 300, 0, 0, 0.1, nil, &binary) == 0, let binary else { return [] }
        var binaryRef: UnsafeMutablePointer<PIX>? = binary
        defer { pixDestroy(&binaryRef) }
        guard let closed = pixCloseBrickDwa(nil, binary, 7, 7) else { return [] }
        var closedRef: UnsafeMutablePointer<PIX>? = closed
        defer { pixDestroy(&closedRef) }
        guard let boxes = pixConnCompBB(closed, 8) else { return [] }
        var boxesRef: UnsafeMutablePointer<BOXA>? = boxes
        defer { boxaDestroy(&boxesRef) }
        let pageWidth = pixGetWidth(page.pix), pageHeight = pixGetHeight(page.pix)
        let maximumEdge = max(Self.minimumEdge * 2, min(pageWidth, pageHeight) / 3)
        var found: [(area: Int32, box: UnsafeMutablePointer<BOX>)] = []
        for index in 0..<boxaGetCount(boxes) {
            var x: Int32 = 0, y: Int32 = 0, w: Int32 = 0, h: Int32 = 0
            guard boxaGetBoxGeometry(boxes, index, &x, &y, &w, &h) == 0 else { continue }
            guard min(w, h) >= Self.minimumEdge, max(w, h) <= maximumEdge,
                Double(max(w, h)) / Double(min(w, h)) <= 2.2
            else { continue }
            guard let box = boxCreate(x, y, w, h) else { continue }
            var ink: Int32 = 0
            if let clip = pixClipRectangle(binary, box, nil) {
                var clipRef: UnsafeMutablePointer<PIX>? = clip
                pixCountPixels(clip, &ink, nil)
                pixDestroy(&clipRef)
            }
            boxDestroy_(box)
            let density = Double(ink) / Double(w * h)
            guard (0.30...0.82).contains(density) else { continue }
            let margin = max(8, max(w, h) / 5)
            let left = max(0, x - margin), top = max(0, y - margin)
            let right = min(pageWidth, x + w + margin), bottom = min(pageHeight, y + h + margin)
            guard let padded = boxCreate(left, top, right - left, bottom - top) else { continue }
            found.append((w * h, padded))
        }
        // Largest first; a page with many code-like blobs (a photo of a patterned cloth) is
        // bounded by the CPU budget in `read`.
        return found.sorted { $0.area > $1.area }.map(\.box)
    }

    /// libdmtx over one grey image, for at most `budget` ms of CPU time.
    private func search(_ bytes: inout [UInt8], width: Int, height: Int, budget: Double, limit: Int) -> [String] {
        guard width > 0, height > 0 else { return [] }
        return bytes.withUnsafeMutableBytes { raw -> [String] in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress,
                let image = dmtxImageCreate(base, Int32(width), Int32(height), Int32(DmtxPack8bppK.rawValue))
            else { return [] }
            defer { var i: UnsafeMutablePointer<DmtxImage>? = image; dmtxImageDestroy(&i) }
            guard let decoder = dmtxDecodeCreate(image, 1) else { return [] }
            defer { var d: UnsafeMutablePointer<DmtxDecode>? = decoder; dmtxDecodeDestroy(&d) }
            let shortSide = Int32(min(width, height))
            dmtxDecodeSetProp(decoder, Int32(DmtxPropEdgeMin.rawValue), Self.minimumEdge / 2)
            dmtxDecodeSetProp(decoder, Int32(DmtxPropEdgeMax.rawValue), max(48, shortSide))
            dmtxDecodeSetProp(decoder, Int32(DmtxPropScanGap.rawValue), 2)
            // The budget is the thread's CPU time, not the wall clock, so that a busy machine
            // does not cut the search short: libdmtx searches in slices of 50 ms and resumes
            // its scan grid where the last slice stopped.
            let started = Self.threadCPUMilliseconds()
            var payloads: [String] = []
            while payloads.count < limit {
                var slice = dmtxTimeAdd(dmtxTimeNow(), Int(min(50, max(1, budget))))
                guard let region = dmtxRegionFindNext(decoder, &slice) else {
                    // Nothing before the slice ended: the image is searched through, or the
                    // slice's time ran out and the budget decides.
                    if dmtxTimeExceeded(slice) == DmtxFalse { break }
                    if Self.threadCPUMilliseconds() - started >= budget { break }
                    continue
                }
                defer { var r: UnsafeMutablePointer<DmtxRegion>? = region; dmtxRegionDestroy(&r) }
                if let message = dmtxDecodeMatrixRegion(decoder, region, DmtxUndefined) {
                    var m: UnsafeMutablePointer<DmtxMessage>? = message
                    let count = Int(message.pointee.outputIdx)
                    if count > 0, let output = message.pointee.output {
                        let payload = String(decoding: UnsafeBufferPointer(start: output, count: count), as: UTF8.self)
                        if !payloads.contains(payload) { payloads.append(payload) }
                    }
                    dmtxMessageDestroy(&m)
                }
                if Self.threadCPUMilliseconds() - started >= budget { break }
            }
            return payloads
        }
    }

    /// CPU time of the calling thread, in milliseconds.
    static func threadCPUMilliseconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1_000_000
    }
}

/// `boxDestroy` takes a pointer to the pointer.
private func boxDestroy_(_ box: UnsafeMutablePointer<BOX>) {
    var reference: UnsafeMutablePointer<BOX>? = box
    boxDestroy(&reference)
}

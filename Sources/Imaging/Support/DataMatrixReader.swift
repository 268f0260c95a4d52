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
    public func read(_ page: PageImage) throws -> [String] {
        guard timeBudgetMilliseconds > 0, maximumCodes > 0 else { return [] }
        // A 300 dpi page is searched at half size: a form's code keeps 4–5 pixels per module
        // there, and the search costs a quarter.
        var source = page
        if max(page.width, page.height) > 2600, let half = pixScaleAreaMap2(page.pix) {
            source = PageImage(owning: half)
        }
        var (bytes, width, height) = try source.grayBytes()
        guard width > 0, height > 0 else { return [] }
        let budget = timeBudgetMilliseconds
        let limit = maximumCodes
        return bytes.withUnsafeMutableBytes { raw -> [String] in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress,
                let image = dmtxImageCreate(base, Int32(width), Int32(height), Int32(DmtxPack8bppK.rawValue))
            else { return [] }
            defer { var i: UnsafeMutablePointer<DmtxImage>? = image; dmtxImageDestroy(&i) }
            guard let decoder = dmtxDecodeCreate(image, 1) else { return [] }
            defer { var d: UnsafeMutablePointer<DmtxDecode>? = decoder; dmtxDecodeDestroy(&d) }
            // Symbols between about 5 mm and a third of the page; gaps of 2 px between scan lines.
            let shortSide = Int32(min(width, height))
            dmtxDecodeSetProp(decoder, Int32(DmtxPropEdgeMin.rawValue), 24)
            dmtxDecodeSetProp(decoder, Int32(DmtxPropEdgeMax.rawValue), max(48, shortSide / 3))
            dmtxDecodeSetProp(decoder, Int32(DmtxPropScanGap.rawValue), 2)
            // The budget is the thread's CPU time, not the wall clock, so that a busy machine
            // does not cut the search short: libdmtx searches in slices of 50 ms and resumes
            // its scan grid where the last slice stopped.
            let started = Self.threadCPUMilliseconds()
            var payloads: [String] = []
            while payloads.count < limit {
                var slice = dmtxTimeAdd(dmtxTimeNow(), 50)
                guard let region = dmtxRegionFindNext(decoder, &slice) else {
                    // Nothing before the slice ended: the page is searched through, or the
                    // slice's time ran out and the budget decides.
                    if dmtxTimeExceeded(slice) == DmtxFalse { break }
                    if Self.threadCPUMilliseconds() - started >= Double(budget) { break }
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
                if Self.threadCPUMilliseconds() - started >= Double(budget) { break }
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

import CDe265
import CLeptonica
import Foundation

/// Decodes the HEVC tiles of a `HEIFContainer` with libde265 and writes each tile's luminance
/// plane straight into one grey page: no RGB picture, no colour conversion, no copy of the
/// whole picture in between. Tiles are decoded by up to `threads` threads at once (the
/// caller's share of the machine), each tile by its own decoder in the thread that asked.
///
/// Returns `nil` when libde265 does not deliver a tile as expected (the caller then lets
/// libheif try, which gives the error message a person can act on).
struct HEVCTileDecoder {
    let container: HEIFContainer
    let threads: Int
    /// Whether libde265 runs HEVC's sample-adaptive offset filter (SAO). A still image has no
    /// later picture that predicts from the filtered one, so leaving it out changes only this
    /// picture's pixels, slightly (SAO nudges grey levels by a few steps to undo coding
    /// artefacts), and saves about a quarter of the decoding time (`HEICDecoder.sampleAdaptiveOffset`
    /// has the measurement). Deblocking stays: without it, block edges made OCR read a logo as
    /// letters in front of a name.
    var sampleAdaptiveOffset = false

    /// The page (before the container's transforms) and the bit depth of its samples.
    func decode() -> (page: PageImage, bits: Int, fullRange: Bool)? {
        let width = container.width, height = container.height
        guard let pix = pixCreate(Int32(width), Int32(height), 8) else { return nil }
        let page = PageImage(owning: pix)
        // Rows written as plain bytes first, put into Leptonica's word order once at the end.
        let raster = UnsafeMutableRawPointer(pixGetData(pix)!).assumingMemoryBound(to: UInt8.self)
        let rowBytes = Int(pixGetWpl(pix)) * 4
        let tileCount = container.tiles.count
        let lanes = max(1, min(threads, tileCount))
        let outcomes = TileOutcomes(count: tileCount, raster: raster)
        let place = { @Sendable (tile: Int) in
            let column = tile % container.columns, row = tile / container.columns
            // A picture alone may still be coded in rows that libde265 can decode side by
            // side (wavefront parallel processing, as x265 writes by default).
            let outcome = decodeTile(
                container.tiles[tile], workerThreads: lanes < threads ? threads / lanes : 0, into: outcomes.raster, rowBytes: rowBytes,
                x: column * container.tileWidth, y: row * container.tileHeight, width: width, height: height)
            outcomes.set(tile, outcome)
        }
        if lanes == 1 {
            for tile in 0..<tileCount { place(tile) }
        } else {
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                for tile in stride(from: lane, to: tileCount, by: lanes) { place(tile) }
            }
        }
        guard let first = outcomes.all.first, let format = first,
              outcomes.all.allSatisfy({ $0 != nil && $0!.bits == format.bits })
        else { return nil }
        pixEndianByteSwap(pix)
        return (page, format.bits, container.fullRange ?? format.fullRange)
    }

    struct TileFormat: Equatable {
        var bits: Int
        var fullRange: Bool
    }

    /// One tile into the raster at (x, y), cut at the picture's right and bottom edges.
    private func decodeTile(
        _ tile: HEIFContainer.CodedTile, workerThreads: Int, into raster: UnsafeMutablePointer<UInt8>, rowBytes: Int,
        x: Int, y: Int, width: Int, height: Int
    ) -> TileFormat? {
        guard let decoder = de265_new_decoder() else { return nil }
        defer { de265_free_decoder(decoder) }
        if workerThreads > 1 { _ = de265_start_worker_threads(decoder, Int32(workerThreads)) }
        if !sampleAdaptiveOffset { de265_set_parameter_bool(decoder, DE265_DECODER_PARAM_DISABLE_SAO, 1) }
        for unit in tile.parameterSets {
            unit.withUnsafeBytes { _ = de265_push_NAL(decoder, $0.baseAddress, Int32($0.count), 0, nil) }
        }
        let pushed = tile.data.withUnsafeBytes { data -> Bool in
            var at = 0
            while at < data.count {
                guard at + tile.lengthSize <= data.count else { return false }
                var length = 0
                for index in 0..<tile.lengthSize { length = length << 8 | Int(data[at + index]) }
                at += tile.lengthSize
                guard length <= data.count - at else { return false }
                _ = de265_push_NAL(decoder, data.baseAddress! + at, Int32(length), 0, nil)
                at += length
            }
            return true
        }
        guard pushed, de265_flush_data(decoder) == DE265_OK else { return nil }
        var format: TileFormat?
        var more: Int32 = 1
        while more != 0 {
            more = 0
            guard de265_decode(decoder, &more) == DE265_OK else { break }
            guard let image = de265_get_next_picture(decoder) else { continue }
            defer { de265_release_next_picture(decoder) }
            guard format == nil else { continue }
            format = copyLuminance(image, into: raster, rowBytes: rowBytes, x: x, y: y, width: width, height: height)
        }
        return format
    }

    private func copyLuminance(
        _ image: OpaquePointer, into raster: UnsafeMutablePointer<UInt8>, rowBytes: Int,
        x: Int, y: Int, width: Int, height: Int
    ) -> TileFormat? {
        var stride: Int32 = 0
        guard let plane = de265_get_image_plane(image, 0, &stride) else { return nil }
        let bits = Int(de265_get_bits_per_pixel(image, 0))
        let tileWidth = Int(de265_get_image_width(image, 0)), tileHeight = Int(de265_get_image_height(image, 0))
        // Every tile as large as the container says (the grid's positions rely on it).
        guard (8...16).contains(bits), tileWidth == container.tileWidth, tileHeight == container.tileHeight else { return nil }
        let columns = min(tileWidth, width - x), rows = min(tileHeight, height - y)
        guard columns > 0, rows > 0 else { return nil }
        if bits == 8 {
            for row in 0..<rows {
                memcpy(raster + (y + row) * rowBytes + x, plane + row * Int(stride), columns)
            }
        } else {
            // 10- or 12-bit luminance (HDR phones), two bytes a sample: the top 8 bits.
            for row in 0..<rows {
                let source = UnsafeRawPointer(plane + row * Int(stride))
                let target = raster + (y + row) * rowBytes + x
                for column in 0..<columns {
                    target[column] = UInt8(truncatingIfNeeded: min(Int(source.loadUnaligned(fromByteOffset: 2 * column, as: UInt16.self)) >> (bits - 8), 255))
                }
            }
        }
        return TileFormat(bits: bits, fullRange: de265_get_image_full_range_flag(image) != 0)
    }
}

/// What each tile's decoding gave, written from several threads, and the raster they write
/// into (each tile its own rectangle).
private final class TileOutcomes: @unchecked Sendable {
    private var values: [HEVCTileDecoder.TileFormat?]
    private let lock = NSLock()
    let raster: UnsafeMutablePointer<UInt8>

    init(count: Int, raster: UnsafeMutablePointer<UInt8>) {
        values = Array(repeating: nil, count: count)
        self.raster = raster
    }

    func set(_ index: Int, _ value: HEVCTileDecoder.TileFormat?) {
        lock.withLock { values[index] = value }
    }

    var all: [HEVCTileDecoder.TileFormat?] { lock.withLock { values } }
}

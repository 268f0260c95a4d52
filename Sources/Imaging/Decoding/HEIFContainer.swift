import Foundation

/// What the grey HEIC decoder needs from a HEIF file (ISO/IEC 23008-12, ISO BMFF boxes): the
/// primary image as HEVC-coded tiles (one tile for a plain image, rows × columns for a grid, as
/// iPhones write), each tile's parameter sets and data, and the rotations and mirrorings to
/// apply afterwards.
///
/// Read by hand because libheif 1.15 (Debian bookworm) hides the tiles of a grid and, asked for
/// YCbCr, converts every tile to RGB, pastes it into an RGB picture and converts that back: two
/// colour conversions of 12 MP that grey pages do not need (a quarter of the decode time). A
/// file this reader does not describe fully (`nil`) is decoded by libheif as before.
struct HEIFContainer {
    /// One HEVC-coded picture: its parameter sets (VPS, SPS, PPS from `hvcC`) and its data as
    /// NAL units each preceded by a big-endian length of `lengthSize` bytes.
    struct CodedTile {
        var parameterSets: [ArraySlice<UInt8>]
        var lengthSize: Int
        var data: [UInt8]
    }

    /// A step applied to the decoded picture, in the file's order.
    enum Transform: Equatable {
        /// `irot`: turned anticlockwise by this many quarter turns.
        case rotation(anticlockwiseQuarterTurns: Int)
        /// `imir`: left and right swapped, or top and bottom. Axis 1 swaps left and right, as
        /// libheif, Apple and pillow-heif read it (the 2017 text of the standard says the opposite).
        case mirror(leftRight: Bool)
        /// `clap`: cut to the clean aperture, a width and height around the picture's centre
        /// moved by an offset (fractions, as the box stores them; odd sizes are coded this way).
        case cleanAperture(width: Double, height: Double, horizontalOffset: Double, verticalOffset: Double)

        /// The rectangle `cleanAperture` keeps of a `width` × `height` picture, as libheif
        /// rounds it; `nil` when it is empty.
        func keptRectangle(width: Int, height: Int) -> (x: Int, y: Int, width: Int, height: Int)? {
            guard case .cleanAperture(let cleanWidth, let cleanHeight, let horizontalOffset, let verticalOffset) = self else { return nil }
            let left = max(0, Int((horizontalOffset + Double(width - 1) / 2 - (cleanWidth - 1) / 2).rounded(.down)))
            let top = max(0, Int((verticalOffset + Double(height - 1) / 2 - (cleanHeight - 1) / 2).rounded(.down)))
            let keptWidth = min(Int(cleanWidth.rounded()), width - left), keptHeight = min(Int(cleanHeight.rounded()), height - top)
            return keptWidth > 0 && keptHeight > 0 ? (left, top, keptWidth, keptHeight) : nil
        }
    }

    /// Width and height of the picture before the transforms (the grid's output size).
    var width: Int
    var height: Int
    var columns: Int
    var rows: Int
    /// Size of every tile (from `ispe`); tiles at the right and bottom edges may reach beyond the picture.
    var tileWidth: Int
    var tileHeight: Int
    /// Row by row.
    var tiles: [CodedTile]
    var transforms: [Transform]
    /// The `nclx` colour box's full-range flag, when the image has one (else the stream's holds).
    var fullRange: Bool?

    /// Reads the container; `nil` when the primary image is something else than HEVC tiles this
    /// decoder can put together by itself (AV1, transparency, an overlay, an unknown essential
    /// property, or a file it cannot follow).
    static func read(_ file: [UInt8]) -> HEIFContainer? {
        try? Parser(file).container()
    }
}

private struct ContainerUnsupported: Error {}

/// A box: its four-character type and where its payload lies in the file.
private struct Box {
    var type: String
    var payload: Range<Int>
}

/// Big-endian reads with bounds checks over the whole file.
private struct Cursor {
    let bytes: [UInt8]
    var position: Int
    let end: Int

    init(_ bytes: [UInt8], _ range: Range<Int>) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
    }

    mutating func uint(_ size: Int) throws -> Int {
        guard size >= 0, size <= 8, position + size <= end else { throw ContainerUnsupported() }
        var value = 0
        for index in 0..<size { value = value << 8 | Int(bytes[position + index]) }
        position += size
        guard value >= 0 else { throw ContainerUnsupported() }
        return value
    }

    mutating func u8() throws -> Int { try uint(1) }
    mutating func u16() throws -> Int { try uint(2) }
    mutating func u32() throws -> Int { try uint(4) }

    mutating func fourCC() throws -> String {
        guard position + 4 <= end else { throw ContainerUnsupported() }
        defer { position += 4 }
        return String(decoding: bytes[position..<position + 4], as: UTF8.self)
    }

    mutating func skip(_ count: Int) throws {
        guard count >= 0, position + count <= end else { throw ContainerUnsupported() }
        position += count
    }

    /// Version and flags of a full box.
    mutating func fullBoxHeader() throws -> (version: Int, flags: Int) {
        let word = try u32()
        return (word >> 24, word & 0xFFFFFF)
    }

    /// The boxes from here to the end.
    mutating func boxes() throws -> [Box] {
        var found: [Box] = []
        while position + 8 <= end {
            let start = position
            var size = try u32()
            let type = try fourCC()
            if size == 1 {
                size = try uint(8)
            } else if size == 0 {
                size = end - start
            }
            let payloadStart = position
            guard size >= payloadStart - start, start + size <= end else { throw ContainerUnsupported() }
            found.append(Box(type: type, payload: payloadStart..<start + size))
            position = start + size
        }
        return found
    }
}

private struct Parser {
    let file: [UInt8]
    init(_ file: [UInt8]) { self.file = file }

    func children(of box: Box, fullBox: Bool = false) throws -> [Box] {
        var cursor = Cursor(file, box.payload)
        if fullBox { _ = try cursor.fullBoxHeader() }
        return try cursor.boxes()
    }

    struct Location {
        var method: Int
        var extents: [(offset: Int, length: Int)]
    }

    func container() throws -> HEIFContainer {
        var top = Cursor(file, 0..<file.count)
        guard let meta = try top.boxes().first(where: { $0.type == "meta" }) else { throw ContainerUnsupported() }
        let boxes = try children(of: meta, fullBox: true)
        func box(_ type: String) throws -> Box {
            guard let found = boxes.first(where: { $0.type == type }) else { throw ContainerUnsupported() }
            return found
        }
        let primary = try primaryItem(try box("pitm"))
        let types = try itemTypes(try box("iinf"))
        let locations = try itemLocations(try box("iloc"))
        let references = try boxes.first(where: { $0.type == "iref" }).map(itemReferences) ?? []
        let (properties, associations) = try itemProperties(try box("iprp"))
        let idat = boxes.first(where: { $0.type == "idat" })?.payload

        func data(of item: Int) throws -> [UInt8] {
            guard let location = locations[item] else { throw ContainerUnsupported() }
            var bytes: [UInt8] = []
            for extent in location.extents {
                let base: Int
                switch location.method {
                case 0: base = 0
                case 1:
                    guard let idat else { throw ContainerUnsupported() }
                    base = idat.lowerBound
                    guard extent.offset + extent.length <= idat.count else { throw ContainerUnsupported() }
                default: throw ContainerUnsupported()
                }
                let start = base + extent.offset
                guard extent.length > 0, start >= 0, start + extent.length <= file.count else { throw ContainerUnsupported() }
                bytes += file[start..<start + extent.length]
            }
            return bytes
        }
        func property(_ type: String, of item: Int) -> Box? {
            associations[item, default: []].lazy.map { properties[$0.index] }.first { $0.type == type }
        }
        func tile(_ item: Int) throws -> HEIFContainer.CodedTile {
            guard types[item] == "hvc1", let configuration = property("hvcC", of: item) else { throw ContainerUnsupported() }
            let (parameterSets, lengthSize) = try hevcConfiguration(configuration)
            return HEIFContainer.CodedTile(parameterSets: parameterSets, lengthSize: lengthSize, data: try data(of: item))
        }
        func size(of item: Int) throws -> (Int, Int) {
            guard let ispe = property("ispe", of: item) else { throw ContainerUnsupported() }
            var cursor = Cursor(file, ispe.payload)
            _ = try cursor.fullBoxHeader()
            return (try cursor.u32(), try cursor.u32())
        }

        // Transparency is laid onto white by the libheif path; leave such files to it.
        for reference in references where reference.type == "auxl" && reference.to.contains(primary) {
            if let auxC = property("auxC", of: reference.from), auxC.payload.count > 4 {
                let name = file[(auxC.payload.lowerBound + 4)..<auxC.payload.upperBound].prefix { $0 != 0 }
                let type = String(decoding: name, as: UTF8.self)
                if type.hasSuffix(":alpha") || type == "urn:mpeg:hevc:2015:auxid:1" { throw ContainerUnsupported() }
            }
        }
        // What is applied to the picture, in the order the file lists it.
        var transforms: [HEIFContainer.Transform] = []
        var fullRange: Bool?
        for association in associations[primary, default: []] {
            let box = properties[association.index]
            var cursor = Cursor(file, box.payload)
            switch box.type {
            case "irot": transforms.append(.rotation(anticlockwiseQuarterTurns: try cursor.u8() & 3))
            case "imir": transforms.append(.mirror(leftRight: try cursor.u8() & 1 == 1))
            case "colr":
                if try cursor.fourCC() == "nclx" {
                    try cursor.skip(6)
                    fullRange = try cursor.u8() & 0x80 != 0
                }
            case "clap":
                func fraction(signed: Bool) throws -> Double {
                    let numerator = try cursor.u32(), denominator = try cursor.u32()
                    guard denominator != 0 else { throw ContainerUnsupported() }
                    return Double(signed ? Int(Int32(truncatingIfNeeded: numerator)) : numerator) / Double(denominator)
                }
                transforms.append(.cleanAperture(
                    width: try fraction(signed: false), height: try fraction(signed: false),
                    horizontalOffset: try fraction(signed: true), verticalOffset: try fraction(signed: true)))
            case "ispe", "pixi", "hvcC", "auxC", "rloc", "lsel", "a1op", "a1lx": break
            default:
                // An essential property we do not know may change the picture.
                if association.essential { throw ContainerUnsupported() }
            }
        }

        switch types[primary] {
        case "hvc1":
            let (width, height) = try size(of: primary)
            return HEIFContainer(width: width, height: height, columns: 1, rows: 1, tileWidth: width, tileHeight: height,
                                 tiles: [try tile(primary)], transforms: transforms, fullRange: fullRange)
        case "grid":
            let description = try data(of: primary)
            var cursor = Cursor(description, 0..<description.count)
            _ = try cursor.u8()  // version
            let fieldSize = try cursor.u8() & 1 == 1 ? 4 : 2
            let rows = try cursor.u8() + 1, columns = try cursor.u8() + 1
            let width = try cursor.uint(fieldSize), height = try cursor.uint(fieldSize)
            guard let tileItems = references.first(where: { $0.type == "dimg" && $0.from == primary })?.to,
                  tileItems.count == rows * columns, let first = tileItems.first
            else { throw ContainerUnsupported() }
            let (tileWidth, tileHeight) = try size(of: first)
            guard tileWidth > 0, tileHeight > 0, columns * tileWidth >= width, rows * tileHeight >= height else {
                throw ContainerUnsupported()
            }
            return HEIFContainer(width: width, height: height, columns: columns, rows: rows, tileWidth: tileWidth, tileHeight: tileHeight,
                                 tiles: try tileItems.map(tile), transforms: transforms, fullRange: fullRange)
        default:
            throw ContainerUnsupported()
        }
    }

    func primaryItem(_ box: Box) throws -> Int {
        var cursor = Cursor(file, box.payload)
        return try cursor.fullBoxHeader().version == 0 ? cursor.u16() : cursor.u32()
    }

    func itemTypes(_ box: Box) throws -> [Int: String] {
        var cursor = Cursor(file, box.payload)
        let version = try cursor.fullBoxHeader().version
        _ = try version == 0 ? cursor.u16() : cursor.u32()
        var types: [Int: String] = [:]
        for entry in try cursor.boxes() where entry.type == "infe" {
            var fields = Cursor(file, entry.payload)
            let entryVersion = try fields.fullBoxHeader().version
            guard entryVersion >= 2 else { continue }
            let item = try entryVersion == 2 ? fields.u16() : fields.u32()
            _ = try fields.u16()  // protection index
            types[item] = try fields.fourCC()
        }
        return types
    }

    func itemLocations(_ box: Box) throws -> [Int: Location] {
        var cursor = Cursor(file, box.payload)
        let version = try cursor.fullBoxHeader().version
        let sizes = try cursor.u16()
        let offsetSize = sizes >> 12, lengthSize = sizes >> 8 & 15, baseOffsetSize = sizes >> 4 & 15
        let indexSize = version >= 1 ? sizes & 15 : 0
        let count = try version < 2 ? cursor.u16() : cursor.u32()
        var locations: [Int: Location] = [:]
        for _ in 0..<count {
            let item = try version < 2 ? cursor.u16() : cursor.u32()
            let method = try version >= 1 ? cursor.u16() & 15 : 0
            guard try cursor.u16() == 0 else { throw ContainerUnsupported() }  // data in this file
            let base = try cursor.uint(baseOffsetSize)
            var extents: [(Int, Int)] = []
            for _ in 0..<(try cursor.u16()) {
                try cursor.skip(indexSize)
                let offset = try cursor.uint(offsetSize), length = try cursor.uint(lengthSize)
                extents.append((base + offset, length))
            }
            locations[item] = Location(method: method, extents: extents)
        }
        return locations
    }

    func itemReferences(_ box: Box) throws -> [(type: String, from: Int, to: [Int])] {
        var cursor = Cursor(file, box.payload)
        let idSize = try cursor.fullBoxHeader().version == 0 ? 2 : 4
        return try cursor.boxes().map { reference in
            var fields = Cursor(file, reference.payload)
            let from = try fields.uint(idSize)
            let to = try (0..<fields.u16()).map { _ in try fields.uint(idSize) }
            return (reference.type, from, to)
        }
    }

    /// The property boxes (`ipco`, 0-based here) and each item's associations (`ipma`).
    func itemProperties(_ box: Box) throws -> ([Box], [Int: [(index: Int, essential: Bool)]]) {
        let parts = try children(of: box)
        guard let ipco = parts.first(where: { $0.type == "ipco" }) else { throw ContainerUnsupported() }
        let properties = try children(of: ipco)
        var associations: [Int: [(index: Int, essential: Bool)]] = [:]
        for ipma in parts where ipma.type == "ipma" {
            var cursor = Cursor(file, ipma.payload)
            let (version, flags) = try cursor.fullBoxHeader()
            for _ in 0..<(try cursor.u32()) {
                let item = try version < 1 ? cursor.u16() : cursor.u32()
                for _ in 0..<(try cursor.u8()) {
                    let wide = flags & 1 == 1
                    let value = try wide ? cursor.u16() : cursor.u8()
                    let index = value & (wide ? 0x7FFF : 0x7F)
                    guard index > 0 else { continue }
                    guard index <= properties.count else { throw ContainerUnsupported() }
                    associations[item, default: []].append((index - 1, value >> (wide ? 15 : 7) == 1))
                }
            }
        }
        return (properties, associations)
    }

    /// `hvcC`: the parameter-set NAL units and the size of the length before each NAL unit.
    func hevcConfiguration(_ box: Box) throws -> ([ArraySlice<UInt8>], Int) {
        var cursor = Cursor(file, box.payload)
        try cursor.skip(21)
        let lengthSize = try cursor.u8() & 3 + 1
        var units: [ArraySlice<UInt8>] = []
        for _ in 0..<(try cursor.u8()) {
            _ = try cursor.u8()  // completeness and NAL unit type
            for _ in 0..<(try cursor.u16()) {
                let length = try cursor.u16()
                let start = cursor.position
                try cursor.skip(length)
                units.append(file[start..<start + length])
            }
        }
        guard lengthSize != 3, !units.isEmpty else { throw ContainerUnsupported() }
        return (units, lengthSize)
    }
}

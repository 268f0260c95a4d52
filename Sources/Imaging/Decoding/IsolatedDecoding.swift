import CLeptonica
import Foundation

/// Decoding in a child process, so that a crash in libjpeg, libpng, libtiff, libheif, Leptonica
/// or poppler costs the file, not the service.
///
/// Why a child process: the C decoders are not ours to fix, and a segfault or `abort()` inside
/// them cannot be caught in-process (a signal handler cannot safely resume Swift code). A
/// separate address space is the only boundary that holds. The child is the small
/// `posteingang-decode` program beside this one (or, where it is missing, this same program as
/// `posteingang decode-worker`), started with `posix_spawn` in its own process group; it sets
/// its own resource limits before it reads a byte (address space, CPU seconds, file size, no
/// core dumps), decodes with the usual `DocumentDecoder`, and hands the pages back as PNM
/// files plus a `manifest.json` in a private folder. The parent waits with a wall-clock
/// deadline, kills the whole group (poppler tools included) when it passes, and maps what
/// happened to a typed `ImagingError`.
public struct DecoderIsolation: Sendable, Equatable {
    /// The program that understands the `decode-worker` subcommand.
    public var executable: String
    /// Where the private output folders are made (inside the data directory, so that pages
    /// never land in a shared /tmp).
    public var workDirectory: URL
    /// Address space the child may use beyond `DecodeLimits.maxDecodedBytes` (the runtime,
    /// libraries, the file itself, copies while decoding).
    public var memoryHeadroom: Int

    public init(executable: String = DecoderIsolation.defaultExecutable, workDirectory: URL, memoryHeadroom: Int = DecoderIsolation.defaultMemoryHeadroom) {
        self.executable = executable
        self.workDirectory = workDirectory
        self.memoryHeadroom = memoryHeadroom
    }

    /// The running program, resolved once (it may be replaced on disk while we run).
    public static let currentExecutable: String = {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }()

    /// The decoder program for every upload: `posteingang-decode` in the same folder as the
    /// running program, which links only the decoders (it starts in ~10 ms; `posteingang`
    /// itself, with Tesseract, SQLite and the HTTP server, in ~50 ms, and the daemon starts one
    /// child per upload); else the running program, which has the same `decode-worker` command.
    public static let defaultExecutable: String = {
        let sibling = URL(fileURLWithPath: currentExecutable).deletingLastPathComponent()
            .appendingPathComponent(DecodeWorker.programName).path
        return FileManager.default.isExecutableFile(atPath: sibling) ? sibling : currentExecutable
    }()

    /// `memoryHeadroom` unless told otherwise (the parent always passes it to the child).
    public static let defaultMemoryHeadroom = 768 * 1024 * 1024

    /// Prefix of the private output folders; the daemon removes stale ones on start.
    public static let folderPrefix = ".decode-"
}

/// What the worker writes into its output folder.
struct DecodeManifest: Codable {
    struct Page: Codable {
        var number: Int
        /// `image` (a PNM file) or `text` (a UTF-8 file).
        var kind: String
        var file: String
        var resolution: Int
        var notes: [String]
        /// `DecodedPage.reviewReasons` (absent when none).
        var review: [String]?
        /// Raster geometry of an `image` page, written as Leptonica's own words (`PageRaster`).
        var width: Int?
        var height: Int?
        var depth: Int?
    }
    var format: FileFormat
    var pages: [Page]
}

extension DocumentDecoder {
    /// The parent's side: runs the worker on `url` and reads back its pages.
    func decodeIsolated(fileAt url: URL, isolation: DecoderIsolation) throws -> DecodedDocument {
        // Cheap refusals first, without a process.
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
        if size == 0 { throw ImagingError.emptyFile }
        if size > limits.maxBytes { throw ImagingError.tooLarge(bytes: size, limit: limits.maxBytes) }

        let folder = isolation.workDirectory.appendingPathComponent(
            DecoderIsolation.folderPrefix + UUID().uuidString.prefix(12).lowercased(), isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        let limitsJSON = String(decoding: try JSONEncoder().encode(limits), as: UTF8.self)
        let outcome = try ChildProcess.run(
            executable: isolation.executable,
            arguments: ["decode-worker", "--limits", limitsJSON, "--memory-headroom", "\(isolation.memoryHeadroom)", "--threads", "\(threads)", "--output", folder.path, url.path],
            stderr: folder.appendingPathComponent("stderr.txt"),
            deadline: limits.decodeTimeout)

        let errorFile = folder.appendingPathComponent("error.json")
        if let data = try? Data(contentsOf: errorFile), let error = try? JSONDecoder().decode(ImagingError.self, from: data) {
            throw error
        }
        switch outcome.ending {
        case .timedOut:
            throw ImagingError.decodeTimeout(seconds: limits.decodeTimeout)
        case .signalled(let signal):
            if signal == SIGXCPU { throw ImagingError.decodeTimeout(seconds: limits.decodeTimeout) }
            if signal == SIGXFSZ { throw ImagingError.decodedMemory(bytes: limits.maxDecodedBytes + 1, limit: limits.maxDecodedBytes) }
            let stderr = (try? String(contentsOf: folder.appendingPathComponent("stderr.txt"), encoding: .utf8)) ?? ""
            let lastLine = stderr.split(separator: "\n").last.map { String($0.prefix(200)) }
            throw ImagingError.decoderCrashed(
                detail: "signal \(signal) (\(ChildProcess.signalName(signal)))" + (lastLine.map { ": \($0)" } ?? "")
                    + ", peak memory \(outcome.peakMemoryBytes / 1_048_576) MiB")
        case .exited(let status) where status != 0:
            throw ImagingError.decoderCrashed(detail: "exit status \(status) without a result")
        case .exited:
            break
        }
        let manifestData = try Data(contentsOf: folder.appendingPathComponent("manifest.json"))
        let manifest = try JSONDecoder().decode(DecodeManifest.self, from: manifestData)
        var pages: [DecodedPage] = []
        for page in manifest.pages {
            let file = folder.appendingPathComponent(URL(fileURLWithPath: page.file).lastPathComponent)
            switch page.kind {
            case "text":
                pages.append(DecodedPage(number: page.number, content: .text(try String(contentsOf: file, encoding: .utf8)), notes: page.notes,
                                         reviewReasons: page.review ?? []))
            default:
                guard let width = page.width, let height = page.height, let depth = page.depth,
                      let pix = PageRaster.read(file, width: width, height: height, depth: depth, maxPixels: limits.maxPixelsPerPage)
                else {
                    throw ImagingError.decoderCrashed(detail: "page \(page.number) came back unreadable")
                }
                if page.resolution > 0 { pixSetResolution(pix, Int32(page.resolution), Int32(page.resolution)) }
                pages.append(DecodedPage(number: page.number, content: .image(PageImage(owning: pix)), notes: page.notes,
                                         reviewReasons: page.review ?? []))
            }
        }
        return DecodedDocument(format: manifest.format, pages: pages)
    }
}

/// The worker's side of isolated decoding (`posteingang-decode decode-worker …`, or
/// `posteingang decode-worker …`).
public enum DecodeWorker {
    /// The small program that runs only this (Sources/posteingang-decode).
    public static let programName = "posteingang-decode"

    /// The command line of `decode-worker` (after the program's name), read without a parser
    /// library: `decode-worker --limits JSON [--memory-headroom BYTES] [--threads N] --output DIR FILE`.
    /// Returns the exit status; a wrong command line is a programming error (status 64).
    public static func main(arguments: [String]) -> Int32 {
        var rest = arguments[...]
        guard rest.popFirst() == "decode-worker" else { return usage("the first argument must be decode-worker") }
        var limitsJSON: String?, output: String?, file: String?
        var headroom = DecoderIsolation.defaultMemoryHeadroom
        var threads = 1
        while let argument = rest.popFirst() {
            switch argument {
            case "--limits": limitsJSON = rest.popFirst()
            case "--output": output = rest.popFirst()
            case "--memory-headroom":
                guard let value = rest.popFirst().flatMap(Int.init), value >= 0 else { return usage("--memory-headroom takes bytes") }
                headroom = value
            case "--threads":
                guard let value = rest.popFirst().flatMap(Int.init), (1...64).contains(value) else { return usage("--threads takes 1 to 64") }
                threads = value
            default:
                guard file == nil, !argument.hasPrefix("--") else { return usage("unexpected argument \(argument)") }
                file = argument
            }
        }
        guard let limitsJSON, let output, let file else { return usage("--limits, --output and the file are needed") }
        guard let limits = try? JSONDecoder().decode(DecodeLimits.self, from: Data(limitsJSON.utf8)) else {
            return usage("--limits is not DecodeLimits JSON")
        }
        return run(input: URL(fileURLWithPath: file), output: URL(fileURLWithPath: output, isDirectory: true),
                   limits: limits, memoryHeadroom: headroom, threads: threads)
    }

    private static func usage(_ problem: String) -> Int32 {
        let program = URL(fileURLWithPath: CommandLine.arguments.first ?? programName).lastPathComponent
        FileHandle.standardError.write(Data("\(program): \(problem)\nusage: \(program) decode-worker --limits JSON [--memory-headroom BYTES] --output DIR FILE (started by the posteingang daemon)\n".utf8))
        return 64
    }

    /// Limits this process, decodes `input` and writes the pages to `output`. A typed refusal
    /// is written as `error.json` (exit 0: the worker did its job); a crash simply ends it.
    public static func run(input: URL, output: URL, limits: DecodeLimits, memoryHeadroom: Int, threads: Int = 1) -> Int32 {
        ResourceLimits.apply(
            addressSpace: limits.maxDecodedBytes + memoryHeadroom,
            cpuSeconds: Int(limits.decodeTimeout.rounded(.up)),
            fileSize: max(limits.maxDecodedBytes, 64 * 1024 * 1024))
        do {
            let document = try DocumentDecoder(limits: limits, threads: threads).decode(fileAt: input)
            var pages: [DecodeManifest.Page] = []
            for page in document.pages {
                switch page.content {
                case .text(let text):
                    let name = "page-\(page.number).txt"
                    try Data(text.utf8).write(to: output.appendingPathComponent(name))
                    pages.append(.init(number: page.number, kind: "text", file: name, resolution: 0, notes: page.notes,
                                       review: page.reviewReasons.isEmpty ? nil : page.reviewReasons))
                case .image(let image):
                    let name = "page-\(page.number).raw"
                    // Preparation starts with the same grey conversion, so handing back grey
                    // loses nothing and moves a quarter of the bytes of RGBA.
                    var handed = image
                    if ![1, 8].contains(image.depth) || pixGetColormap(image.pix) != nil, let gray = Leptonica.gray8(image.pix) {
                        pixCopyResolution(gray, image.pix)
                        handed = PageImage(owning: gray)
                    }
                    try PageRaster.write(handed, to: output.appendingPathComponent(name), page: page.number)
                    pages.append(.init(number: page.number, kind: "image", file: name, resolution: image.resolution, notes: page.notes,
                                       review: page.reviewReasons.isEmpty ? nil : page.reviewReasons, width: handed.width, height: handed.height, depth: handed.depth))
                }
            }
            let manifest = DecodeManifest(format: document.format, pages: pages)
            try JSONEncoder().encode(manifest).write(to: output.appendingPathComponent("manifest.json"))
            return 0
        } catch let error as ImagingError {
            try? JSONEncoder().encode(error).write(to: output.appendingPathComponent("error.json"))
            return 0
        } catch {
            let refusal = ImagingError.corrupt(format: "file", detail: "\(error)")
            try? JSONEncoder().encode(refusal).write(to: output.appendingPathComponent("error.json"))
            return 0
        }
    }
}

/// `setrlimit` for the decoder process.
enum ResourceLimits {
    static func apply(addressSpace: Int, cpuSeconds: Int, fileSize: Int) {
        set(RLIMIT_AS, soft: addressSpace, hard: addressSpace)
        // SIGXCPU at the soft limit, SIGKILL a little later.
        set(RLIMIT_CPU, soft: cpuSeconds, hard: cpuSeconds + 5)
        set(RLIMIT_FSIZE, soft: fileSize, hard: fileSize)
        // A crash must not fill the disk with core files.
        set(RLIMIT_CORE, soft: 0, hard: 0)
    }

    private static func set(_ resource: __rlimit_resource, soft: Int, hard: Int) {
        var limit = rlimit(rlim_cur: rlim_t(soft), rlim_max: rlim_t(hard))
        var current = rlimit()
        if getrlimit(__rlimit_resource_t(resource.rawValue), &current) == 0, current.rlim_max != rlim_t.max {
            limit.rlim_max = min(limit.rlim_max, current.rlim_max)
            limit.rlim_cur = min(limit.rlim_cur, limit.rlim_max)
        }
        _ = setrlimit(__rlimit_resource_t(resource.rawValue), &limit)
    }
}

/// A page handed from the decoder process to the daemon as Leptonica's raster words, unchanged:
/// both sides are the same program on the same machine, so no encoding is needed. Writing and
/// parsing a PNM of a 6 MP page took ~55 ms on each side (measured with pixWrite/pixRead); this
/// is a plain write and read. The parent checks the geometry against the limits and the file's
/// size against it before it allocates or reads anything.
enum PageRaster {
    static func write(_ page: PageImage, to url: URL, page number: Int) throws {
        let bytes = Int(pixGetWpl(page.pix)) * 4 * page.height
        guard let words = pixGetData(page.pix) else {
            throw ImagingError.internalFailure(operation: "write page \(number) for the parent")
        }
        let data = Data(bytesNoCopy: words, count: bytes, deallocator: .none)
        do {
            try data.write(to: url)
        } catch {
            throw ImagingError.internalFailure(operation: "write page \(number) for the parent")
        }
    }

    static func read(_ url: URL, width: Int, height: Int, depth: Int, maxPixels: Int) -> UnsafeMutablePointer<PIX>? {
        guard [1, 8].contains(depth), width > 0, height > 0, width <= 1 << 20, height <= 1 << 20,
              width * height <= maxPixels
        else { return nil }
        let descriptor = open(url.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
              let pix = pixCreate(Int32(width), Int32(height), Int32(depth))
        else { return nil }
        let bytes = Int(pixGetWpl(pix)) * 4 * height
        guard Int(status.st_size) == bytes, let words = pixGetData(pix) else {
            Leptonica.destroy(pix)
            return nil
        }
        var done = 0
        let raw = UnsafeMutableRawPointer(words)
        while done < bytes {
            let count = Glibc.read(descriptor, raw + done, bytes - done)
            if count <= 0 {
                if count < 0 && errno == EINTR { continue }
                Leptonica.destroy(pix)
                return nil
            }
            done += count
        }
        return pix
    }
}

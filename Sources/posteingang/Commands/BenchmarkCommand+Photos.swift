import ChildProcesses
import Foundation
import Imaging

/// Figures for phone photos: one worker's peak memory on the largest, and HEIC decoding against
/// libheif's own tool.
extension BenchmarkCommand {
    /// The largest JPEG or HEIC photo of the set (12 MP ones where the set has them).
    static func largestPhoto(_ files: [URL]) -> URL? {
        files.filter { ["jpg", "jpeg", "heic", "heif"].contains($0.pathExtension.lowercased()) }
            .max { (($0.fileSizeBytes) ?? 0) < (($1.fileSizeBytes) ?? 0) }
    }

    /// Peak resident memory of one worker's work on the largest photo: `posteingang read FILE`
    /// in a child process (decoder child included), measured with getrusage. Target < 300 MB.
    static func printPeakMemory(reading photo: URL) {
        do {
            _ = try ChildProcess(DecoderIsolation.currentExecutable, ["read", photo.path], timeout: nil).run()
        } catch {
            print("peak memory: could not run read (\(error))")
            return
        }
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)  // ru_maxrss: the largest child so far, in KiB
        print(String(format: "peak memory of one worker reading %@ (posteingang read, getrusage): %.0f MB (target < 300 MB)",
                     photo.lastPathComponent, Double(usage.ru_maxrss) / 1024))
    }

    /// Milliseconds to decode each HEIC: ours as the daemon does (isolated child, grey, one
    /// worker's thread share) beside `heif-convert` to Y4M (libheif's own tool), median of 3.
    static func printHEICDecoding(_ files: [URL]) {
        guard !files.isEmpty else { return }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("posteingang-bench-heic-\(getpid())")
        try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let decoder = DocumentDecoder(isolation: DecoderIsolation(workDirectory: work), threads: DocumentDecoder.threadShare(workers: 1))
        let convert = ["/usr/bin/heif-convert", "/usr/local/bin/heif-convert"].first { FileManager.default.isExecutableFile(atPath: $0) }
        func median(_ run: () -> Bool) -> Double? {
            var times: [Double] = []
            for _ in 0..<3 {
                let started = Date()
                guard run() else { return nil }
                times.append(Date().timeIntervalSince(started) * 1000)
            }
            return times.sorted()[1]
        }
        var ours: [Double] = [], theirs: [Double] = []
        for file in files {
            if let ms = median({ (try? decoder.decode(fileAt: file)) != nil }) { ours.append(ms) }
            if let convert, let ms = median({
                (try? ChildProcess(convert, [file.path, work.appendingPathComponent("out.y4m").path], timeout: nil).run().succeeded) == true
            }) { theirs.append(ms) }
        }
        let mean = { (values: [Double]) in values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
        print(String(format: "HEIC decoding, %d files, mean of the medians of 3: ours %.0f ms (isolated, grey, %d thread(s)), ",
                     files.count, mean(ours), DocumentDecoder.threadShare(workers: 1))
            + (convert == nil ? "heif-convert not installed (apt-get install libheif-examples)" : String(format: "heif-convert %.0f ms (to Y4M)", mean(theirs))))
    }
}

private extension URL {
    var fileSizeBytes: Int? { (try? resourceValues(forKeys: [.fileSizeKey]))?.fileSize }
}

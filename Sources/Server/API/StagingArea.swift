import Foundation
import Synchronization

/// The files one request writes while its body arrives. Whatever the request does not hand to the
/// inbox is removed when it ends (refused, malformed, failed or cancelled): a refused request
/// leaves nothing behind.
final class StagingArea: Sendable {
    let folder: URL
    let uploadID: String
    private let paths = Mutex<[URL]>([])

    init(folder: URL, uploadID: String) {
        self.folder = folder
        self.uploadID = uploadID
    }

    /// A new file for the next page, named `PID-UPLOADID-N` (the pid tells a dead server's leftovers).
    func newFile(name: String?) throws -> StagedFileWriter {
        let url = paths.withLock { paths -> URL in
            let url = folder.appendingPathComponent("\(getpid())-\(uploadID)-\(paths.count)")
            paths.append(url)
            return url
        }
        return try StagedFileWriter(url: url, clientName: name)
    }

    /// Adds a path to remove at the end unless committed.
    func track(_ url: URL) { paths.withLock { $0.append(url) } }

    /// The file was renamed into the inbox: it is the spool's now.
    func committed(_ url: URL) { paths.withLock { $0.removeAll { $0 == url } } }

    /// Removes everything not committed.
    func discard() {
        for url in paths.withLock({ $0 }) { try? FileManager.default.removeItem(at: url) }
        paths.withLock { $0.removeAll() }
    }
}

/// One page file being written as it arrives; keeps its first KiB to recognise the format.
final class StagedFileWriter: @unchecked Sendable {
    let url: URL
    let clientName: String?
    private(set) var bytes = 0
    private(set) var head: [UInt8] = []
    private var descriptor: Int32

    init(url: URL, clientName: String?) throws {
        self.url = url
        self.clientName = clientName
        descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw APIError(
                status: .serviceUnavailable, code: "spool_unavailable",
                german: "Die Sendung kann gerade nicht gespeichert werden; bitte später erneut senden.",
                english: "The upload cannot be stored right now (\(String(cString: strerror(errno)))); please send it again later.")
        }
    }

    func write(_ data: some Collection<UInt8>) throws {
        if head.count < 1024 { head.append(contentsOf: data.prefix(1024 - head.count)) }
        let ok = data.withContiguousStorageIfAvailable { buffer in Self.writeAll(descriptor, buffer) }
            ?? Array(data).withUnsafeBufferPointer { Self.writeAll(descriptor, $0) }
        guard ok else {
            throw APIError(
                status: .serviceUnavailable, code: "spool_unavailable",
                german: "Die Sendung kann gerade nicht gespeichert werden (Speicher voll?); bitte später erneut senden.",
                english: "The upload cannot be stored right now (\(String(cString: strerror(errno)))); please send it again later.")
        }
        bytes += data.count
    }

    /// Flushes to disk and closes.
    func close() throws {
        guard descriptor >= 0 else { return }
        let synced = fsync(descriptor) == 0
        Glibc.close(descriptor)
        descriptor = -1
        guard synced else {
            throw APIError(
                status: .serviceUnavailable, code: "spool_unavailable",
                german: "Die Sendung konnte nicht gespeichert werden; bitte später erneut senden.",
                english: "The upload could not be stored (fsync failed); please send it again later.")
        }
    }

    deinit { if descriptor >= 0 { Glibc.close(descriptor) } }

    private static func writeAll(_ fd: Int32, _ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }
}

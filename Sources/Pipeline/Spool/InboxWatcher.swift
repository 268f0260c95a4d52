import Foundation
import SpoolFiles
import Synchronization

/// Tells the daemon when the inbox changed, through inotify. inotify loses events when its
/// queue overflows and sees nothing while the daemon is down, so the daemon also rescans the
/// folder periodically and at start; this watcher only makes new files show up at once.
public final class InboxWatcher: Sendable {
    /// A change in the inbox: `completed` is true when the file was renamed into place (the
    /// `NAME.part` → `NAME` convention), so it is complete without waiting for it to settle.
    public struct Event: Sendable {
        public var name: String
        public var completed: Bool
    }

    private let descriptor: Int32
    private let stopped = Atomic<Bool>(false)
    public let events: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation

    /// Starts watching `folder`. Throws when inotify is unavailable (the daemon then relies on
    /// rescans alone and says so in its log).
    public init(folder: URL) throws {
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { throw SpoolError(message: "inotify unavailable: \(String(cString: strerror(errno)))") }
        let mask = UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_Q_OVERFLOW)
        guard inotify_add_watch(fd, folder.path, mask) >= 0 else {
            close(fd)
            throw SpoolError(message: "cannot watch \(folder.path): \(String(cString: strerror(errno)))")
        }
        descriptor = fd
        (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(10_000))
        let thread = Thread { [self] in self.readLoop() }
        thread.name = "inbox-watcher"
        thread.start()
    }

    /// Stops the watcher; its stream finishes.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        continuation.finish()
    }

    private func readLoop() {
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer {
            buffer.deallocate()
            close(descriptor)
        }
        while !stopped.load(ordering: .acquiring) {
            // Wait with a timeout so that `stop()` is noticed within half a second.
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 500)
            if ready == 0 || (ready < 0 && errno == EINTR) { continue }
            if ready < 0 { break }
            let count = read(descriptor, buffer, size)
            if count < 0 {
                if errno == EINTR { continue }
                break
            }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                let nameLength = Int(event.len)
                let nameStart = buffer + offset + MemoryLayout<inotify_event>.size
                if event.mask & UInt32(IN_Q_OVERFLOW) != 0 {
                    continuation.yield(Event(name: "", completed: false))  // overflow: rescan everything
                } else if nameLength > 0 {
                    let name = String(cString: nameStart.assumingMemoryBound(to: CChar.self))
                    continuation.yield(Event(name: name, completed: event.mask & UInt32(IN_MOVED_TO) != 0))
                }
                offset += MemoryLayout<inotify_event>.size + nameLength
            }
        }
        continuation.finish()
    }
}

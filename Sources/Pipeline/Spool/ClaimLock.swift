import Foundation

/// An exclusive `flock` on a claimed file. Another daemon on the same folder sees the lock and
/// leaves the file alone; the kernel drops it when the process dies (kill -9 included), so a
/// crashed daemon's files become free for recovery.
public final class ClaimLock: Sendable {
    private let descriptor: Int32

    /// Locks `url`, or returns nil when another process (or another claim) holds it.
    /// Never follows a symbolic link and never blocks on a FIFO.
    public init?(_ url: URL) {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        descriptor = fd
    }

    deinit { close(descriptor) }
}

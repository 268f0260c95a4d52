import Foundation
import SpoolFiles

/// An upload claimed by this process: moved from inbox/ to processing/ under a name that
/// carries its upload id, so that a redo after a crash files it under the same id.
public struct ClaimedUpload: Sendable, Equatable {
    public var uploadID: String
    /// The name the sender gave the file.
    public var originalName: String
    /// Where it lies in processing/.
    public var file: URL
    /// When it arrived in the inbox: the legal date of receipt.
    public var receivedAt: Date
    public var sidecar: Sidecar?
    /// A sidecar that was there but could not be used.
    public var sidecarProblem: String?
    /// The exclusive lock this process holds on the file while it works on it.
    public var lock: ClaimLock?
    /// Set when the inbox entry must not be read at all (a link, not a regular file, an unsafe
    /// name): the daemon quarantines it with this reason without opening it.
    public var refusal: SpoolRefusal?
    /// The file's identity when claimed (device, inode, size, change time), to notice a file
    /// that someone still writes to while it is read.
    public var identity: FileIdentity?
    /// Handed out while nothing else of this process was in hand, and nothing else is handed out
    /// until it is done: if the process dies now, this upload is to blame.
    public var alone = false

    public static func == (a: ClaimedUpload, b: ClaimedUpload) -> Bool {
        a.uploadID == b.uploadID && a.file == b.file && a.originalName == b.originalName
    }
}

/// Why an inbox entry is refused before it is opened.
public struct SpoolRefusal: Sendable, Equatable {
    public var code: String
    public var reason: String
}

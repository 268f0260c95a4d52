import Foundation

/// What identifies a file's content without reading it: if any of these changed between claim
/// and filing, someone wrote to the file while it was read.
public struct FileIdentity: Sendable, Equatable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    public var changeSeconds: Int
    public var changeNanoseconds: Int

    /// `lstat` of `path` (never follows a link); nil when it does not exist.
    public static func of(_ path: String) -> (FileIdentity, stat)? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        let identity = FileIdentity(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            changeSeconds: Int(info.st_ctim.tv_sec), changeNanoseconds: Int(info.st_ctim.tv_nsec))
        return (identity, info)
    }
}

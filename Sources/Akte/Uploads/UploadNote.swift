import Foundation

/// The note a citizen sends with an upload, as the E-Akte keeps it: trimmed, nil when empty,
/// at most `maximumLength` characters (the API refuses longer ones; a sidecar dropped into the
/// spool is cut, not refused, so that its document is still filed).
public enum UploadNote {
    public static let maximumLength = 2000

    public static func stored(_ note: String?) -> String? {
        guard let trimmed = note?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return String(trimmed.prefix(maximumLength))
    }
}

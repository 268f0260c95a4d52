import Foundation

/// Rules for the names of files in the inbox. A name becomes part of paths and log lines and
/// is shown to caseworkers, so it must be plain text of modest length.
public enum UploadName {
    /// Longest accepted name in UTF-8 bytes (the upload id prefix must still fit NAME_MAX).
    public static let maxBytes = 180

    /// Why `name` is refused, or nil when it is acceptable. Refused: control characters
    /// (C0, DEL, C1), bidirectional overrides and isolates (which make `gpj.exe` read as
    /// `exe.jpg`), zero-width and other invisible format characters, the replacement character
    /// (the name was not valid UTF-8), `/`, `..` as a component, and names longer than
    /// `maxBytes` bytes.
    public static func problem(_ name: String) -> String? {
        if name.isEmpty || name == "." || name == ".." { return "the name '\(name)' is not a file name" }
        if name.utf8.count > maxBytes { return "the name is \(name.utf8.count) bytes long, the limit is \(maxBytes)" }
        for scalar in name.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return "the name contains a control character (U+\(hex(v)))" }
            if scalar == "/" || scalar == "\\" { return "the name contains a path separator" }
            if v == 0xFFFD { return "the name is not valid UTF-8" }
            if scalar.properties.generalCategory == .format || (0x2028...0x2029).contains(v) {
                return "the name contains an invisible or direction-changing character (U+\(hex(v)))"
            }
        }
        if name.contains("..") { return "the name contains '..'" }
        return nil
    }

    /// A safe stand-in for a refused name, for the quarantine folder and the logs.
    public static func sanitized(_ name: String) -> String {
        var result = ""
        for scalar in name.unicodeScalars {
            let v = scalar.value
            let bad = v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || scalar == "/" || scalar == "\\"
                || v == 0xFFFD || scalar.properties.generalCategory == .format || (0x2028...0x2029).contains(v)
            result.unicodeScalars.append(bad ? "_" : scalar)
        }
        result = result.replacingOccurrences(of: "..", with: "__")
        while result.utf8.count > maxBytes { result.removeLast() }
        return result.isEmpty ? "unnamed" : result
    }

    private static func hex(_ v: UInt32) -> String { String(format: "%04X", v) }
}

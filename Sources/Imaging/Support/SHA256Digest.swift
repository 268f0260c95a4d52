import CCrypto
import Foundation

/// SHA-256 of an original, as lowercase hex: the identity of an upload (BSI TR-03138 asks for a
/// hash of every original).
public enum SHA256Digest {
    public static func hex(of data: Data) -> String {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        data.withUnsafeBytes { raw in
            _ = SHA256(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, &digest)
        }
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    public static func hex(ofFileAt url: URL) throws -> String {
        hex(of: try Data(contentsOf: url, options: .mappedIfSafe))
    }
}

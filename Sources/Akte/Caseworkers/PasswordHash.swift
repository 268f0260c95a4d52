import CCrypto
import Foundation

/// Caseworkers' passwords as PBKDF2-HMAC-SHA256 (libcrypto's `PKCS5_PBKDF2_HMAC`) with a
/// per-user random salt, stored as `pbkdf2-sha256$ITERATIONS$SALT$HASH` (salt and hash in
/// base64). The iteration count travels with each hash, so raising the default later leaves
/// older hashes verifiable.
public enum PasswordHash {
    /// OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
    public static let defaultIterations = 600_000
    static let scheme = "pbkdf2-sha256"
    static let saltBytes = 16
    static let keyBytes = 32
    /// Shorter passwords are refused at `users add` / `users passwd`.
    public static let minimumPasswordLength = 12

    /// Hashes `password` with a fresh salt.
    public static func make(_ password: String, iterations: Int = defaultIterations) throws -> String {
        guard iterations >= 1 else { throw AkteError.invalidInput("PBKDF2 iterations must be at least 1") }
        let salt = try SecureRandom.bytes(saltBytes)
        let key = try derive(password, salt: salt, iterations: iterations)
        return [scheme, String(iterations), Data(salt).base64EncodedString(), Data(key).base64EncodedString()]
            .joined(separator: "$")
    }

    /// Whether `password` matches `encoded`; the final comparison takes the same time wherever
    /// the bytes differ. A malformed `encoded` never matches.
    public static func verify(_ password: String, against encoded: String) -> Bool {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == scheme, let iterations = Int(parts[1]), iterations >= 1,
            let salt = Data(base64Encoded: String(parts[2])), let expected = Data(base64Encoded: String(parts[3])),
            expected.count == keyBytes,
            let actual = try? derive(password, salt: [UInt8](salt), iterations: iterations)
        else { return false }
        return constantTimeEqual(actual, [UInt8](expected))
    }

    /// Checks a new password against the house rule; the error says what is accepted.
    public static func checkStrength(_ password: String) throws {
        guard password.count >= minimumPasswordLength else {
            throw AkteError.invalidInput(
                "the password has \(password.count) characters; at least \(minimumPasswordLength) are required")
        }
    }

    /// Equal length and equal bytes, compared with `CRYPTO_memcmp` (no early exit).
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in CRYPTO_memcmp(pa.baseAddress, pb.baseAddress, a.count) == 0 } }
    }

    private static func derive(_ password: String, salt: [UInt8], iterations: Int) throws -> [UInt8] {
        var key = [UInt8](repeating: 0, count: keyBytes)
        // utf8CString ends in a NUL, so the buffer is never empty; the length excludes it.
        let passwordChars = Array(password.utf8CString)
        let ok = passwordChars.withUnsafeBufferPointer { pw in
            PKCS5_PBKDF2_HMAC(
                pw.baseAddress, Int32(pw.count - 1), salt, Int32(salt.count), Int32(iterations), EVP_sha256(),
                Int32(keyBytes), &key)
        }
        guard ok == 1 else { throw AkteError.invalidInput("PBKDF2 failed in libcrypto") }
        return key
    }
}

/// Random bytes from libcrypto's CSPRNG (`RAND_bytes`), for salts, session ids and CSRF tokens.
public enum SecureRandom {
    public static func bytes(_ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&out, Int32(count)) == 1 else {
            throw AkteError.invalidInput("libcrypto's random generator failed (RAND_bytes)")
        }
        return out
    }

    /// `count` random bytes as lowercase hex.
    public static func hex(_ count: Int) throws -> String {
        try bytes(count).map { String(format: "%02x", $0) }.joined()
    }
}

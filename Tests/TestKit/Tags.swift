import Foundation
import Testing

/// What makes a test slow or need more than the build: the full run (`scripts/test.sh`, CI) runs
/// every test; `scripts/test.sh --fast` skips each one marked `.slow`.
extension Tag {
    /// Starts `posteingang` or another program as a child process (a daemon, `serve`, curl).
    @Tag public static var process: Self
    /// Reads pages of the fixtures with Tesseract.
    @Tag public static var ocr: Self
    /// Drives Chromium over the caseworkers' pages.
    @Tag public static var browser: Self
    /// Starts a PostgreSQL server.
    @Tag public static var postgres: Self
    /// Starts SeaweedFS (the S3-compatible blob store).
    @Tag public static var seaweedfs: Self
}

extension Trait where Self == ConditionTrait {
    /// Skipped when `POSTEINGANG_FAST_TESTS=1` (what `scripts/test.sh --fast` sets): for the tests
    /// tagged `.process`, `.ocr`, `.browser`, `.postgres` or `.seaweedfs`.
    public static var slow: Self {
        .disabled(if: TestKit.fastOnly, "a slow test; scripts/test.sh --fast skips it")
    }
}

extension TestKit {
    /// Whether only the fast unit tests run (`POSTEINGANG_FAST_TESTS=1`).
    public static var fastOnly: Bool { ProcessInfo.processInfo.environment["POSTEINGANG_FAST_TESTS"] == "1" }
}

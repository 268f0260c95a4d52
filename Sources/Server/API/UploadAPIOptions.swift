/// Limits and settings of the upload API (options of `posteingang serve`).
public struct UploadAPIOptions: Sendable {
    /// Largest request body accepted (all page files together); larger → 413.
    public var maxUploadBytes: Int
    /// Most page files in one multipart upload.
    public var maxFiles: Int

    public init(maxUploadBytes: Int = 50 * 1_048_576, maxFiles: Int = 30) {
        self.maxUploadBytes = maxUploadBytes
        self.maxFiles = maxFiles
    }
}

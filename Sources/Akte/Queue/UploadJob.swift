import Foundation

/// An accepted upload waiting in, or taken from, the shared work queue.
public struct UploadJob: Sendable, Equatable, Decodable {
    public let uploadID: String
    public let sha256: String
    public let filename: String
    public let channel: String
    /// The upload's sidecar (case, channel, submitter) as delivered, if any.
    public let sidecarJSON: String?
    public let receivedAt: Date
    /// `available`, `running`, `done`, `refused` or `quarantined`.
    public let state: String
    /// Tries counted against the file so far, this one included while it runs.
    public let attempt: Int
    public let maxAttempts: Int
    public let runAfter: Date
    /// Retried alone: it was in hand with others when its worker died.
    public let claimAlone: Bool
    /// The worker holding it (`host:pid`), while it runs.
    public let lockedBy: String?
    public let leaseUntil: Date?
    public let lastError: String?
    /// Why it was set aside (`crashed_repeatedly`, or the refusal's code).
    public let refusalCode: String?
}

/// What happened to a job whose try failed.
public enum JobRetry: Sendable, Equatable {
    /// Back in the queue, to be tried again from this time on.
    case retry(at: Date)
    /// Set aside for good after its last try, with this code.
    case quarantined(code: String)
}

/// What the rescuer did with jobs whose worker stopped renewing their lease.
public struct LeaseRescue: Sendable, Equatable {
    /// Back in the queue (alone, when they were in hand with others).
    public var requeued: [String] = []
    /// Alone in hand when their worker died, for the last time: set aside as `crashed_repeatedly`.
    public var quarantined: [String] = []
}

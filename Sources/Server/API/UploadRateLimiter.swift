import Foundation
import Synchronization

/// Uploads per minute per token, as a token bucket: a client may send up to its rate at once, then
/// one more each 60/rate seconds. In memory: a restart gives every client a full bucket.
final class UploadRateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    private let buckets = Mutex<[String: Bucket]>([:])
    private let clock: @Sendable () -> Date

    init(clock: @escaping @Sendable () -> Date = { Date() }) {
        self.clock = clock
    }

    /// Takes one upload from the token's bucket. Returns nil when allowed, else the seconds to
    /// wait before the next upload is allowed (for `Retry-After`).
    func take(tokenID: String, ratePerMinute: Int) -> Int? {
        let now = clock()
        let capacity = Double(max(1, ratePerMinute))
        let perSecond = capacity / 60
        return buckets.withLock { buckets in
            var bucket = buckets[tokenID] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + now.timeIntervalSince(bucket.updated) * perSecond)
            bucket.updated = now
            defer { buckets[tokenID] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up)))
        }
    }
}

/// Idempotency keys being answered right now: a second request with the same key waits for none,
/// it gets 409 (the first answer is stored when the first request ends).
final class InFlightKeys: Sendable {
    private let keys = Mutex<Set<String>>([])

    func claim(_ key: String) -> Bool { keys.withLock { $0.insert(key).inserted } }
    func release(_ key: String) { _ = keys.withLock { $0.remove(key) } }
}

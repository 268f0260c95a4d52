import Foundation
import Synchronization

/// Growing delays after failed logins, per login name and per client address.
///
/// No account is ever locked: after `free` failures a name (known or not: both are counted
/// alike, so the answer tells nothing about which names exist) must wait 1 s before the next
/// try, then 2, 4, … up to `maxNameDelay`, so that someone who knows a caseworker's name can
/// slow their login by at most that much, never shut it. An address that keeps failing waits
/// up to `maxAddressDelay` (15 minutes): that only hurts whoever guesses from it. A success
/// clears the name's count; counts are forgotten `memory` after the last failure. In memory: a
/// restart starts afresh.
final class LoginThrottle: Sendable {
    struct Settings: Sendable {
        var freeNameFailures = 5
        var maxNameDelay: TimeInterval = 60
        var freeAddressFailures = 20
        var maxAddressDelay: TimeInterval = 15 * 60
        /// A count is dropped this long after its last failure.
        var memory: TimeInterval = 60 * 60
        /// Most names and addresses remembered (oldest dropped beyond).
        var capacity = 20_000
    }

    /// A delay that began with a failure, for the audit trail.
    struct ThrottleStart: Sendable, Equatable {
        var scope: String
        var waitSeconds: Int
    }

    private struct Count {
        var failures: Int
        var last: Date
        var waitUntil: Date
    }

    private struct State {
        var names: [String: Count] = [:]
        var addresses: [String: Count] = [:]
    }

    private let state = Mutex(State())
    private let settings: Settings
    private let clock: @Sendable () -> Date

    init(settings: Settings = Settings(), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.settings = settings
        self.clock = clock
    }

    /// Seconds to wait before this name may try again from this address; nil when it may now.
    func wait(name: String, address: String?) -> Int? {
        let now = clock()
        return state.withLock { state in
            let untils = [state.names[name]?.waitUntil, address.flatMap { state.addresses[$0]?.waitUntil }].compactMap { $0 }
            guard let until = untils.max(), until > now else { return nil }
            return max(1, Int(until.timeIntervalSince(now).rounded(.up)))
        }
    }

    /// Counts a failure; returns the delays that begin or grow with it.
    @discardableResult
    func recordFailure(name: String, address: String?) -> [ThrottleStart] {
        let now = clock()
        return state.withLock { state in
            var started: [ThrottleStart] = []
            if let delay = Self.count(&state.names, name, now, free: settings.freeNameFailures, max: settings.maxNameDelay, settings) {
                started.append(ThrottleStart(scope: "name", waitSeconds: delay))
            }
            if let address,
                let delay = Self.count(
                    &state.addresses, address, now, free: settings.freeAddressFailures, max: settings.maxAddressDelay, settings)
            {
                started.append(ThrottleStart(scope: "address", waitSeconds: delay))
            }
            return started
        }
    }

    /// A successful login clears the name's count (not the address's: one good account must not
    /// clear the way for guessing others).
    func recordSuccess(name: String) {
        _ = state.withLock { $0.names.removeValue(forKey: name) }
    }

    /// Adds a failure to `key`'s count; the delay in seconds once it is over `free`.
    private static func count(
        _ counts: inout [String: Count], _ key: String, _ now: Date, free: Int, max maximum: TimeInterval, _ settings: Settings
    ) -> Int? {
        if counts.count >= settings.capacity {
            counts = counts.filter { now.timeIntervalSince($0.value.last) < settings.memory }
            while counts.count >= settings.capacity, let oldest = counts.min(by: { $0.value.last < $1.value.last }) {
                counts.removeValue(forKey: oldest.key)
            }
        }
        var entry = counts[key] ?? Count(failures: 0, last: now, waitUntil: now)
        if now.timeIntervalSince(entry.last) >= settings.memory { entry = Count(failures: 0, last: now, waitUntil: now) }
        entry.failures += 1
        entry.last = now
        defer { counts[key] = entry }
        guard entry.failures >= free else { return nil }
        let delay = min(maximum, pow(2, Double(min(entry.failures - free, 30))))
        entry.waitUntil = now.addingTimeInterval(delay)
        return Int(delay)
    }
}

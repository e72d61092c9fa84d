import Foundation
import HTTPTypes
import NIOConcurrencyHelpers

/// Counts failed attempts per key in a sliding window; past the limit a key is refused until
/// the window has passed. Keys are per IP and per target (phone, household), so neither one
/// address nor a spread of addresses can guess a household code or a password.
public final class FailureLimiter: Sendable {
    public let limit: Int
    public let window: TimeInterval
    private let failures = NIOLockedValueBox([String: [Date]]())

    public init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Seconds until `key` may try again, or nil if it may try now.
    public func retryAfter(_ key: String, now: Date) -> Int? {
        failures.withLockedValue { table in
            let recent = (table[key] ?? []).filter { now.timeIntervalSince($0) < window }
            table[key] = recent.isEmpty ? nil : recent
            guard recent.count >= limit, let oldest = recent.first else { return nil }
            return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
        }
    }

    public func recordFailure(_ key: String, now: Date) {
        failures.withLockedValue { table in table[key, default: []].append(now) }
    }

    public func reset(_ key: String) {
        failures.withLockedValue { table in table[key] = nil }
    }
}

public struct AbuseLimits: Sendable {
    public let loginPerIP: FailureLimiter
    public let loginPerPhone: FailureLimiter
    public let householdCodePerIP: FailureLimiter
    public let householdCodePerHousehold: FailureLimiter

    public init(loginPerIP: Int = 20, loginPerPhone: Int = 5, codePerIP: Int = 20, codePerHousehold: Int = 5, window: TimeInterval = 15 * 60) {
        self.loginPerIP = FailureLimiter(limit: loginPerIP, window: window)
        self.loginPerPhone = FailureLimiter(limit: loginPerPhone, window: window)
        householdCodePerIP = FailureLimiter(limit: codePerIP, window: window)
        householdCodePerHousehold = FailureLimiter(limit: codePerHousehold, window: window)
    }

    /// Throws 429 with Retry-After if any of the keys is over its limit.
    static func check(_ checks: [(FailureLimiter, String)], now: Date) throws {
        let waits = checks.compactMap { limiter, key in limiter.retryAfter(key, now: now) }
        if let wait = waits.max() {
            throw AppError(.tooManyRequests, "error.rate_limited", arguments: ["seconds": "\(wait)"], headers: [.retryAfter: "\(wait)"])
        }
    }
}

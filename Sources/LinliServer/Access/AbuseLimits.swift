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

    /// Counts an attempt on `key` before it is verified, so parallel guesses cannot all slip
    /// under the limit. Returns the seconds to wait instead when `key` is over its limit (the
    /// attempt is then not counted). A successful attempt is taken back with `forgive`.
    public func attempt(_ key: String, now: Date) -> Int? {
        failures.withLockedValue { table in
            let recent = (table[key] ?? []).filter { now.timeIntervalSince($0) < window }
            if recent.count >= limit, let oldest = recent.first {
                table[key] = recent
                return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
            }
            table[key] = recent + [now]
            return nil
        }
    }

    /// Takes back the latest attempt on `key`: it succeeded.
    public func forgive(_ key: String) {
        failures.withLockedValue { table in
            guard var attempts = table[key], !attempts.isEmpty else { return }
            attempts.removeLast()
            table[key] = attempts.isEmpty ? nil : attempts
        }
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

    /// Counts an attempt on each key, or throws 429 with Retry-After (counting none) if any key
    /// is over its limit.
    static func attempt(_ keys: [(FailureLimiter, String)], now: Date) throws {
        var counted: [(FailureLimiter, String)] = []
        for (limiter, key) in keys {
            if let wait = limiter.attempt(key, now: now) {
                for (done, doneKey) in counted { done.forgive(doneKey) }
                throw AppError(.tooManyRequests, "error.rate_limited", arguments: ["seconds": "\(wait)"], headers: [.retryAfter: "\(wait)"])
            }
            counted.append((limiter, key))
        }
    }
}

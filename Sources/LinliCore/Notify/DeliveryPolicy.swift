import Foundation

/// When to try a failed delivery again, and when to give up and list it as a dead letter for the
/// admins.
///
/// The schedule is fixed, without jitter, so the outbox and its tests agree on every time. It
/// starts quickly because most failures are a robot's 20-a-minute limit, makes its fifth attempt
/// after DingTalk's 10-minute throttle has lifted, and with the default 8 attempts gives up
/// within three hours: by then a message about a request is stale, and the request's own
/// escalation has moved on.
public struct DeliveryPolicy: Sendable, Hashable {
    /// Waits after the 1st, 2nd, … failed attempt; the last one repeats.
    public static let delays: [TimeInterval] = [10, 30, 120, 600, 1800, 3600]

    public let maxAttempts: Int

    public init(maxAttempts: Int = 8) {
        precondition(maxAttempts >= 1, "a delivery needs at least one attempt")
        self.maxAttempts = maxAttempts
    }

    public static let standard = DeliveryPolicy()

    /// The wait after failed attempt number `attempt` (counting from 1).
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        Self.delays[min(max(attempt, 1), Self.delays.count) - 1]
    }

    /// Every wait between the first and the last attempt, for the admin page and the docs.
    public var schedule: [TimeInterval] {
        (1..<maxAttempts).map(delay(afterAttempt:))
    }

    /// What the outbox does after attempt number `attempt` (counting from 1) ended in `outcome`.
    public func decide(_ outcome: DeliveryOutcome, attempt: Int, at now: Date) -> DeliveryDecision {
        switch outcome {
        case .delivered:
            .delivered
        case .deadLetter(let failure):
            .deadLetter(failure, attempts: attempt)
        case .retry(let failure) where attempt >= maxAttempts:
            .deadLetter(failure, attempts: attempt)
        case .retry(let failure):
            .retry(at: now.addingTimeInterval(delay(afterAttempt: attempt)), failure)
        }
    }
}

public enum DeliveryDecision: Sendable, Hashable {
    case delivered
    case retry(at: Date, DeliveryFailure)
    /// `attempts` is how many were made, shown beside the last failure.
    case deadLetter(DeliveryFailure, attempts: Int)
}

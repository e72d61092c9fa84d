import Foundation
import Testing
@testable import LinliCore

@Suite("Retrying deliveries")
struct DeliveryPolicyTests {
    typealias F = NotifyFixtures

    static let busy = DeliveryFailure(.receiverUnavailable, detail: "HTTP 503")

    @Test("the standard schedule waits 10 s, 30 s, 2 min, 10 min, 30 min, then 1 h between 8 attempts")
    func standardSchedule() {
        #expect(DeliveryPolicy.standard.maxAttempts == 8)
        #expect(DeliveryPolicy.standard.schedule == [10, 30, 120, 600, 1800, 3600, 3600])
    }

    @Test("a shorter policy stops the schedule early", arguments: [(1, [TimeInterval]()), (3, [10, 30])])
    func shorterSchedule(maxAttempts: Int, expected: [TimeInterval]) {
        #expect(DeliveryPolicy(maxAttempts: maxAttempts).schedule == expected)
    }

    @Test("a failure worth retrying is tried again after the scheduled wait")
    func retryAfterWait() {
        let policy = DeliveryPolicy.standard
        #expect(policy.decide(.retry(Self.busy), attempt: 1, at: F.morning) == .retry(at: F.morning.addingTimeInterval(10), Self.busy))
        #expect(policy.decide(.retry(Self.busy), attempt: 4, at: F.morning) == .retry(at: F.morning.addingTimeInterval(600), Self.busy))
        #expect(policy.decide(.retry(Self.busy), attempt: 7, at: F.morning) == .retry(at: F.morning.addingTimeInterval(3600), Self.busy))
    }

    @Test("a refusal goes to the dead letters at once, without using up the retries")
    func refusalIsFinal() {
        let refused = DeliveryFailure(.rejected, detail: "HTTP 200, errcode 310000: sign not match")
        #expect(DeliveryPolicy.standard.decide(.deadLetter(refused), attempt: 1, at: F.morning) == .deadLetter(refused, attempts: 1))
        #expect(DeliveryPolicy.standard.decide(.delivered, attempt: 3, at: F.morning) == .delivered)
    }

    @Test("a receiver that stays down is tried 8 times over 2 h 42 min 40 s, then listed as a dead letter")
    func staysDown() {
        let policy = DeliveryPolicy.standard
        var now = F.morning
        var attemptTimes: [TimeInterval] = []
        var attempt = 1
        while true {
            attemptTimes.append(now.timeIntervalSince(F.morning))
            let decision = policy.decide(DeliveryOutcome.classify(target: F.target(.http), status: 503, body: Data()), attempt: attempt, at: now)
            guard case .retry(let next, _) = decision else {
                #expect(decision == .deadLetter(Self.busy, attempts: 8))
                break
            }
            now = next
            attempt += 1
        }
        #expect(attemptTimes == [0, 10, 40, 160, 760, 2560, 6160, 9760])
    }
}

import Foundation
import Testing
@testable import LinliCore

@Suite("Deadlines per urgency")
struct DeadlinePolicyTests {
    typealias F = RequestFixtures

    @Test("the standard windows: life-critical 15 min / 2 h, urgent 2 h / 12 h, normal 12 h / 48 h",
          arguments: [(Urgency.lifeCritical, 15.0, 120.0), (.urgent, 120, 720), (.normal, 720, 2880)])
    func standardWindows(urgency: Urgency, acceptMinutes: Double, doneMinutes: Double) {
        let request = F.filed(urgency: urgency)
        #expect(request.acceptBy == F.morning.addingTimeInterval(F.minutes(acceptMinutes)))
        #expect(request.doneBy == F.morning.addingTimeInterval(F.minutes(doneMinutes)))
        #expect(request.status == .new && request.escalationLevel == 0)
    }

    @Test("a district's override is read from JSON, and an urgency it leaves out keeps the standard window")
    func districtOverride() throws {
        let json = #"{"life_critical": {"accept_minutes": 10, "done_minutes": 90}, "reopen_hours": 48}"#
        let policy = try JSONDecoder().decode(DeadlinePolicy.self, from: Data(json.utf8))
        #expect(policy.lifeCritical == .init(acceptMinutes: 10, doneMinutes: 90))
        #expect(policy.urgent == DeadlinePolicy.standard.urgent)
        #expect(policy.reopenWindow == F.hours(48))
        let deadlines = policy.deadlines(for: .lifeCritical, from: F.morning)
        #expect(deadlines.acceptBy == F.morning.addingTimeInterval(600))
    }

    @Test("a policy survives a round trip through JSON")
    func roundTrip() throws {
        let policy = try DeadlinePolicy(lifeCritical: .init(acceptMinutes: 5, doneMinutes: 60), urgent: .init(acceptMinutes: 60, doneMinutes: 600),
                                        normal: .init(acceptMinutes: 600, doneMinutes: 2000), reopenHours: 12)
        let decoded = try JSONDecoder().decode(DeadlinePolicy.self, from: JSONEncoder().encode(policy))
        #expect(decoded == policy)
    }

    @Test("a window that is not positive, or that must be done before it must be accepted, is refused and names its field",
          arguments: [
              (#"{"urgent": {"accept_minutes": 0, "done_minutes": 600}}"#, DeadlinePolicyError(code: .notPositive, field: "urgent.accept_minutes")),
              (#"{"normal": {"accept_minutes": 60, "done_minutes": -5}}"#, DeadlinePolicyError(code: .notPositive, field: "normal.done_minutes")),
              (#"{"life_critical": {"accept_minutes": 30, "done_minutes": 20}}"#, DeadlinePolicyError(code: .acceptAfterDone, field: "life_critical.accept_minutes")),
              (#"{"reopen_hours": 0}"#, DeadlinePolicyError(code: .notPositive, field: "reopen_hours")),
          ])
    func invalid(json: String, expected: DeadlinePolicyError) {
        #expect(throws: expected) { try JSONDecoder().decode(DeadlinePolicy.self, from: Data(json.utf8)) }
    }

    @Test("the validating initialiser refuses the same mistakes")
    func validatingInit() {
        #expect(throws: DeadlinePolicyError(code: .acceptAfterDone, field: "normal.accept_minutes")) {
            try DeadlinePolicy(lifeCritical: DeadlinePolicy.standard.lifeCritical, urgent: DeadlinePolicy.standard.urgent,
                               normal: .init(acceptMinutes: 3000, doneMinutes: 2880), reopenHours: 72)
        }
        // Accept and done may be equal: "acknowledge and finish within the hour".
        #expect(throws: Never.self) {
            try DeadlinePolicy(lifeCritical: .init(acceptMinutes: 60, doneMinutes: 60), urgent: DeadlinePolicy.standard.urgent,
                               normal: DeadlinePolicy.standard.normal, reopenHours: 72)
        }
    }
}

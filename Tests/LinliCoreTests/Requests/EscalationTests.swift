import Foundation
import Testing
@testable import LinliCore

/// The escalation job, driven by hand: a clock that only moves when the test says so.
struct DrivenClock {
    var now: Date
    mutating func advance(_ interval: TimeInterval) { now = now.addingTimeInterval(interval) }
}

@Suite("Escalation up the place tree")
struct EscalationTests {
    typealias F = RequestFixtures

    /// What the job does on each run: decide, and apply what it decided.
    static func run(_ request: HelpRequest, at now: Date, places: [PlaceOnPath] = F.places) throws -> (HelpRequest, EscalationStep?) {
        guard let step = Escalation.step(for: request, places: places, policy: .standard, now: now) else { return (request, nil) }
        return (try request.escalate(step, at: now).request, step)
    }

    @Test("nothing happens before the accept-by deadline, and the deadline's own instant counts as missed")
    func beforeDeadline() {
        let request = F.filed(urgency: .lifeCritical)
        #expect(Escalation.step(for: request, places: F.places, policy: .standard, now: F.morning.addingTimeInterval(F.minutes(15) - 1)) == nil)
        #expect(Escalation.step(for: request, places: F.places, policy: .standard, now: F.morning.addingTimeInterval(F.minutes(15)))?.missed == .acceptBy)
    }

    @Test("an unaccepted life-critical request climbs building → compound → committee → sub-district every 15 minutes, then keeps re-notifying the sub-district")
    func ladder() throws {
        var clock = DrivenClock(now: F.morning)
        var request = F.filed(urgency: .lifeCritical)
        var owners: [PlaceID?] = []
        var renotified: [Bool] = []
        for _ in 0..<5 {
            clock.advance(F.minutes(15))
            let (next, step) = try Self.run(request, at: clock.now)
            let taken = try #require(step)
            #expect(taken.missed == .acceptBy)
            #expect(next.acceptBy == clock.now.addingTimeInterval(F.minutes(15)))
            #expect(next.doneBy == clock.now.addingTimeInterval(F.hours(2)))
            #expect(next.ownerUserID == nil && next.status == .new)
            owners.append(next.ownerPlaceID)
            renotified.append(taken.isRenotification)
            request = next
        }
        #expect(owners == [F.compound, F.committee, F.subdistrict, F.subdistrict, F.subdistrict])
        #expect(renotified == [false, false, false, true, true])
        #expect(request.escalationLevel == 5)
    }

    @Test("running the job again at the same instant after a step was applied does not escalate twice")
    func idempotentAfterApplying() throws {
        let now = F.morning.addingTimeInterval(F.hours(13))
        let (escalated, step) = try Self.run(F.filed(urgency: .normal), at: now)
        #expect(step != nil)
        #expect(Escalation.step(for: escalated, places: F.places, policy: .standard, now: now) == nil)
        #expect(escalated.escalationLevel == 1)
    }

    @Test("a step decided by two nodes is applied once: the second finds the level moved on")
    func staleStepRefused() throws {
        let now = F.morning.addingTimeInterval(F.hours(13))
        let request = F.filed(urgency: .normal)
        let decidedByA = try #require(Escalation.step(for: request, places: F.places, policy: .standard, now: now))
        let decidedByB = try #require(Escalation.step(for: request, places: F.places, policy: .standard, now: now))
        let applied = try request.escalate(decidedByA, at: now).request
        #expect(throws: RequestRuleError(.escalationStale)) { try applied.escalate(decidedByB, at: now) }
    }

    @Test("a request stored at the largest escalation level is refused as stale, never trapped on")
    func largestLevelDoesNotTrap() throws {
        let now = F.morning.addingTimeInterval(F.hours(13))
        var request = F.filed(urgency: .normal)
        request.escalationLevel = .max
        let step = try #require(Escalation.step(for: request, places: F.places, policy: .standard, now: now))
        #expect(throws: RequestRuleError(.escalationStale)) { try request.escalate(step, at: now) }
    }

    @Test("work accepted but not done by its done-by deadline goes back to new with the next tier")
    func doneByMissed() throws {
        var clock = DrivenClock(now: F.morning)
        let accepted = try F.filed(urgency: .urgent).accept(by: F.buildingLeader, at: clock.now.addingTimeInterval(F.minutes(10))).request
        let started = try accepted.start(by: F.buildingLeader, at: clock.now.addingTimeInterval(F.minutes(20))).request
        clock.advance(F.hours(11))
        #expect(Escalation.step(for: started, places: F.places, policy: .standard, now: clock.now) == nil)
        clock.advance(F.hours(1))
        let step = try #require(Escalation.step(for: started, places: F.places, policy: .standard, now: clock.now))
        #expect(step.missed == .doneBy && step.fromPlaceID == F.building && step.toPlaceID == F.compound)
        let change = try started.escalate(step, at: clock.now)
        #expect(change.transition.from == .inProgress && change.transition.to == .new)
        #expect(change.transition.kind == .escalate && change.transition.actor == .system && change.transition.note == "done_by")
        #expect(change.request.ownerUserID == nil)
    }

    @Test("an accepted request is not escalated for its passed accept-by deadline")
    func acceptedIsNotLate() throws {
        let accepted = try F.filed(urgency: .lifeCritical).accept(by: F.runner, at: F.morning.addingTimeInterval(F.minutes(5))).request
        #expect(Escalation.step(for: accepted, places: F.places, policy: .standard, now: F.morning.addingTimeInterval(F.minutes(100))) == nil)
    }

    @Test("accepting stops the climb until the done-by deadline")
    func actingStops() throws {
        var clock = DrivenClock(now: F.morning)
        var request = F.filed(urgency: .lifeCritical)
        clock.advance(F.minutes(16))
        request = try Self.run(request, at: clock.now).0
        request = try request.accept(by: F.committeeStaff, at: clock.now).request
        clock.advance(F.minutes(119))
        #expect(try Self.run(request, at: clock.now).1 == nil)
        clock.advance(F.minutes(1))
        #expect(try Self.run(request, at: clock.now).0.ownerPlaceID == F.committee)
    }

    @Test("a closed request never escalates, however late", arguments: [RequestStatus.done, .cancelled, .unable, .resolvedElsewhere])
    func closedNeverEscalates(status: RequestStatus) {
        let request = F.request(in: status)
        #expect(Escalation.step(for: request, places: F.places, policy: .standard, now: F.morning.addingTimeInterval(F.hours(500))) == nil)
    }

    @Test("a step decided before the request was closed is refused when applied")
    func closedMeanwhile() throws {
        let now = F.morning.addingTimeInterval(F.hours(13))
        let request = F.filed()
        let step = try #require(Escalation.step(for: request, places: F.places, policy: .standard, now: now))
        let cancelled = try request.cancel(by: .household(id: F.household), at: now).request
        #expect(throws: RequestRuleError(.alreadyClosed)) { try cancelled.escalate(step, at: now) }
    }

    @Test("a compound with no committee above it escalates straight to the sub-district")
    func missingRung() throws {
        let places = F.places.filter { $0.level != .committee }
        var request = F.filed()
        request.ownerPlaceID = F.compound
        let step = try #require(Escalation.step(for: request, places: places, policy: .standard, now: F.morning.addingTimeInterval(F.hours(12))))
        #expect(step.toPlaceID == F.subdistrict)
    }

    @Test("a request nobody owns yet goes to the building first")
    func unowned() throws {
        var request = F.filed()
        request.ownerUserID = nil
        request.ownerPlaceID = nil
        let step = try #require(Escalation.step(for: request, places: F.places, policy: .standard, now: F.morning.addingTimeInterval(F.hours(12))))
        #expect(step.toPlaceID == F.building && step.fromPlaceID == nil && !step.isRenotification)
    }

    @Test("a district squad that was handed the request keeps it and is told again, never pushed down the tree")
    func offTheLadder() throws {
        var request = F.filed()
        request.ownerPlaceID = F.district
        let step = try #require(Escalation.step(for: request, places: F.places, policy: .standard, now: F.morning.addingTimeInterval(F.hours(12))))
        #expect(step.toPlaceID == F.district && step.isRenotification)
    }
}

import Foundation
import PropertyBased
import Testing
@testable import LinliCore

/// One random thing that may happen to a request: some are legal at that moment, most are not.
struct RandomMove: Sendable, CustomStringConvertible {
    enum Kind: String, CaseIterable, Sendable {
        case accept, start, completeByUser, completeByHousehold, cancelByHousehold, cancelByStaff
        case markUnable, resolveElsewhere, reopen, reopenByNeighbour, reassignToUser, reassignToPlace
        case raiseUrgency, lowerUrgency, escalate
    }

    var kind: Kind
    var user: UserID
    var blankReason: Bool
    var minutesLater: Int

    var description: String { "+\(minutesLater)m \(kind.rawValue) by \(user)\(blankReason ? " (no reason)" : "")" }

    func apply(to request: HelpRequest, at now: Date) throws(RequestRuleError) -> RequestChange? {
        typealias F = RequestFixtures
        let reason = blankReason ? " " : "原因"
        let household = RequestActor.household(id: request.householdID)
        switch kind {
        case .accept: return try request.accept(by: user, at: now)
        case .start: return try request.start(by: user, at: now)
        case .completeByUser: return try request.complete(by: .user(id: user), at: now)
        case .completeByHousehold: return try request.complete(by: household, at: now)
        case .cancelByHousehold: return try request.cancel(by: household, at: now)
        case .cancelByStaff: return try request.cancel(by: .user(id: user), reason: reason, at: now)
        case .markUnable: return try request.markUnable(by: user, reason: reason, at: now)
        case .resolveElsewhere: return try request.resolveElsewhere(by: household, reason: reason, at: now)
        case .reopen: return try request.reopen(by: household, policy: .standard, at: now)
        case .reopenByNeighbour: return try request.reopen(by: .household(id: F.neighbour), policy: .standard, at: now)
        case .reassignToUser: return try request.reassign(to: .user(id: user), by: F.committeeStaff, reason: reason, at: now)
        case .reassignToPlace: return try request.reassign(to: .place(id: [F.building, F.compound, F.committee][Int(user.rawValue) - 1]), by: F.committeeStaff, reason: reason, at: now)
        case .raiseUrgency, .lowerUrgency:
            let all = Urgency.allCases
            let index = all.firstIndex(of: request.urgency) ?? 0
            let target = all[max(0, min(all.count - 1, index + (kind == .raiseUrgency ? 1 : -1)))]
            return try request.changeUrgency(to: target, by: user, reason: reason, policy: .standard, at: now)
        case .escalate:
            // The job decides, and may decide there is nothing to do.
            guard let step = Escalation.step(for: request, places: F.places, policy: .standard, now: now) else { return nil }
            return try request.escalate(step, at: now)
        }
    }
}

@Suite("Any sequence of moves keeps the request's history honest")
struct RequestPropertyTests {
    typealias F = RequestFixtures

    static let moves = zip(
        Gen<RandomMove.Kind>.case, Gen.int64(in: 1...3), Gen.bool(0.2), Gen.int(in: 0...900)
    ).map { kind, user, blank, minutes in
        RandomMove(kind: kind, user: UserID(user), blankReason: blank, minutesLater: minutes)
    }.array(of: 0...40)

    static let urgency = Gen<Urgency>.case

    @Test("the history always chains, a closed request never changes owner, and only a reopen leaves a closed state")
    func historyChains() async {
        await propertyCheck(count: 400, input: Self.moves, Self.urgency) { moves, urgency in
            var clock = DrivenClock(now: F.morning)
            var request = F.filed(urgency: urgency)
            var history: [RequestTransition] = []
            for move in moves {
                clock.advance(TimeInterval(move.minutesLater * 60))
                let before = request
                let change: RequestChange?
                do { change = try move.apply(to: request, at: clock.now) } catch { continue }
                guard let change else { continue }
                #expect(change.transition.from == before.status, "\(move)")
                #expect(change.transition.to == change.request.status, "\(move)")
                #expect(change.transition.at == clock.now)
                if let last = history.last { #expect(change.transition.from == last.to, "\(move)") }
                if before.status.isClosed {
                    #expect(change.transition.kind == .reopen, "\(move) changed a closed request")
                    #expect(change.request.ownerUserID == before.ownerUserID && change.request.ownerPlaceID == before.ownerPlaceID, "\(move)")
                }
                request = change.request
                history.append(change.transition)
                // Invariants of every state a request can reach.
                #expect(request.acceptBy <= request.doneBy, "\(move)")
                #expect(request.status.isClosed == (request.closedAt != nil), "\(move)")
                #expect(request.escalationLevel >= before.escalationLevel)
            }
            #expect(history.first.map { $0.from == .new } ?? true)
        }
    }

    @Test("a closed request stays exactly as it was until the household reopens it")
    func refusedMovesChangeNothing() async {
        await propertyCheck(count: 200, input: Self.moves) { moves in
            var clock = DrivenClock(now: F.morning)
            var request = F.filed()
            for move in moves {
                clock.advance(TimeInterval(move.minutesLater * 60))
                let before = request
                if let change = try? move.apply(to: request, at: clock.now) { request = change.request }
                if request.status.isClosed && before.status.isClosed {
                    // Nothing but a reopen moves a closed request, and a reopen opens it.
                    #expect(request == before, "\(move)")
                }
            }
        }
    }

    @Test("once the escalation job has run, running it again at the same instant does nothing")
    func escalationOnce() async {
        await propertyCheck(count: 300, input: Self.moves, Gen.int(in: 0...5000)) { moves, minutes in
            var clock = DrivenClock(now: F.morning)
            var request = F.filed()
            for move in moves {
                clock.advance(TimeInterval(move.minutesLater * 60))
                if let change = try? move.apply(to: request, at: clock.now) { request = change.request }
            }
            clock.advance(TimeInterval(minutes * 60))
            guard let step = Escalation.step(for: request, places: F.places, policy: .standard, now: clock.now) else { return }
            guard let escalated = try? request.escalate(step, at: clock.now).request else {
                Issue.record("a fresh step was refused")
                return
            }
            #expect(Escalation.step(for: escalated, places: F.places, policy: .standard, now: clock.now) == nil)
            #expect(throws: RequestRuleError(.escalationStale)) { try escalated.escalate(step, at: clock.now) }
        }
    }
}

import Foundation
import Testing
@testable import LinliCore

/// Every action a person can take on a request, with arguments that are valid in themselves, so
/// that the only thing deciding legality is the request's status.
enum RequestAction: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case accept, start, complete, cancel, markUnable, resolveElsewhere, reopen, reassign, changeUrgency

    var testDescription: String { rawValue }

    func apply(to request: HelpRequest, at now: Date) throws(RequestRuleError) -> RequestChange {
        let staff = RequestFixtures.runner
        switch self {
        case .accept: return try request.accept(by: staff, at: now)
        case .start: return try request.start(by: staff, at: now)
        case .complete: return try request.complete(by: .user(id: staff), at: now)
        case .cancel: return try request.cancel(by: .user(id: staff), reason: "居民已搬离", at: now)
        case .markUnable: return try request.markUnable(by: staff, reason: "医院无此药", at: now)
        case .resolveElsewhere: return try request.resolveElsewhere(by: .user(id: staff), reason: "邻居互助架上拿到了", at: now)
        case .reopen: return try request.reopen(by: .household(id: request.householdID), reason: "药没送到", policy: .standard, at: now)
        case .reassign: return try request.reassign(to: .user(id: RequestFixtures.committeeStaff), by: staff, reason: "换班交接", at: now)
        case .changeUrgency:
            let other: Urgency = request.urgency == .urgent ? .normal : .urgent
            return try request.changeUrgency(to: other, by: staff, reason: "底册显示透析", policy: .standard, at: now)
        }
    }
}

enum Outcome: Equatable {
    case moves(to: RequestStatus)
    case refused(RequestRuleError.Code)
}

@Suite("The request lifecycle")
struct RequestLifecycleTests {
    typealias F = RequestFixtures
    let later = RequestFixtures.morning.addingTimeInterval(RequestFixtures.hours(2))

    static let open: [RequestStatus] = [.new, .accepted, .inProgress]
    static let closed: [RequestStatus] = [.done, .cancelled, .unable, .resolvedElsewhere]

    /// The whole state machine, written out by hand: every action from every status.
    static let table: [(RequestAction, RequestStatus, Outcome)] = {
        var rows: [(RequestAction, RequestStatus, Outcome)] = []
        func row(_ action: RequestAction, _ statuses: [RequestStatus], _ outcome: Outcome) {
            rows += statuses.map { (action, $0, outcome) }
        }
        row(.accept, [.new], .moves(to: .accepted))
        row(.accept, [.accepted, .inProgress] + closed, .refused(.acceptRequiresNew))
        row(.start, [.accepted], .moves(to: .inProgress))
        row(.start, [.new, .inProgress] + closed, .refused(.startRequiresAccepted))
        row(.complete, [.accepted, .inProgress], .moves(to: .done))
        row(.complete, [.new], .refused(.completeRequiresWork))
        row(.complete, closed, .refused(.alreadyClosed))
        row(.cancel, open, .moves(to: .cancelled))
        row(.cancel, closed, .refused(.alreadyClosed))
        row(.markUnable, open, .moves(to: .unable))
        row(.markUnable, closed, .refused(.alreadyClosed))
        row(.resolveElsewhere, open, .moves(to: .resolvedElsewhere))
        row(.resolveElsewhere, closed, .refused(.alreadyClosed))
        row(.reopen, closed, .moves(to: .new))
        row(.reopen, open, .refused(.reopenRequiresClosed))
        for status in open { row(.reassign, [status], .moves(to: status)) }
        row(.reassign, closed, .refused(.closedCannotBeReassigned))
        for status in open { row(.changeUrgency, [status], .moves(to: status)) }
        row(.changeUrgency, closed, .refused(.closedUrgencyFixed))
        return rows
    }()

    @Test("the table covers every action from every status exactly once")
    func tableIsComplete() {
        let pairs = Self.table.map { "\($0.0.rawValue)/\($0.1.rawValue)" }
        #expect(Set(pairs).count == pairs.count)
        #expect(pairs.count == RequestAction.allCases.count * RequestStatus.allCases.count)
    }

    @Test("each action from each status moves as the state machine says or names the rule it breaks", arguments: table)
    func transition(action: RequestAction, from status: RequestStatus, expected: Outcome) {
        let request = F.request(in: status)
        let outcome: Outcome
        do {
            let change = try action.apply(to: request, at: later)
            outcome = .moves(to: change.request.status)
            #expect(change.transition.from == status)
            #expect(change.transition.to == change.request.status)
            #expect(change.transition.at == later)
            #expect(change.transition.requestID == request.id)
            #expect(change.request.closedAt != nil || change.request.status.isOpen)
            #expect(change.request.status.isOpen || change.request.closedAt == later)
        } catch {
            outcome = .refused(error.code)
        }
        #expect(outcome == expected)
    }

    @Test("accepting names the acceptor as owner; a second person tapping accept is refused")
    func acceptOnce() throws {
        let first = try F.filed().accept(by: F.runner, at: later)
        #expect(first.request.ownerUserID == F.runner)
        #expect(first.request.ownerPlaceID == F.building)
        #expect(first.transition.actor == .user(id: F.runner))
        #expect(throws: RequestRuleError(.acceptRequiresNew)) { try first.request.accept(by: F.buildingLeader, at: later) }
    }

    @Test("a note on accepting or starting goes into the history trimmed; a blank one is no note")
    func acceptAndStartNotes() throws {
        let accepted = try F.filed().accept(by: F.runner, note: " 下午去社区卫生服务中心配药 ", at: later)
        #expect(accepted.transition.note == "下午去社区卫生服务中心配药")
        let started = try accepted.request.start(by: F.runner, note: "在药房排队", at: later)
        #expect(started.transition.note == "在药房排队" && started.request.status == .inProgress)
        #expect(try F.filed().accept(by: F.runner, note: "  ", at: later).transition.note == nil)
        #expect(try accepted.request.start(by: F.runner, at: later).transition.note == nil)
    }

    @Test("unable, resolved elsewhere, a staff cancel, a reassignment and an urgency change all need a reason, and blank is no reason",
          arguments: ["", "   \n"])
    func reasonsRequired(blank: String) {
        let request = F.filed()
        #expect(throws: RequestRuleError(.unableNeedsReason)) { try request.markUnable(by: F.runner, reason: blank, at: later) }
        #expect(throws: RequestRuleError(.resolvedElsewhereNeedsReason)) { try request.resolveElsewhere(by: .household(id: F.household), reason: blank, at: later) }
        #expect(throws: RequestRuleError(.cancelNeedsReason)) { try request.cancel(by: .user(id: F.runner), reason: blank, at: later) }
        #expect(throws: RequestRuleError(.cancelNeedsReason)) { try request.cancel(by: .system, at: later) }
        #expect(throws: RequestRuleError(.reassignNeedsReason)) { try request.reassign(to: .user(id: F.runner), by: F.committeeStaff, reason: blank, at: later) }
        #expect(throws: RequestRuleError(.urgencyChangeNeedsReason)) { try request.changeUrgency(to: .urgent, by: F.runner, reason: blank, policy: .standard, at: later) }
    }

    @Test("the household may withdraw its own need without giving a reason")
    func householdCancels() throws {
        let change = try F.filed().cancel(by: .household(id: F.household), at: later)
        #expect(change.request.status == .cancelled)
        #expect(change.request.closingReason == nil)
        #expect(change.request.closedAt == later)
    }

    @Test("a household cannot close, confirm or reopen another household's request")
    func otherHousehold() throws {
        let other = RequestActor.household(id: F.neighbour)
        let accepted = try F.filed().accept(by: F.runner, at: later).request
        #expect(throws: RequestRuleError(.notOwnHousehold)) { try accepted.cancel(by: other, at: later) }
        #expect(throws: RequestRuleError(.notOwnHousehold)) { try accepted.complete(by: other, at: later) }
        #expect(throws: RequestRuleError(.notOwnHousehold)) { try accepted.resolveElsewhere(by: other, reason: "买到了", at: later) }
        #expect(throws: RequestRuleError(.notOwnHousehold)) { try F.request(in: .done).reopen(by: other, policy: .standard, at: later) }
    }

    @Test("the household confirms done from its own page; the reason is kept trimmed")
    func householdConfirmsDone() throws {
        let accepted = try F.filed().accept(by: F.runner, at: later).request
        let done = try accepted.complete(by: .household(id: F.household), note: "  收到了，谢谢！ ", at: later)
        #expect(done.request.status == .done)
        #expect(done.request.closingReason == "收到了，谢谢！")
        #expect(done.transition.note == "收到了，谢谢！")
    }

    @Test("only the household can reopen, not a volunteer or the system")
    func onlyHouseholdReopens() {
        let done = F.request(in: .done)
        #expect(throws: RequestRuleError(.reopenOnlyHousehold)) { try done.reopen(by: .user(id: F.runner), policy: .standard, at: later) }
        #expect(throws: RequestRuleError(.reopenOnlyHousehold)) { try done.reopen(by: .system, policy: .standard, at: later) }
    }

    @Test("reassigning to the person or team that already has it is refused")
    func reassignToSame() throws {
        let request = F.filed()
        #expect(throws: RequestRuleError(.alreadyOwner)) { try request.reassign(to: .user(id: F.buildingLeader), by: F.committeeStaff, reason: "交接", at: later) }
        let toTeam = try request.reassign(to: .place(id: F.building), by: F.committeeStaff, reason: "楼组长隔离了", at: later).request
        #expect(toTeam.ownerUserID == nil && toTeam.ownerPlaceID == F.building)
        #expect(throws: RequestRuleError(.alreadyOwner)) { try toTeam.reassign(to: .place(id: F.building), by: F.committeeStaff, reason: "交接", at: later) }
    }

    @Test("a hand-over keeps the status and the deadlines: it buys no time")
    func handOver() throws {
        let started = try F.filed().accept(by: F.buildingLeader, at: later).request.start(by: F.buildingLeader, at: later).request
        let handed = try started.reassign(to: .user(id: F.runner), by: F.committeeStaff, reason: "换班，药在3号楼门口", at: later)
        #expect(handed.request.status == .inProgress)
        #expect(handed.request.ownerUserID == F.runner)
        #expect(handed.request.acceptBy == started.acceptBy && handed.request.doneBy == started.doneBy)
        #expect(handed.transition.kind == .reassign && handed.transition.note == "换班，药在3号楼门口")
        let toCompound = try started.reassign(to: .place(id: F.compound), by: F.committeeStaff, reason: "楼组长隔离了", at: later).request
        #expect(toCompound.ownerPlaceID == F.compound && toCompound.ownerUserID == nil)
    }
}

@Suite("Reopening within the window")
struct ReopenTests {
    typealias F = RequestFixtures
    let closedAt = RequestFixtures.morning.addingTimeInterval(RequestFixtures.hours(1))

    @Test("the household can reopen up to and including the last instant of 72 hours after closing",
          arguments: [0, 1, 3600, 72 * 3600 - 1, 72 * 3600])
    func insideWindow(secondsAfterClosing: Double) throws {
        let now = closedAt.addingTimeInterval(secondsAfterClosing)
        let change = try F.request(in: .done).reopen(by: .household(id: F.household), reason: "药不对", policy: .standard, at: now)
        #expect(change.request.status == .new)
        #expect(change.transition.kind == .reopen && change.transition.from == .done && change.transition.note == "药不对")
    }

    @Test("one second after the window, reopening is refused", arguments: [72 * 3600 + 1, 30 * 24 * 3600])
    func outsideWindow(secondsAfterClosing: Double) {
        let now = closedAt.addingTimeInterval(secondsAfterClosing)
        #expect(throws: RequestRuleError(.reopenWindowPassed)) {
            try F.request(in: .done).reopen(by: .household(id: F.household), policy: .standard, at: now)
        }
    }

    @Test("a district's shorter window applies")
    func districtWindow() throws {
        var policy = DeadlinePolicy.standard
        policy.reopenHours = 24
        let household = RequestActor.household(id: F.household)
        _ = try F.request(in: .unable).reopen(by: household, policy: policy, at: closedAt.addingTimeInterval(F.hours(24)))
        #expect(throws: RequestRuleError(.reopenWindowPassed)) {
            try F.request(in: .unable).reopen(by: household, policy: policy, at: closedAt.addingTimeInterval(F.hours(24) + 1))
        }
    }

    @Test("reopening restarts the deadlines from now, clears the closing, and keeps the owner and the escalation count")
    func reopenResets() throws {
        var done = F.request(in: .done)
        done.escalationLevel = 2
        done.ownerPlaceID = F.committee
        let now = closedAt.addingTimeInterval(F.hours(30))
        let reopened = try done.reopen(by: .household(id: F.household), policy: .standard, at: now).request
        #expect(reopened.acceptBy == now.addingTimeInterval(F.hours(12)))
        #expect(reopened.doneBy == now.addingTimeInterval(F.hours(48)))
        #expect(reopened.reopenedAt == now && reopened.clockStart == now)
        #expect(reopened.closedAt == nil && reopened.closingReason == nil)
        #expect(reopened.ownerUserID == F.buildingLeader && reopened.ownerPlaceID == F.committee)
        #expect(reopened.escalationLevel == 2)
    }
}

@Suite("Changing urgency")
struct ChangeUrgencyTests {
    typealias F = RequestFixtures

    @Test("raising urgency gives the new window from now, so noticing a dialysis patient late does not make the request overdue")
    func raiseLate() throws {
        let now = F.morning.addingTimeInterval(F.hours(3))
        let change = try F.filed(urgency: .normal).changeUrgency(to: .lifeCritical, by: F.runner, reason: "底册：每周三次透析", policy: .standard, at: now)
        #expect(change.request.urgency == .lifeCritical)
        #expect(change.request.acceptBy == now.addingTimeInterval(F.minutes(15)))
        #expect(change.request.doneBy == now.addingTimeInterval(F.hours(2)))
        #expect(change.transition.note == "normal → life_critical: 底册：每周三次透析")
        #expect(change.transition.from == .new && change.transition.to == .new)
    }

    @Test("raising urgency never loosens a deadline")
    func raiseNeverLoosens() throws {
        // Filed urgent at 08:00 (accept by 10:00, done by 20:00); raised at 09:55.
        let now = F.morning.addingTimeInterval(F.minutes(115))
        let raised = try F.filed(urgency: .urgent).changeUrgency(to: .lifeCritical, by: F.runner, reason: "胸痛", policy: .standard, at: now).request
        #expect(raised.acceptBy == F.morning.addingTimeInterval(F.hours(2)))
        #expect(raised.doneBy == now.addingTimeInterval(F.hours(2)))
    }

    @Test("lowering urgency counts the new window from filing, so switching back and forth gains no time")
    func lowerFromFiling() throws {
        let now = F.morning.addingTimeInterval(F.hours(1))
        let filed = F.filed(urgency: .normal)
        let raised = try filed.changeUrgency(to: .lifeCritical, by: F.runner, reason: "误报为一般", policy: .standard, at: now).request
        let lowered = try raised.changeUrgency(to: .normal, by: F.runner, reason: "核实后只是常规药", policy: .standard, at: now).request
        #expect(lowered.acceptBy == filed.acceptBy && lowered.doneBy == filed.doneBy)
    }

    @Test("lowering a reopened request counts from the reopening")
    func lowerAfterReopen() throws {
        let reopenedAt = F.morning.addingTimeInterval(F.hours(20))
        var request = try F.request(in: .done).reopen(by: .household(id: F.household), policy: .standard, at: reopenedAt).request
        request = try request.changeUrgency(to: .urgent, by: F.runner, reason: "发烧", policy: .standard, at: reopenedAt).request
        let lowered = try request.changeUrgency(to: .normal, by: F.runner, reason: "退烧了", policy: .standard, at: reopenedAt.addingTimeInterval(60)).request
        #expect(lowered.acceptBy == reopenedAt.addingTimeInterval(F.hours(12)))
    }

    @Test("setting the urgency it already has is refused")
    func unchanged() {
        #expect(throws: RequestRuleError(.urgencyUnchanged)) {
            try F.filed(urgency: .urgent).changeUrgency(to: .urgent, by: F.runner, reason: "再确认", policy: .standard, at: F.morning)
        }
    }
}

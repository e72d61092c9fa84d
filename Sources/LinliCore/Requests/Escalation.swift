import Foundation

/// A place above a household, as the store loads it for routing and escalation.
public struct PlaceOnPath: Sendable, Hashable, Codable {
    public var id: PlaceID
    public var level: PlaceLevel

    public init(id: PlaceID, level: PlaceLevel) {
        self.id = id
        self.level = level
    }
}

/// Which deadline was missed.
public enum MissedDeadline: String, Sendable, Hashable, Codable, CaseIterable {
    case acceptBy = "accept_by"
    case doneBy = "done_by"

    public var catalogueKey: String { "requests.missed.\(rawValue)" }
}

/// What the escalation job should do to one overdue request: hand it to `toPlaceID` with new
/// deadlines and notify that place's duty team. Apply it with `Request.escalate(_:at:)`.
public struct EscalationStep: Sendable, Hashable, Codable {
    public var missed: MissedDeadline
    public var fromPlaceID: PlaceID?
    public var toPlaceID: PlaceID
    /// True at the top of the ladder: the owner stays, but is told again.
    public var isRenotification: Bool
    public var acceptBy: Date
    public var doneBy: Date
    /// The request's escalation level the step was decided from. Applying it to a request whose
    /// level has moved on is refused, so a step decided twice is applied once.
    public var fromEscalationLevel: Int
}

/// A missed deadline climbs the place tree one rung at a time (building leader →
/// compound → committee → sub-district) and keeps re-notifying the top until someone acts.
public enum Escalation {
    /// The rungs, lowest first. Nobody above the sub-district runs a household's errands.
    public static let ladder: [PlaceLevel] = [.building, .compound, .committee, .subdistrict]

    /// The step to take for `request` at `now`, or nil if nothing is overdue.
    ///
    /// `places` are the places above the household (any order; levels off the ladder are
    /// ignored). The new owner gets the request as new, with a fresh window of its urgency from
    /// `now`: the accept-by interval to acknowledge it and the done-by interval to finish. A fresh
    /// window rather than the old deadlines, because those have passed and would escalate the
    /// request again at the next run before the new owner could read it. Escalating sets the status
    /// back to new even for work in progress: a deadline was missed, so the next tier must take it
    /// on by name (the person who had it may accept it again).
    ///
    /// Idempotent only together with the caller: once the step is applied, the deadlines lie in
    /// the future and the escalation level has moved on, so the same inputs yield nil and a stale
    /// step is refused by `Request.escalate`.
    public static func step(for request: HelpRequest, places: [PlaceOnPath], policy: DeadlinePolicy, now: Date) -> EscalationStep? {
        let missed: MissedDeadline
        switch request.status {
        case .new where now >= request.acceptBy: missed = .acceptBy
        case .accepted where now >= request.doneBy, .inProgress where now >= request.doneBy: missed = .doneBy
        default: return nil
        }
        let rungs = ladder.compactMap { level in places.first { $0.level == level } }
        guard let target = nextOwner(after: request.ownerPlaceID, on: rungs) else { return nil }
        let window = policy.deadlines(for: request.urgency, from: now)
        return EscalationStep(
            missed: missed, fromPlaceID: request.ownerPlaceID, toPlaceID: target,
            isRenotification: target == request.ownerPlaceID,
            acceptBy: window.acceptBy, doneBy: window.doneBy, fromEscalationLevel: request.escalationLevel
        )
    }

    /// The rung above the owner; the lowest rung when nobody owns it yet; the owner itself at the
    /// top or when it is off the ladder. A district squad, or another compound's team that was
    /// handed the request, keeps it and is told again: escalation never moves a request down or
    /// sideways to someone the last hand-over did not choose.
    private static func nextOwner(after owner: PlaceID?, on rungs: [PlaceOnPath]) -> PlaceID? {
        guard let owner else { return rungs.first?.id }
        guard let index = rungs.firstIndex(where: { $0.id == owner }) else { return owner }
        return rungs[min(index + 1, rungs.count - 1)].id
    }
}

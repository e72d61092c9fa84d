import Foundation

// The request state machine:
//
//   new ──accept──▶ accepted ──start──▶ in progress ──complete──▶ done
//    │                 │                    │
//    └────── cancel / markUnable / resolveElsewhere (any open state) ──▶ closed
//   closed ──reopen (the household, within the policy's window)──▶ new
//
// Reassigning and changing urgency keep the status; an escalation step hands the request to the
// next tier as new (see Escalation.swift). Every function returns the next request with the
// transition to record, or throws the rule it would break. The store writes both in one
// transaction, conditioned on the version it read, so two people accepting at once yields one
// winner and one 409.

/// One line of a request's history: who moved it, when, from which status to which, and why.
public struct RequestTransition: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case accept, start, complete, cancel
        case markUnable = "mark_unable"
        case resolveElsewhere = "resolve_elsewhere"
        case reopen, reassign
        case changeUrgency = "change_urgency"
        case escalate
        /// A note added to an open request (the household adds what it forgot); nothing else changes.
        case comment
        /// The household says the done work really met its need.
        case confirm

        public var catalogueKey: String { "requests.transition.\(rawValue)" }
    }

    public var requestID: HelpRequestID
    public var kind: Kind
    public var actor: RequestActor
    public var at: Date
    public var from: RequestStatus
    public var to: RequestStatus
    public var note: String?

    public init(requestID: HelpRequestID, kind: Kind, actor: RequestActor, at: Date, from: RequestStatus, to: RequestStatus, note: String?) {
        self.requestID = requestID
        self.kind = kind
        self.actor = actor
        self.at = at
        self.from = from
        self.to = to
        self.note = note
    }
}

/// The outcome of a legal transition: the request as it now is, and the history line to append.
public struct RequestChange: Sendable, Hashable {
    public var request: HelpRequest
    public var transition: RequestTransition
}

/// A request rule that an action would break. The server answers 409 with the catalogue text,
/// which names the rule ("only the household can reopen a request").
public struct RequestRuleError: Error, Sendable, Hashable {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case acceptRequiresNew = "accept_requires_new"
        case startRequiresAccepted = "start_requires_accepted"
        case completeRequiresWork = "complete_requires_work"
        case alreadyClosed = "already_closed"
        case notOwnHousehold = "not_own_household"
        case cancelNeedsReason = "cancel_needs_reason"
        case unableNeedsReason = "unable_needs_reason"
        case resolvedElsewhereNeedsReason = "resolved_elsewhere_needs_reason"
        case reopenRequiresClosed = "reopen_requires_closed"
        case reopenOnlyHousehold = "reopen_only_household"
        case reopenWindowPassed = "reopen_window_passed"
        case closedCannotBeReassigned = "closed_cannot_be_reassigned"
        case alreadyOwner = "already_owner"
        case reassignNeedsReason = "reassign_needs_reason"
        case closedUrgencyFixed = "closed_urgency_fixed"
        case urgencyUnchanged = "urgency_unchanged"
        case urgencyChangeNeedsReason = "urgency_change_needs_reason"
        case escalationStale = "escalation_stale"
        case commentNeedsNote = "comment_needs_note"
        case confirmOnlyHousehold = "confirm_only_household"
        case confirmRequiresDone = "confirm_requires_done"

        /// The field of the form or JSON body the rule concerns.
        public var field: String {
            switch self {
            case .acceptRequiresNew, .startRequiresAccepted, .completeRequiresWork, .alreadyClosed,
                 .reopenRequiresClosed, .closedCannotBeReassigned, .closedUrgencyFixed, .confirmRequiresDone: "status"
            case .cancelNeedsReason, .unableNeedsReason, .resolvedElsewhereNeedsReason,
                 .reassignNeedsReason, .urgencyChangeNeedsReason: "reason"
            case .commentNeedsNote: "note"
            case .notOwnHousehold, .reopenOnlyHousehold, .confirmOnlyHousehold: "household"
            case .reopenWindowPassed: "closed_at"
            case .alreadyOwner: "owner"
            case .urgencyUnchanged: "urgency"
            case .escalationStale: "escalation_level"
            }
        }
    }

    public var code: Code

    public init(_ code: Code) { self.code = code }

    public var field: String { code.field }
    public var catalogueKey: String { "requests.rule.\(code.rawValue)" }

    public func message(in language: Language) -> String { Catalogue.text(catalogueKey, language) }
}

extension HelpRequest {
    /// A named person takes it. Only a new request can be accepted, so the second of two people
    /// tapping "accept" at once is told someone else has it. The note, if any, tells the household
    /// and the next shift what happens next ("下午去社区卫生服务中心配药").
    public func accept(by user: UserID, note: String? = nil, at now: Date) throws(RequestRuleError) -> RequestChange {
        guard status == .new else { throw RequestRuleError(.acceptRequiresNew) }
        var next = self
        next.ownerUserID = user
        return moved(to: next, .accepted, kind: .accept, by: .user(id: user), at: now, note: Self.trimmed(note))
    }

    /// The person is on their way (a medicine runner leaving for the hospital); the note says
    /// where they are ("在药房排队，前面还有三十多人").
    public func start(by user: UserID, note: String? = nil, at now: Date) throws(RequestRuleError) -> RequestChange {
        guard status == .accepted else { throw RequestRuleError(.startRequiresAccepted) }
        return moved(to: self, .inProgress, kind: .start, by: .user(id: user), at: now, note: Self.trimmed(note))
    }

    /// Adds a note to an open request: what the household forgot to say, what the volunteer found.
    /// Nothing else changes, so no deadline moves.
    public func comment(by actor: RequestActor, note: String?, at now: Date) throws(RequestRuleError) -> RequestChange {
        guard status.isOpen else { throw RequestRuleError(.alreadyClosed) }
        try checkHousehold(actor)
        guard let note = Self.trimmed(note) else { throw RequestRuleError(.commentNeedsNote) }
        return moved(to: self, status, kind: .comment, by: actor, at: now, note: note)
    }

    /// The household confirms that the work marked done met its need. Only the household can say
    /// so, and only of done work; it stays done.
    public func confirm(by actor: RequestActor, note: String? = nil, at now: Date) throws(RequestRuleError) -> RequestChange {
        guard case .household = actor else { throw RequestRuleError(.confirmOnlyHousehold) }
        try checkHousehold(actor)
        guard status == .done else { throw RequestRuleError(.confirmRequiresDone) }
        return moved(to: self, status, kind: .confirm, by: actor, at: now, note: Self.trimmed(note))
    }

    /// The need is met. A volunteer marks it, or the household confirms it from its own page.
    /// Only accepted work can be done: a need met before anyone took it was
    /// resolved elsewhere.
    public func complete(by actor: RequestActor, note: String? = nil, at now: Date) throws(RequestRuleError) -> RequestChange {
        guard status == .accepted || status == .inProgress else {
            throw RequestRuleError(status.isOpen ? .completeRequiresWork : .alreadyClosed)
        }
        try checkHousehold(actor)
        return closed(as: .done, kind: .complete, by: actor, reason: Self.trimmed(note), at: now)
    }

    /// Withdraws the need. The household may withdraw its own need without a word; staff and the
    /// system must say why, because they close a need somebody else raised.
    public func cancel(by actor: RequestActor, reason: String? = nil, at now: Date) throws(RequestRuleError) -> RequestChange {
        guard status.isOpen else { throw RequestRuleError(.alreadyClosed) }
        try checkHousehold(actor)
        let reason = Self.trimmed(reason)
        if case .household = actor {} else if reason == nil { throw RequestRuleError(.cancelNeedsReason) }
        return closed(as: .cancelled, kind: .cancel, by: actor, reason: reason, at: now)
    }

    /// Nobody can meet it (the hospital has no stock, no driver can enter a sealed zone). The
    /// reason is required so the committee sees what to escalate outside Linli.
    public func markUnable(by user: UserID, reason: String, at now: Date) throws(RequestRuleError) -> RequestChange {
        guard status.isOpen else { throw RequestRuleError(.alreadyClosed) }
        guard let reason = Self.trimmed(reason) else { throw RequestRuleError(.unableNeedsReason) }
        return closed(as: .unable, kind: .markUnable, by: .user(id: user), reason: reason, at: now)
    }

    /// Met some other way (a neighbour shared from the mutual-aid shelf, 互助架). The reason says how.
    public func resolveElsewhere(by actor: RequestActor, reason: String, at now: Date) throws(RequestRuleError) -> RequestChange {
        guard status.isOpen else { throw RequestRuleError(.alreadyClosed) }
        try checkHousehold(actor)
        guard let reason = Self.trimmed(reason) else { throw RequestRuleError(.resolvedElsewhereNeedsReason) }
        return closed(as: .resolvedElsewhere, kind: .resolveElsewhere, by: actor, reason: reason, at: now)
    }

    /// The household says the need is not met after all. It comes back as new
    /// with fresh deadlines from now and the same owner, who knows its history. The escalation
    /// level is kept, never reset: see `escalationLevel`.
    public func reopen(by actor: RequestActor, reason: String? = nil, policy: DeadlinePolicy, at now: Date) throws(RequestRuleError) -> RequestChange {
        guard status.isClosed else { throw RequestRuleError(.reopenRequiresClosed) }
        guard case .household(let household) = actor else { throw RequestRuleError(.reopenOnlyHousehold) }
        guard household == householdID else { throw RequestRuleError(.notOwnHousehold) }
        // The window's last instant is still inside it.
        guard let closedAt, now <= closedAt.addingTimeInterval(policy.reopenWindow) else {
            throw RequestRuleError(.reopenWindowPassed)
        }
        var next = self
        let deadlines = policy.deadlines(for: urgency, from: now)
        next.reopenedAt = now
        next.acceptBy = deadlines.acceptBy
        next.doneBy = deadlines.doneBy
        next.closedAt = nil
        next.closingReason = nil
        return moved(to: next, .new, kind: .reopen, by: actor, at: now, note: Self.trimmed(reason))
    }

    /// Hands it to another person or another place's duty team, e.g. at a shift change.
    /// The status and deadlines stay: a hand-over does not buy time. Handing it to a place
    /// clears the named person, so the team sees it as theirs.
    public func reassign(to owner: RequestOwner, by user: UserID, reason: String, at now: Date) throws(RequestRuleError) -> RequestChange {
        guard status.isOpen else { throw RequestRuleError(.closedCannotBeReassigned) }
        var next = self
        switch owner {
        case .user(let id):
            guard ownerUserID != id else { throw RequestRuleError(.alreadyOwner) }
            next.ownerUserID = id
        case .place(let id):
            guard ownerPlaceID != id || ownerUserID != nil else { throw RequestRuleError(.alreadyOwner) }
            next.ownerPlaceID = id
            next.ownerUserID = nil
        }
        guard let reason = Self.trimmed(reason) else { throw RequestRuleError(.reassignNeedsReason) }
        return moved(to: next, status, kind: .reassign, by: .user(id: user), at: now, note: reason)
    }

    /// Staff correct the proposed urgency, saying why. Raising it tightens each
    /// deadline to the new urgency's window from now, never loosening one: whoever noticed the
    /// need is graver gets that window, and is not made overdue by noticing. Lowering it loosens
    /// each deadline to the new window counted from when the clock started, never tightening one.
    /// So nobody gains time by switching urgency back and forth.
    public func changeUrgency(to newUrgency: Urgency, by user: UserID, reason: String, policy: DeadlinePolicy, at now: Date) throws(RequestRuleError) -> RequestChange {
        guard status.isOpen else { throw RequestRuleError(.closedUrgencyFixed) }
        guard newUrgency != urgency else { throw RequestRuleError(.urgencyUnchanged) }
        guard let reason = Self.trimmed(reason) else { throw RequestRuleError(.urgencyChangeNeedsReason) }
        var next = self
        if newUrgency > urgency {
            let fresh = policy.deadlines(for: newUrgency, from: now)
            next.acceptBy = min(acceptBy, fresh.acceptBy)
            next.doneBy = min(doneBy, fresh.doneBy)
        } else {
            let original = policy.deadlines(for: newUrgency, from: clockStart)
            next.acceptBy = max(acceptBy, original.acceptBy)
            next.doneBy = max(doneBy, original.doneBy)
        }
        next.urgency = newUrgency
        let note = "\(urgency.rawValue) → \(newUrgency.rawValue): \(reason)"
        return moved(to: next, status, kind: .changeUrgency, by: .user(id: user), at: now, note: note)
    }

    /// Applies a step decided by `Escalation.step`. Throws if the request moved on since the step
    /// was decided (closed, or already escalated by another node), so a step is applied once.
    public func escalate(_ step: EscalationStep, at now: Date) throws(RequestRuleError) -> RequestChange {
        guard status.isOpen else { throw RequestRuleError(.alreadyClosed) }
        guard escalationLevel == step.fromEscalationLevel else { throw RequestRuleError(.escalationStale) }
        // Levels grow by one per place above the household; only a corrupt row holds the largest
        // integer, and it must not trap the job runner for every request behind it.
        let (nextLevel, overflow) = step.fromEscalationLevel.addingReportingOverflow(1)
        guard !overflow else { throw RequestRuleError(.escalationStale) }
        var next = self
        next.ownerPlaceID = step.toPlaceID
        next.ownerUserID = nil
        next.acceptBy = step.acceptBy
        next.doneBy = step.doneBy
        next.escalationLevel = nextLevel
        return moved(to: next, .new, kind: .escalate, by: .system, at: now, note: step.missed.rawValue)
    }

    // MARK: - Helpers

    private func moved(to next: HelpRequest, _ status: RequestStatus, kind: RequestTransition.Kind, by actor: RequestActor, at now: Date, note: String?) -> RequestChange {
        var next = next
        next.status = status
        let transition = RequestTransition(requestID: id, kind: kind, actor: actor, at: now, from: self.status, to: status, note: note)
        return RequestChange(request: next, transition: transition)
    }

    private func closed(as status: RequestStatus, kind: RequestTransition.Kind, by actor: RequestActor, reason: String?, at now: Date) -> RequestChange {
        var next = self
        next.closedAt = now
        next.closingReason = reason
        return moved(to: next, status, kind: kind, by: actor, at: now, note: reason)
    }

    /// A household signed in with its code may act only on its own requests.
    private func checkHousehold(_ actor: RequestActor) throws(RequestRuleError) {
        if case .household(let id) = actor, id != householdID { throw RequestRuleError(.notOwnHousehold) }
    }

    private static func trimmed(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}

import Foundation

/// Two weeks of the demo compound's requests, as Linli would have recorded them: filings,
/// every step people took, the escalations the deadline job made, a pasted chain list and the
/// group robots that heard of it all. Without it a newcomer finds empty queues and a flat board
/// and cannot see what Linli is for.
///
/// Pure, like the rest of the demo: the same generator (seed), users, household codes and `now`
/// give the same events, texts and times. Every change is made by the request's own rules
/// (`HelpRequest.accept`, `escalate`, ...), deadlines come from the standard `DeadlinePolicy`
/// at each filing's time, owners from the standard routing, urgencies from `UrgencyRules` with
/// the household's care register, so the rows are what the real paths would have written. The
/// store side (`DemoHistoryWriter` in LinliServer) writes them through the same records.
///
/// The story ends with the job runner `runnerBacklog` behind: deadlines that passed before that
/// were escalated a second after they passed; those that passed since are overdue, their jobs
/// due. A server started on the data escalates them at once, as it would after a restart.
public struct DemoHistory: Sendable {
    /// The days the history covers, today included: the board's chart.
    public static let days = 14
    /// How far behind `now` the job runner of the story is: deadlines that passed in this time
    /// are overdue and not yet escalated.
    public static let runnerBacklog: TimeInterval = 45 * 60
    /// How long after a job fell due the runner ran it (it polls every second).
    public static let runnerDelay: TimeInterval = 1

    public let now: Date
    /// When the story begins: the demo's accounts and group robots exist from then on.
    public let startsAt: Date
    /// Jobs due before this were run `runnerDelay` after they fell due; later ones wait.
    public var runnerCaughtUpTo: Date { now.addingTimeInterval(-Self.runnerBacklog) }
    /// Filings and changes, oldest first. Requests are numbered 1, 2, ... in filing order; the
    /// store assigns its own ids, which the writer maps these to.
    public let events: [DemoHistoryEvent]
    public let webhookTargets: [DemoWebhookTarget]
    public let chainList: DemoChainListPaste?
    /// The standard deadlines and reopen window every change was made under.
    public let policy: DeadlinePolicy

    /// `users` are the demo accounts' users as the store created them; `householdsWithCodes`
    /// the households whose codes the demo prints: each keeps the categories a tester (and the
    /// scripts that drive a demo server) file first free of an open request.
    public init(generator: DemoGenerator, users: [DemoAccount: UserID], householdsWithCodes: [PlaceID], now: Date) {
        let world = DemoWorld(batch: generator.firstCommittee(), accounts: generator.accounts, users: users, referenceYear: generator.referenceYear)
        var planner = DemoHistoryPlanner(world: world, seed: generator.seed, householdsWithCodes: householdsWithCodes, now: now)
        planner.plan()
        self.now = now
        startsAt = Self.startsAt(now: now)
        policy = planner.policy
        events = planner.events()
        webhookTargets = planner.webhookTargets
        chainList = planner.chainList
    }

    /// The morning before the chart's first day, when the story begins: whatever the demo
    /// creates besides the history (its users) is best dated from then.
    public static func startsAt(now: Date) -> Date {
        DemoHistoryPlanner.dayStart(daysBack: days, before: now).addingTimeInterval(9 * DemoHistoryPlanner.hour)
    }

    /// Every request as it stands at `now`, in filing order.
    public var requestsNow: [HelpRequest] {
        var latest: [HelpRequest] = []
        for event in events {
            switch event {
            case .filed(let filing): latest.append(filing.request)
            case .changed(let change, _):
                let index = Int(change.request.id.rawValue) - 1
                if latest.indices.contains(index) { latest[index] = change.request }
            }
        }
        return latest
    }

    /// Every transition of every request, oldest first.
    public var transitions: [RequestTransition] {
        events.compactMap { event in
            if case .changed(let change, _) = event { return change.transition }
            return nil
        }
    }
}

public enum DemoHistoryEvent: Sendable, Hashable {
    case filed(DemoFiling)
    /// A step of the lifecycle or an escalation; `before` is the request it was made from.
    case changed(RequestChange, before: HelpRequest)

    public var at: Date {
        switch self {
        case .filed(let filing): filing.request.createdAt
        case .changed(let change, _): change.transition.at
        }
    }
}

/// A request as its household (or someone for it) filed it.
public struct DemoFiling: Sendable, Hashable {
    /// Status new, deadlines and owner as the intake set them.
    public var request: HelpRequest
    public var household: Household
    /// The line of `DemoHistory.chainList` it was filed from, if it came from the chain list.
    public var chainListLine: Int?
}

/// A group robot the compound's committee added, and what its platform answered every delivery
/// in the story (always the same answer: the robot either works or was set up wrong).
public struct DemoWebhookTarget: Sendable, Hashable {
    public var placeID: PlaceID
    public var target: WebhookTarget
    /// The body the robot answered with HTTP 200, e.g. `{"errcode":0,"errmsg":"ok"}`.
    public var reply: String
    public var addedBy: UserID
    public var addedAt: Date
}

/// A chain list (接龙) a group-buy leader pasted on a compound's chain-list page and confirmed.
/// Only the requests of its matched lines are stored, as with a real paste: the message and its
/// unmatched lines live only on the page that showed them.
public struct DemoChainListPaste: Sendable, Hashable {
    public var message: String
    public var placeID: PlaceID
    public var by: UserID
    public var at: Date
    public var category: RequestCategory
    /// Lines that filed nothing: the chain's title and example, a line without an address, an
    /// address with no household here.
    public var unmatchedLines: [Int]
}

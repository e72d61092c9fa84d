import Foundation
import Testing
@testable import LinliCore

/// The demo's two weeks of requests, as a plan: no database.
@Suite("Demo history")
struct DemoHistoryTests {
    /// 2022-04-12 15:30 in Shanghai: two weeks into the lockdown.
    static let now = Date(timeIntervalSince1970: 1_649_748_600)
    static let shanghai = TimeZone(secondsFromGMT: 8 * 3_600) ?? .current

    /// The history as the seeder builds it: users numbered in account order, codes for the first
    /// two households of the first building leader's building.
    static func history(seed: UInt64 = 2022, now: Date = now) -> (DemoHistory, DemoGenerator, codes: [PlaceID]) {
        let generator = DemoGenerator(scale: .compound, seed: seed, referenceYear: DemoFixtures.referenceYear)
        var users: [DemoAccount: UserID] = [:]
        for (index, account) in generator.accounts.enumerated() { users[account] = UserID(Int64(index + 1)) }
        let batch = generator.firstCommittee()
        let leaderBuilding = generator.accounts.first { $0.role == .buildingLeader }?.placeID
        let codes = batch.households.filter { $0.buildingID == leaderBuilding }.map(\.id).sorted().prefix(2)
        return (DemoHistory(generator: generator, users: users, householdsWithCodes: Array(codes), now: now), generator, Array(codes))
    }

    static let standard = history()

    @Test("every status and every urgency is there at `now`, and every category")
    func coverage() {
        let requests = Self.standard.0.requestsNow
        #expect(Set(requests.map(\.status)) == Set(RequestStatus.allCases))
        #expect(Set(requests.map(\.urgency)) == Set(Urgency.allCases))
        #expect(Set(requests.map(\.category)) == Set(RequestCategory.allCases))
        #expect((120...260).contains(requests.count), "\(requests.count) requests")
    }

    @Test("some open requests are overdue, some escalated with the job's transitions, some reopened")
    func overdueEscalatedReopened() {
        let (history, _, _) = Self.standard
        let requests = history.requestsNow
        let overdue = requests.filter { line($0).isOverdue(at: Self.now) }
        #expect(overdue.count >= 3)
        #expect(overdue.contains { $0.status == .new } && overdue.contains { $0.status == .inProgress || $0.status == .accepted })
        let transitions = Dictionary(grouping: history.transitions, by: \.requestID)
        let escalated = requests.filter { $0.escalationLevel > 0 }
        #expect(escalated.count >= 4)
        #expect(escalated.contains { $0.status.isOpen } && escalated.contains { $0.status == .done })
        for request in escalated {
            let steps = transitions[request.id] ?? []
            #expect(steps.count { $0.kind == .escalate } == request.escalationLevel)
            #expect(steps.filter { $0.kind == .escalate }.allSatisfy { $0.actor == .system && $0.to == .new && $0.note != nil })
        }
        let reopened = requests.filter { request in (transitions[request.id] ?? []).contains { $0.kind == .reopen && $0.from == .done } }
        #expect(reopened.contains { $0.status == .done })
        #expect(reopened.allSatisfy { request in (transitions[request.id] ?? []).first { $0.kind == .reopen }?.actor == .household(id: request.householdID) })
        for kind in [RequestTransition.Kind.accept, .start, .complete, .reassign, .changeUrgency, .markUnable, .resolveElsewhere, .cancel] {
            #expect(history.transitions.contains { $0.kind == kind && $0.note != nil }, "no \(kind) with a note")
        }
    }

    @Test("the board has filings on most of its 14 days and hours to done on many")
    func board() {
        let requests = Self.standard.0.requestsNow
        let board = RequestBoard(lines: requests.map(line), now: Self.now, timeZone: Self.shanghai)
        #expect(board.days.count == 14)
        #expect(board.days.count { $0.filed > 0 } >= 12)
        #expect(board.days.count { $0.medianHoursToDone != nil } >= 10)
    }

    @Test("every demo login has something in its queue")
    func queues() {
        let (history, generator, _) = Self.standard
        let open = history.requestsNow.filter(\.status.isOpen)
        for (index, account) in generator.accounts.enumerated() {
            let user = UserID(Int64(index + 1))
            let mine = open.filter { $0.ownerUserID == user || ($0.ownerUserID == nil && $0.ownerPlaceID == account.placeID) }
            #expect(!mine.isEmpty, "the queue of \(account.role) \(account.name) is empty")
        }
    }

    @Test("the printed households have open requests and can still file medicine and food; food is free in the first compound")
    func kindsKeptFree() throws {
        let (history, generator, codes) = Self.standard
        let open = history.requestsNow.filter(\.status.isOpen)
        for household in codes {
            #expect(open.count { $0.householdID == household } >= 2)
            #expect(!open.contains { $0.householdID == household && [.medicine, .emergencyMedical, .food].contains($0.category) })
        }
        let firstCompound = generator.firstCommittee().places.first { $0.level == .compound }
        var households: [PlaceID: Household] = [:]
        for event in history.events {
            if case .filed(let filing) = event { households[filing.household.id] = filing.household }
        }
        let compoundID = try #require(firstCompound?.id)
        #expect(!open.contains { request in request.category == .food && (households[request.householdID]?.path.ids.contains(compoundID) ?? false) })
    }

    @Test("never two open requests of one household and kind, and steps follow the request's rules in time order")
    func consistency() {
        let (history, _, _) = Self.standard
        var open: [String: HelpRequestID] = [:]
        var current: [HelpRequestID: HelpRequest] = [:]
        var last = Date.distantPast
        for event in history.events {
            #expect(event.at >= last)
            last = event.at
            switch event {
            case .filed(let filing):
                let request = filing.request
                #expect(request.status == .new && request.createdAt < Self.now)
                let deadlines = history.policy.deadlines(for: request.urgency, from: request.createdAt)
                #expect(request.acceptBy == deadlines.acceptBy && request.doneBy == deadlines.doneBy)
                let key = "\(request.householdID)/\(request.category.rawValue)"
                #expect(open[key] == nil, "\(key) filed while \(open[key].map { "\($0)" } ?? "") is open")
                open[key] = request.id
                current[request.id] = request
            case .changed(let change, let before):
                #expect(current[before.id] == before)
                current[before.id] = change.request
                let key = "\(before.householdID)/\(before.category.rawValue)"
                if before.status.isOpen, change.request.status.isClosed { open[key] = nil }
                if before.status.isClosed, change.request.status.isOpen {
                    #expect(open[key] == nil)
                    open[key] = before.id
                }
                if change.transition.kind == .escalate {
                    let missed = before.status == .new ? before.acceptBy : before.doneBy
                    #expect(change.transition.at == missed.addingTimeInterval(DemoHistory.runnerDelay))
                }
            }
        }
        // Nothing is overdue for longer than the runner is behind: it escalated the rest.
        for request in history.requestsNow {
            guard let deadline = request.status == .new ? request.acceptBy : request.status.isOpen ? request.doneBy : nil else { continue }
            #expect(deadline >= history.runnerCaughtUpTo, "request \(request.id) overdue since \(deadline)")
        }
    }

    @Test("a chain list whose matched lines became food requests, with lines that matched nothing")
    func chainList() throws {
        let (history, _, _) = Self.standard
        let paste = try #require(history.chainList)
        #expect(paste.unmatchedLines.count >= 3)
        let filings = history.events.compactMap { event -> DemoFiling? in
            if case .filed(let filing) = event, filing.chainListLine != nil { return filing }
            return nil
        }
        #expect(filings.count >= 4)
        let lines = ChainListParser.lines(of: paste.message)
        for filing in filings {
            #expect(filing.request.channel == .chainListImport && filing.request.category == .food && filing.request.filedBy == .user(id: paste.by))
            #expect(filing.request.description == String(lines[(filing.chainListLine ?? 1) - 1]))
        }
    }

    @Test("group robots that answer: one delivers, one refuses every message")
    func webhookTargets() {
        let targets = Self.standard.0.webhookTargets
        #expect(targets.count == 2)
        #expect(targets.contains { $0.reply.contains("\"errcode\":0") } && targets.contains { $0.reply.contains("310000") })
        #expect(targets.allSatisfy { $0.target.url.contains(".invalid/") })
    }

    @Test("the same seed and now give the same history; another seed or another now another one")
    func determinism() {
        let (first, _, _) = Self.standard
        let again = Self.history().0
        #expect(first.events == again.events)
        #expect(first.chainList == again.chainList && first.webhookTargets == again.webhookTargets)
        let otherSeed = Self.history(seed: 7).0
        #expect(otherSeed.events != first.events)
        #expect(otherSeed.requestsNow.map(\.description) != first.requestsNow.map(\.description))
        let later = Self.history(now: Self.now.addingTimeInterval(3_600)).0
        #expect(later.events != first.events)
    }

    @Test("other seeds and times of day still show every status, urgency and role's queue", arguments: [1, 7, 99, 31_337] as [UInt64])
    func otherSeeds(seed: UInt64) {
        for hours in [0.0, 8, 20] {
            let now = Self.now.addingTimeInterval(hours * 3_600 - 15.5 * 3_600)
            let (history, generator, codes) = Self.history(seed: seed, now: now)
            let requests = history.requestsNow
            #expect(Set(requests.map(\.status)) == Set(RequestStatus.allCases), "seed \(seed) at +\(hours) h")
            #expect(Set(requests.map(\.urgency)) == Set(Urgency.allCases), "seed \(seed) at +\(hours) h")
            #expect(requests.contains { line($0).isOverdue(at: now) } && requests.contains { $0.escalationLevel > 0 })
            let open = requests.filter(\.status.isOpen)
            for household in codes { #expect(open.contains { $0.householdID == household }) }
            for (index, account) in generator.accounts.enumerated() {
                let user = UserID(Int64(index + 1))
                #expect(open.contains { $0.ownerUserID == user || ($0.ownerUserID == nil && $0.ownerPlaceID == account.placeID) }, "seed \(seed): \(account.role)")
            }
        }
    }

    private func line(_ request: HelpRequest) -> RequestBoard.Line {
        RequestBoard.Line(status: request.status, urgency: request.urgency, createdAt: request.createdAt, closedAt: request.closedAt, acceptBy: request.acceptBy, doneBy: request.doneBy)
    }
}

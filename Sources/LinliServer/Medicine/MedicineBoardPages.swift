import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// Tonight's medicine board for a committee: each batch with what it holds, whether every card
/// is back and whether the money adds up, and what waits for each team's cut-off.
struct MedicineBoardPages {
    let services: AppServices

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("medicine") { request, context -> Response in
            let identity = try context.requireUser()
            return try await board(request: request, context: context, identity: identity)
        }
        router.post("medicine/teams/:id/cutoff") { request, context -> Response in
            let identity = try context.requireUser()
            let id: TeamID = try context.parameters.id()
            let api = MedicineAPI(services: services)
            let team = try await api.managedTeam(id, identity: identity)
            let form = try await request.decodeForm(as: CutoffForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            guard let text = form.cutoff, !text.isEmpty else { throw AppError.required("cutoff") }
            guard let minute = CareSchedule.minute(ofClock: text) else { throw AppError.invalid("cutoff") }
            try await api.setCutoff(id, path: team.path, minute: minute, identity: identity, traceID: context.traceID)
            return redirect(to: "/medicine?place=\(team.placeID)&notice=medicine_cutoff_saved#medicine-waiting")
        }
    }

    struct BatchRow {
        var id: MedicineBatchID
        var team: String
        var night: String
        var kind: String
        var status: String
        var closed: Bool
        var households: Int
        var hospitals: String
        var cardsOut: Int
        var openItems: Int
        var money: String
        var moneyAlert: Bool
    }

    struct CutoffForm: Decodable {
        var _csrf: String?
        var cutoff: String?
    }

    struct WaitingRow {
        var teamID: TeamID
        /// The cut-off can be changed here by whoever manages the team's runs.
        var canEdit: Bool
        var team: String
        var cutoff: String
        var nightly: Int
        var sameDay: Int
    }

    struct Content {
        var counts: [DirectoryPages.CountLink]
        var batches: [BatchRow]
        var hasBatches: Bool
        var waiting: [WaitingRow]
        var hasWaiting: Bool
        var cardsHref: String
    }

    private func board(request: Request, context: LinliRequestContext, identity: UserIdentity) async throws -> Response {
        let scopes = identity.grants.scopes(for: .runMedicine)
        let requested = try Query(request: request).placeID()
        let now = services.now()
        // The last two nights' batches stay on the board, closed or not: last night's run ends
        // the next morning, after midnight has changed the date once.
        let sinceNight = CareSchedule.dayText(CareSchedule.localDay(now) - 2)
        let (place, batches, waiting) = try await services.store.read { db -> (Place, [MedicineBoardBatch], [MedicineWaitingQueue]) in
            let place: Place
            if let requested {
                guard let found = try await DirectoryRecords.place(id: requested, on: db), identity.grants.allows(.runMedicine, at: found.path) else { throw AppError.notFound }
                place = found
            } else {
                guard let first = scopes.first?.ids.last, let found = try await DirectoryRecords.place(id: first, on: db) else { throw AppError.notFound }
                place = found
            }
            let batches = try await MedicineBoardRecords.batches(scopes: [place.path], sinceNight: sinceNight, on: db)
            let waiting = try await MedicineBoardRecords.waiting(scopes: [place.path], on: db)
            return (place, batches, waiting)
        }
        let open = batches.filter { $0.batch.status != .closed }
        let cardsOut = open.reduce(0) { $0 + $1.cardsOut }
        let mismatched = open.filter(\.moneyMismatch).count
        let placeQuery = "?place=\(place.id)"
        let counts = [
            DirectoryPages.CountLink(href: "#medicine-waiting", label: context.text("medicine.board.waiting_nightly"), count: waiting.reduce(0) { $0 + $1.nightly }, alert: false, countID: "medicine-waiting-nightly"),
            DirectoryPages.CountLink(href: "#medicine-waiting", label: context.text("medicine.board.waiting_same_day"), count: waiting.reduce(0) { $0 + $1.sameDay }, alert: waiting.contains { $0.sameDay > 0 }, countID: "medicine-waiting-same-day"),
            DirectoryPages.CountLink(href: "#medicine-batches", label: context.text("medicine.board.open_batches"), count: open.count, alert: false, countID: "medicine-open-batches"),
            DirectoryPages.CountLink(href: "/medicine/cards" + placeQuery, label: context.text("medicine.board.cards_out"), count: cardsOut, alert: cardsOut > 0, countID: "medicine-cards-out"),
            DirectoryPages.CountLink(href: "#medicine-batches", label: context.text("medicine.board.money_mismatch"), count: mismatched, alert: mismatched > 0, countID: "medicine-money-mismatch"),
        ]
        let rows = batches.map { line in
            BatchRow(
                id: line.batch.id, team: line.teamName, night: line.batch.night,
                kind: context.text("medicine.batch.kind.\(line.batch.kind.rawValue)"),
                status: context.text("medicine.batch.status.\(line.batch.status.rawValue)"), closed: line.batch.status == .closed,
                households: line.households,
                hospitals: context.text("medicine.board.hospitals_runners", ["hospitals": "\(line.hospitals)", "runners": "\(line.runnersAssigned)"]),
                cardsOut: line.cardsOut, openItems: line.itemsWithoutOutcome,
                money: Self.yuan(line.moneyDifference), moneyAlert: line.moneyMismatch
            )
        }
        let waitingRows = waiting.map { queue in
            WaitingRow(teamID: queue.teamID, canEdit: identity.grants.allows(.manageMedicine, at: queue.teamPath), team: queue.teamName, cutoff: Self.clock(queue.cutoffMinute ?? MedicineBatch.defaultCutoffMinute), nightly: queue.nightly, sameDay: queue.sameDay)
        }
        let content = Content(counts: counts, batches: rows, hasBatches: !rows.isEmpty, waiting: waitingRows, hasWaiting: !waitingRows.isEmpty, cardsHref: "/medicine/cards" + placeQuery)
        return try PageView(template: "medicine/board", title: context.text("medicine.board.title", ["place": place.name]), content: content).response(context)
    }

    static func clock(_ minute: Int) -> String {
        let bounded = min(max(minute, 0), 24 * 60 - 1)
        return String(format: "%02d:%02d", bounded / 60, bounded % 60)
    }

    static func yuan(_ fen: Int) -> String { MedicineYuan.text(fen: fen) }
}

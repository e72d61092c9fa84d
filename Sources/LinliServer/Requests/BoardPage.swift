import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// `/board`: the committee's view of requests in its places, every count a link to its list, with
/// an SVG chart drawn here on the server: pages run no script (see `SecurityHeadersMiddleware`), so
/// no chart library could.
struct BoardPage {
    let services: AppServices

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("board") { request, context -> Response in
            let identity = try context.requireUser()
            let (within, _, _) = try DirectoryAPI.paging(Query(request: request))
            let scopes = identity.grants.scopes(for: .viewDirectory)
            let now = services.now()
            let since = now.addingTimeInterval(-Self.windowDays * 24 * 3600)
            let (place, rows) = try await services.store.read { db -> (Place?, [BoardRow]) in
                var place: Place?
                var effective = scopes
                if let within {
                    guard let found = try await DirectoryRecords.place(id: within, on: db), scopes.contains(where: { $0.contains(found.path) }) else { throw AppError.notFound }
                    place = found
                    effective = [found.path]
                }
                return (place, try await RequestRecords.boardRows(scopes: effective, since: since, on: db))
            }
            let board = RequestBoard(
                lines: rows.map { RequestBoard.Line(status: $0.status, urgency: $0.urgency, createdAt: $0.createdAt, closedAt: $0.closedAt, acceptBy: $0.acceptBy, doneBy: $0.doneBy, escalationLevel: $0.escalationLevel) },
                now: now, timeZone: PageTime.shanghai
            )
            // Every count links to the list it counts: the same places, the same window.
            let placeQuery = within.map { "&place=\($0)" } ?? ""
            let statuses = RequestStatus.allCases.map { status in
                DirectoryPages.CountLink(href: "/requests?status=\(status.rawValue)&recent=1" + placeQuery, label: context.text(status.catalogueKey), count: board.byStatus[status] ?? 0, alert: false)
            }
            let urgencies = Urgency.allCases.reversed().map { urgency in
                DirectoryPages.CountLink(href: "/requests?urgency=\(urgency.rawValue)&open=1" + placeQuery, label: context.text(urgency.catalogueKey), count: board.openByUrgency[urgency] ?? 0, alert: urgency == .lifeCritical && (board.openByUrgency[urgency] ?? 0) > 0)
            }
            let overdue = DirectoryPages.CountLink(href: "/requests?overdue=1" + placeQuery, label: context.text("requests.board.overdue"), count: board.overdue, alert: board.overdue > 0, countID: "overdue")
            let title = context.text("requests.board.title", ["place": place?.name ?? context.text("requests.board.all_places")])
            let content = Content(overdue: [overdue], statuses: statuses, urgencies: urgencies, chart: Self.chart(board.days, language: context.language), days: board.days.map { day in
                DayRow(day: PageTime.day(day.start, context.language), filed: "\(day.filed)", median: day.medianHoursToDone.map { String(format: "%.1f", $0) } ?? "–")
            })
            return try PageView(template: "requests/board", title: title, content: content).response(context)
        }
    }

    /// The board counts what is open, and what was filed or closed in this many days.
    static let windowDays: Double = 15

    struct Content {
        var overdue: [DirectoryPages.CountLink]
        var statuses: [DirectoryPages.CountLink]
        var urgencies: [DirectoryPages.CountLink]
        var chart: Chart
        var days: [DayRow]
    }

    struct DayRow { var day: String; var filed: String; var median: String }

    /// The chart as numbers the template draws: bars of requests filed per day, and the line of
    /// median hours to done on its own scale, with a label every few days so they never overlap.
    struct Chart {
        var bars: [Bar]
        var labels: [Label]
        var line: String?
        var dots: [Dot]
        var maxFiled: String
        var maxHours: String
        var axisY: String
        var hasLine: Bool
    }

    struct Bar { var x: String; var y: String; var width: String; var height: String; var title: String }
    struct Label { var x: String; var y: String; var text: String }
    struct Dot { var x: String; var y: String }

    static func chart(_ days: [RequestBoard.Day], language: Language) -> Chart {
        let (width, height, left, bottom, top) = (640.0, 240.0, 40.0, 34.0, 24.0)
        let plotHeight = height - bottom - top
        let step = (width - left - 40) / Double(max(days.count, 1))
        let maxFiled = Double(max(days.map(\.filed).max() ?? 0, 1))
        let maxHours = max(days.compactMap(\.medianHoursToDone).max() ?? 0, 1)
        // At most five labels: 14 dates across a phone's width run into each other.
        let every = max(1, Int((Double(days.count) / 5).rounded(.up)))
        var bars: [Bar] = [], labels: [Label] = [], dots: [Dot] = [], points: [String] = []
        for (index, day) in days.enumerated() {
            let x = left + Double(index) * step
            let barHeight = plotHeight * Double(day.filed) / maxFiled
            bars.append(Bar(x: fmt(x + step * 0.15), y: fmt(top + plotHeight - barHeight), width: fmt(step * 0.7), height: fmt(barHeight), title: "\(PageTime.day(day.start, language)): \(day.filed)"))
            if (days.count - 1 - index) % every == 0 {
                labels.append(Label(x: fmt(x + step / 2), y: fmt(height - 10), text: PageTime.day(day.start, language)))
            }
            if let hours = day.medianHoursToDone {
                let point = (fmt(x + step / 2), fmt(top + plotHeight - plotHeight * hours / maxHours))
                points.append("\(point.0),\(point.1)")
                dots.append(Dot(x: point.0, y: point.1))
            }
        }
        return Chart(bars: bars, labels: labels, line: points.count > 1 ? points.joined(separator: " ") : nil, dots: dots, maxFiled: "\(Int(maxFiled))",
                     maxHours: fmt(maxHours) + " h", axisY: fmt(top + plotHeight), hasLine: !dots.isEmpty)
    }

    static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }
}

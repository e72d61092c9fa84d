import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// `/board`: the committee's view of requests in its places, with an SVG chart drawn here on the
/// server: pages run no script (see `SecurityHeadersMiddleware`), so no chart library could.
struct BoardPage {
    let services: AppServices
    static let shanghai = TimeZone(identifier: "Asia/Shanghai") ?? .current

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("board") { request, context -> Response in
            let identity = try context.requireUser()
            let (within, _, _) = try DirectoryAPI.paging(Query(request: request))
            let scopes = identity.grants.scopes(for: .viewDirectory)
            let now = services.now()
            let since = now.addingTimeInterval(-15 * 24 * 3600)
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
                lines: rows.map { RequestBoard.Line(status: $0.status, urgency: $0.urgency, createdAt: $0.createdAt, closedAt: $0.closedAt, acceptBy: $0.acceptBy, doneBy: $0.doneBy) },
                now: now, timeZone: Self.shanghai
            )
            let statusCells = RequestStatus.allCases.map { "<tr><td>\(context.t($0.catalogueKey))</td><td class=\"count\" data-status=\"\($0.rawValue)\">\(board.byStatus[$0] ?? 0)</td></tr>" }.joined()
            let urgencyCells = Urgency.allCases.reversed().map { "<tr><td>\(context.t($0.catalogueKey))</td><td class=\"count\">\(board.openByUrgency[$0] ?? 0)</td></tr>" }.joined()
            let title = Catalogue.text("requests.board.title", context.language, ["place": place?.name ?? Catalogue.text("requests.board.all_places", context.language)])
            return Page(title: title, context: context) {
                """
                <p><strong>\(context.t("requests.board.overdue"))：<span id="overdue">\(board.overdue)</span></strong></p>
                <h2>\(context.t("requests.board.by_status"))</h2><table>\(statusCells)</table>
                <h2>\(context.t("requests.board.open_by_urgency"))</h2><table>\(urgencyCells)</table>
                <h2>\(context.t("requests.board.chart"))</h2>
                \(Self.chart(board.days, context: context))
                """
            }.response()
        }
    }

    /// Bars: requests filed per day; line: median hours to done, on its own scale.
    static func chart(_ days: [RequestBoard.Day], context: LinliRequestContext) -> String {
        let (width, height, left, bottom) = (640.0, 220.0, 36.0, 28.0)
        let plotHeight = height - bottom - 12
        let step = (width - left - 12) / Double(max(days.count, 1))
        let maxFiled = Double(max(days.map(\.filed).max() ?? 0, 1))
        let maxHours = max(days.compactMap(\.medianHoursToDone).max() ?? 0, 1)
        var formatter = Date.FormatStyle(date: .numeric, time: .omitted).month(.twoDigits).day(.twoDigits)
        formatter.timeZone = shanghai
        var bars = ""
        var points: [String] = []
        for (index, day) in days.enumerated() {
            let x = left + Double(index) * step
            let barHeight = plotHeight * Double(day.filed) / maxFiled
            bars += "<rect x=\"\(fmt(x + step * 0.15))\" y=\"\(fmt(12 + plotHeight - barHeight))\" width=\"\(fmt(step * 0.7))\" height=\"\(fmt(barHeight))\" fill=\"#4a7bd0\"><title>\(day.filed)</title></rect>"
            bars += "<text x=\"\(fmt(x + step / 2))\" y=\"\(fmt(height - 10))\" font-size=\"10\" text-anchor=\"middle\">\(day.start.formatted(formatter))</text>"
            if let hours = day.medianHoursToDone {
                points.append("\(fmt(x + step / 2)),\(fmt(12 + plotHeight - plotHeight * hours / maxHours))")
            }
        }
        let line = points.isEmpty ? "" : "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#d0602a\" stroke-width=\"2\"/>"
        return """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(context.t("requests.board.chart"))" style="max-width:100%;height:auto">
        <line x1="\(fmt(left))" y1="\(fmt(12 + plotHeight))" x2="\(fmt(width - 12))" y2="\(fmt(12 + plotHeight))" stroke="#999"/>
        <text x="2" y="20" font-size="10" fill="#4a7bd0">\(Int(maxFiled))</text>
        <text x="\(fmt(width - 60))" y="20" font-size="10" fill="#d0602a">\(fmt(maxHours)) h</text>
        \(bars)\(line)
        </svg>
        <p class="muted"><span style="color:#4a7bd0">■</span> \(context.t("requests.board.legend_filed")) <span style="color:#d0602a">—</span> \(context.t("requests.board.legend_median"))</p>
        """
    }

    static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }
}

import Foundation
import HTTPTypes
import Hummingbird
import LinliCore
import LinliStore

/// `/admin/notifications`: the dead letters (and the rest of the outbox) for admins, as a page.
struct NotifyPages {
    let services: AppServices

    struct Row { var id: String; var title: String; var attempts: String; var lastError: String; var created: String }
    struct Content { var tabs: [Link]; var rows: [Row]; var isEmpty: Bool }

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("admin/notifications") { request, context -> Response in
            let list = try await NotifyAPI.outbox(request: request, context: context, store: services.store)
            let rows = list.map { item in
                Row(id: "\(item.id)", title: item.message.title, attempts: "\(item.attempts)", lastError: item.lastError ?? "", created: PageTime.dateTime(item.createdAt, context.language))
            }
            let current = request.uri.queryParameters["status"].map(String.init) ?? "dead"
            let tabs = ["dead", "pending", "delivered"].map { Link(href: "/admin/notifications?status=\($0)", label: context.text("notify.outbox.\($0)"), current: $0 == current) }
            return try PageView(template: "notify/outbox", title: context.text("notify.outbox.title"), content: Content(tabs: tabs, rows: rows, isEmpty: rows.isEmpty)).response(context)
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import LinliCore
import LinliStore

/// `/admin/notifications`: the dead letters (and the rest of the outbox) for admins, as a page.
struct NotifyPages {
    let services: AppServices

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("admin/notifications") { request, context -> Response in
            let list = try await NotifyAPI.outbox(request: request, context: context, store: services.store)
            let rows = list.map { item in
                "<tr><td>\(item.id)</td><td>\(escape(item.message.title))</td><td>\(item.attempts)</td><td>\(escape(item.lastError ?? ""))</td><td>\(escape(RequestPages.timestamp(item.createdAt)))</td></tr>"
            }.joined()
            let tabs = ["dead", "pending", "delivered"].map { "<a href=\"/admin/notifications?status=\($0)\">\(context.t("notify.outbox.\($0)"))</a>" }.joined(separator: " · ")
            return Page(title: Catalogue.text("notify.outbox.title", context.language), context: context) {
                """
                <p>\(tabs)</p>
                <table id="notifications"><thead><tr><th>#</th><th>\(context.t("notify.outbox.message"))</th><th>\(context.t("notify.outbox.attempts"))</th><th>\(context.t("notify.outbox.last_error"))</th><th>\(context.t("notify.outbox.created"))</th></tr></thead>
                <tbody>\(rows.isEmpty ? "<tr><td colspan=\"5\">\(context.t("list.empty"))</td></tr>" : rows)</tbody></table>
                """
            }.response()
        }
    }
}

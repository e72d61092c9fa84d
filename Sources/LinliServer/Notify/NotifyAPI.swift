import Foundation
import HTTPTypes
import Hummingbird
import LinliCore
import LinliStore

/// Admins configure group robots and webhooks per place and see what could not be delivered.
struct NotifyAPI {
    let services: AppServices

    struct TargetBody: Decodable { var kind: String; var url: String; var secret: String? }

    /// The outbox by status (dead letters unless `?status=` says otherwise), for admins only.
    static func outbox(request: Request, context: LinliRequestContext, store: Store) async throws -> [StoredNotification] {
        let identity = try context.requireUser()
        guard identity.grants.roles.contains(where: { $0.role == .admin }) else { throw AppError.forbidden }
        let status = try Query(request: request).string("status", maxLength: 20) ?? "dead"
        guard ["pending", "delivered", "dead"].contains(status) else { throw AppError.invalid("status") }
        return try await store.read { db in try await NotifyRecords.notifications(status: status, on: db) }
    }

    func addRoutes(to router: RouterGroup<LinliRequestContext>) {
        router.post("places/:id/webhooks") { request, context -> EditedResponse<WebhookTargetView> in
            let identity = try context.requireUser()
            let placeID: PlaceID = try context.parameters.id()
            let place = try await services.store.read { db in try await DirectoryRecords.place(id: placeID, on: db) }
            guard let place, identity.grants.allows(.viewDirectory, at: place.path) else { throw AppError.notFound }
            guard identity.grants.allows(.manageUsers, at: place.path) else { throw AppError.forbidden }
            let body = try await request.decodeJSON(as: TargetBody.self, context: context)
            let target: WebhookTarget
            do {
                target = try WebhookTarget(kind: body.kind, url: body.url, secret: body.secret)
                try services.webhookNetworks.check(url: target.url)
            } catch let error as WebhookTargetError {
                // A URL that reads fine but that Linli will not send to is 422; a malformed one 400.
                let status: HTTPResponse.Status = [.hostUnclear, .hostNotAllowed].contains(error.code) ? .unprocessableContent : .badRequest
                throw AppError(status, error.catalogueKey, field: error.field)
            }
            let now = services.now()
            let id = try await services.store.write { db in
                let id = try await NotifyRecords.addTarget(target, placeID: placeID, at: now, on: db)
                try await AuditRecords.append([AuditEntry(at: now, actor: context.actor, action: "webhook.create", entity: "webhook_target", entityID: "\(id)", path: place.path.rawValue, after: target.kind.rawValue)], on: db)
                return id
            }
            return EditedResponse(status: .created, response: WebhookTargetView(id: id, placeID: placeID, kind: target.kind.rawValue))
        }
        router.get("notifications") { request, context -> NotificationListView in
            let list = try await NotifyAPI.outbox(request: request, context: context, store: services.store)
            return NotificationListView(notifications: list.map {
                NotificationView(id: $0.id, targetID: $0.targetID, kind: $0.message.kind, title: $0.message.title, status: $0.status, attempts: $0.attempts, lastError: $0.lastError, createdAt: $0.createdAt)
            })
        }
    }
}

import Foundation
import LinliCore
import SQLKit

public typealias NotificationID = ID<StoredNotification>
public typealias WebhookTargetID = ID<StoredTarget>

public struct StoredTarget: Sendable, Hashable {
    public var id: WebhookTargetID
    public var placeID: PlaceID
    public var target: WebhookTarget
}

public struct StoredNotification: Sendable, Hashable {
    public var id: NotificationID
    public var targetID: WebhookTargetID
    public var message: NotificationMessage
    public var status: String
    public var attempts: Int
    public var lastError: String?
    public var createdAt: Date
}

/// Webhook targets and the notification outbox.
public enum NotifyRecords {
    public static let deliverJobKind = "notify.deliver"

    public static func addTarget(_ target: WebhookTarget, placeID: PlaceID, at now: Date, on db: any SQLDatabase) async throws -> WebhookTargetID {
        let row = try await db.raw("""
            INSERT INTO webhook_targets (place_id, kind, url, secret, created_at)
            VALUES (\(bind: placeID), \(bind: target.kind.rawValue), \(bind: target.url), \(bind: target.secret), \(bind: now.millisecondsSince1970)) RETURNING id
            """).first()
        guard let id = try row?.decode(column: "id", as: WebhookTargetID.self) else { throw StoreError.conflict("target insert returned nothing") }
        return id
    }

    /// The targets configured at any of `places` (the places above a household).
    public static func targets(at places: [PlaceID], on db: any SQLDatabase) async throws -> [StoredTarget] {
        guard !places.isEmpty else { return [] }
        let binds: [any Encodable & Sendable] = places
        return try await db.raw("SELECT id, place_id, kind, url, secret FROM webhook_targets WHERE place_id IN (\(binds: binds)) ORDER BY id").all().compactMap(decodeTarget)
    }

    public static func target(id: WebhookTargetID, on db: any SQLDatabase) async throws -> StoredTarget? {
        try await db.raw("SELECT id, place_id, kind, url, secret FROM webhook_targets WHERE id = \(bind: id)").first().flatMap(decodeTarget)
    }

    static func decodeTarget(_ row: any SQLRow) throws -> StoredTarget? {
        guard let target = try? WebhookTarget(kind: try row.decode(column: "kind", as: String.self), url: try row.decode(column: "url", as: String.self), secret: try row.decode(column: "secret", as: String?.self)) else { return nil }
        return StoredTarget(id: try row.decode(column: "id", as: WebhookTargetID.self), placeID: try row.decode(column: "place_id", as: PlaceID.self), target: target)
    }

    /// Puts a message in the outbox for each target and schedules its delivery, inside the
    /// caller's transaction: the change and its notifications commit together or not at all.
    public static func enqueue(_ message: NotificationMessage, to targets: [StoredTarget], at now: Date, on db: any SQLDatabase) async throws {
        guard let json = RegisterRecords.json(message) else { return }
        for target in targets {
            let row = try await db.raw("""
                INSERT INTO notifications (target_id, message, status, created_at)
                VALUES (\(bind: target.id), \(bind: json), 'pending', \(bind: now.millisecondsSince1970)) RETURNING id
                """).first()
            guard let id = try row?.decode(column: "id", as: NotificationID.self) else { continue }
            try await JobRecords.enqueue(kind: deliverJobKind, payload: "\(id)", runAt: now, dedupeKey: "notify:\(id):1", at: now, on: db)
        }
    }

    /// Deletes up to `limit` notifications delivered before `cutoff`; returns how many. Dead
    /// letters stay: someone may still have to pass on what never arrived.
    public static func deleteDelivered(before cutoff: Date, limit: Int, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("""
            DELETE FROM notifications WHERE id IN (
              SELECT id FROM notifications WHERE status = 'delivered' AND delivered_at < \(bind: cutoff.millisecondsSince1970) ORDER BY id LIMIT \(bind: limit)
            ) RETURNING id
            """).all().count
    }

    public static func notification(id: NotificationID, on db: any SQLDatabase) async throws -> StoredNotification? {
        try await db.raw("SELECT * FROM notifications WHERE id = \(bind: id)").first().flatMap(decodeNotification)
    }

    /// Records an attempt's result: delivered, to be retried at `retryAt`, or dead.
    /// Records attempt number `attempts`, but only over the state it started from: still pending
    /// after `attempts - 1` attempts. A node whose lease ran out while it waited on a slow
    /// receiver finds the row changed by the node that took over, and changes nothing (false).
    @discardableResult
    public static func record(_ id: NotificationID, status: String, attempts: Int, error: String?, deliveredAt: Date?, attemptedAt: Date, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE notifications SET status = \(bind: status), attempts = \(bind: attempts), last_error = \(bind: error), delivered_at = \(bind: deliveredAt?.millisecondsSince1970),
                last_attempt_at = \(bind: attemptedAt.millisecondsSince1970)
            WHERE id = \(bind: id) AND status = 'pending' AND attempts = \(bind: attempts - 1)
            RETURNING id
            """).first() != nil
    }

    /// When the target was sent to since `since` (one time per notification: its latest attempt).
    public static func attemptTimes(targetID: WebhookTargetID, since: Date, on db: any SQLDatabase) async throws -> [Date] {
        try await db.raw("""
            SELECT last_attempt_at FROM notifications WHERE target_id = \(bind: targetID) AND last_attempt_at > \(bind: since.millisecondsSince1970)
            """).all().map { Date(millisecondsSince1970: try $0.decode(column: "last_attempt_at", as: Int64.self)) }
    }

    public static func notifications(status: String, limit: Int = 100, on db: any SQLDatabase) async throws -> [StoredNotification] {
        try await db.raw("SELECT * FROM notifications WHERE status = \(bind: status) ORDER BY id DESC LIMIT \(bind: limit)").all().compactMap(decodeNotification)
    }

    static func decodeNotification(_ row: any SQLRow) throws -> StoredNotification? {
        guard let message = try? JSONDecoder().decode(NotificationMessage.self, from: Data(try row.decode(column: "message", as: String.self).utf8)) else { return nil }
        return StoredNotification(
            id: try row.decode(column: "id", as: NotificationID.self),
            targetID: try row.decode(column: "target_id", as: WebhookTargetID.self),
            message: message,
            status: try row.decode(column: "status", as: String.self),
            attempts: try row.decode(column: "attempts", as: Int.self),
            lastError: try row.decode(column: "last_error", as: String?.self),
            createdAt: Date(millisecondsSince1970: try row.decode(column: "created_at", as: Int64.self))
        )
    }
}

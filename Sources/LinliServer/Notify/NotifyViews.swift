import Foundation
import HTTPTypes
import Hummingbird
import LinliCore
import LinliStore

struct WebhookTargetView: ResponseCodable {
    var id: WebhookTargetID
    var placeID: PlaceID
    var kind: String
    enum CodingKeys: String, CodingKey { case id, placeID = "place_id", kind }
}

struct NotificationView: Codable, Sendable {
    var id: NotificationID
    var targetID: WebhookTargetID
    var kind: String
    var title: String
    var status: String
    var attempts: Int
    var lastError: String?
    var createdAt: Date
    enum CodingKeys: String, CodingKey { case id, targetID = "target_id", kind, title, status, attempts, lastError = "last_error", createdAt = "created_at" }
}

struct NotificationListView: ResponseCodable {
    var notifications: [NotificationView]
}

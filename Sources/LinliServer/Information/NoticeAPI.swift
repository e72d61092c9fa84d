import Foundation
import Hummingbird
import LinliCore
import LinliStore

struct NoticeView: ResponseCodable {
    var id: NoticeID
    var placeID: PlaceID
    var placeName: String
    var title: String
    var text: String
    var source: String
    var publishedAt: Date
    /// For a household: when it confirmed reading the notice (null: not yet).
    var readAt: Date?

    init(_ stored: StoredNotice, readAt: Date? = nil) {
        id = stored.notice.id
        placeID = stored.notice.placeID
        placeName = stored.placeName
        title = stored.notice.title
        text = stored.notice.body
        source = stored.notice.source
        publishedAt = stored.notice.publishedAt
        self.readAt = readAt
    }

    enum CodingKeys: String, CodingKey {
        case id, placeID = "place_id", placeName = "place_name", title, text, source, publishedAt = "published_at", readAt = "read_at"
    }
}

struct NoticeListView: ResponseCodable {
    var notices: [NoticeView]
}

struct NoticeReadView: ResponseCodable {
    var noticeID: NoticeID
    var householdID: PlaceID
    /// False when the household had confirmed it before: nothing changed.
    var firstTime: Bool

    enum CodingKeys: String, CodingKey { case noticeID = "notice_id", householdID = "household_id", firstTime = "first_time" }
}

struct UnreadListView: ResponseCodable {
    struct Line: Codable {
        var householdID: PlaceID
        var building: String
        var room: String
        var phone: String?
        enum CodingKeys: String, CodingKey { case householdID = "household_id", building, room, phone }
    }
    var noticeID: NoticeID
    var read: Int
    var unread: [Line]
    enum CodingKeys: String, CodingKey { case noticeID = "notice_id", read, unread }
}

/// Notices over JSON: publishing, a household's notices and its confirmation, and the doors
/// that have not confirmed.
struct NoticeAPI {
    let services: AppServices

    struct NoticeBody: Decodable {
        var place_id: Int64?
        var title: String?
        var text: String?
        var source: String?
    }

    func addRoutes(to router: RouterGroup<LinliRequestContext>) {
        let notices = NoticeService(services: services)
        router.post("notices") { request, context -> EditedResponse<NoticeView> in
            let identity = try context.requireUser()
            let body = try await request.decodeJSON(as: NoticeBody.self, context: context)
            guard let place = body.place_id else { throw AppError.required("place_id") }
            guard place > 0 else { throw AppError.notFound }
            _ = try await services.place(PlaceID(place), capability: .publishInformation, identity: identity)
            guard let title = try AnswerAPI.text(body.title, field: "title", max: NoticeRules.maximumTitle) else { throw AppError.required("title") }
            guard let text = try AnswerAPI.text(body.text, field: "text", max: NoticeRules.maximumBody) else { throw AppError.required("text") }
            let source = try AnswerAPI.source(body.source)
            let id = try await notices.publish(placeID: PlaceID(place), title: title, body: text, source: source, identity: identity, traceID: context.traceID)
            return EditedResponse(status: .created, response: NoticeView(try await notices.notice(id)))
        }
        router.get("notices") { _, context -> NoticeListView in
            switch context.caller {
            case .anonymous: throw AppError.unauthenticated
            case .household(let identity):
                return NoticeListView(notices: try await notices.notices(for: identity.household).map { NoticeView($0.0, readAt: $0.1) })
            case .user(let identity):
                return NoticeListView(notices: try await notices.notices(for: identity).map { NoticeView($0) })
            }
        }
        router.post("notices/:id/read") { _, context -> NoticeReadView in
            let id: NoticeID = try context.parameters.id()
            let identity = try await notices.confirmingHousehold(id, caller: context.caller)
            let first = try await notices.confirm(id, household: identity.household)
            return NoticeReadView(noticeID: id, householdID: identity.household.id, firstTime: first)
        }
        router.get("notices/:id/unread") { request, context -> UnreadListView in
            let identity = try context.requireUser()
            let notice = try await notices.notice(try context.parameters.id(), identity: identity)
            guard let placeID = try Query(request: request).placeID() else { throw AppError.required("place") }
            let place = try await notices.place(placeID, identity: identity)
            let (unread, read) = try await notices.unread(notice, under: place)
            return UnreadListView(noticeID: notice.notice.id, read: read, unread: unread.map {
                UnreadListView.Line(householdID: $0.householdID, building: $0.building, room: $0.room, phone: $0.phone)
            })
        }
    }
}

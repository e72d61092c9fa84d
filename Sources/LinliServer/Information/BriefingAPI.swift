import Foundation
import Hummingbird
import LinliCore
import LinliStore

struct BriefingView: ResponseCodable {
    var id: BriefingID
    var placeID: PlaceID
    var placeName: String
    var day: String
    var state: BriefingState
    var text: String
    var figures: BriefingFigures
    var draftedAt: Date
    var editedAt: Date?
    var publishedAt: Date?
    /// The public page, once published.
    var page: String?

    init(_ stored: StoredBriefing) {
        let briefing = stored.briefing
        let figures = briefing.figures
        id = briefing.id
        placeID = briefing.placeID
        placeName = stored.placeName
        day = briefing.day
        state = briefing.state
        text = briefing.text
        self.figures = figures
        draftedAt = briefing.draftedAt
        editedAt = briefing.editedAt
        publishedAt = briefing.publishedAt
        page = briefing.state == .published ? "/briefings/\(briefing.id)" : nil
    }

    enum CodingKeys: String, CodingKey {
        case id, placeID = "place_id", placeName = "place_name", day, state, text, figures, draftedAt = "drafted_at", editedAt = "edited_at"
        case publishedAt = "published_at", page
    }
}

struct BriefingListView: ResponseCodable {
    var briefings: [BriefingView]
}

/// Daily briefings over JSON: drafting a place's day, the list, editing the text and publishing.
struct BriefingAPI {
    let services: AppServices

    struct DraftBody: Decodable {
        var place_id: Int64?
        var day: String?
    }

    struct EditBody: Decodable {
        var text: String?
    }

    /// The edited text: required, bounded, no control characters but line breaks.
    static func text(_ raw: String?) throws -> String {
        guard let text = try AnswerAPI.text(raw, field: "text", max: BriefingRules.maximumText) else { throw AppError.required("text") }
        return text
    }

    func addRoutes(to router: RouterGroup<LinliRequestContext>) {
        let briefings = BriefingService(services: services)
        router.post("briefings") { request, context -> EditedResponse<BriefingView> in
            let identity = try context.requireUser()
            let body = try await request.decodeJSON(as: DraftBody.self, context: context)
            let placeID = try RumourAPI.placeID(body.place_id)
            let day = try briefings.day(body.day)
            return EditedResponse(status: .created, response: BriefingView(try await briefings.draft(placeID: placeID, day: day, identity: identity, traceID: context.traceID)))
        }
        router.get("briefings") { request, context -> BriefingListView in
            let identity = try context.requireUser()
            guard let placeID = try Query(request: request).placeID() else { throw AppError.required("place") }
            return BriefingListView(briefings: try await briefings.briefings(at: placeID, identity: identity).1.map(BriefingView.init))
        }
        router.get("briefings/:id") { _, context -> BriefingView in
            BriefingView(try await briefings.briefing(try context.parameters.id(), identity: try context.requireUser()))
        }
        router.put("briefings/:id") { request, context -> BriefingView in
            let identity = try context.requireUser()
            let id: BriefingID = try context.parameters.id()
            // An id the caller cannot see is 404 whatever the body.
            _ = try await briefings.briefing(id, identity: identity)
            let body = try await request.decodeJSON(as: EditBody.self, context: context)
            return BriefingView(try await briefings.edit(id, rawText: body.text, identity: identity, traceID: context.traceID))
        }
        router.post("briefings/:id/publish") { _, context -> BriefingView in
            let identity = try context.requireUser()
            return BriefingView(try await briefings.publish(try context.parameters.id(), identity: identity, traceID: context.traceID))
        }
    }
}

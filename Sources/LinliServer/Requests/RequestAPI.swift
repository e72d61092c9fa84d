import Foundation
import HTTPTypes
import Hummingbird
import LinliCore
import LinliStore

struct RequestTransitionView: Sendable {
    var kind: String
    var actor: String
    var at: Date
    var from: String
    var to: String
    var note: String?

    init(_ transition: RequestTransition) {
        kind = transition.kind.rawValue
        actor = RequestRecords.encode(transition.actor)
        at = transition.at
        from = transition.from.rawValue
        to = transition.to.rawValue
        note = transition.note
    }
}

/// A request as the API answers with it, written with `JSONText` (the answer to every filing).
struct RequestView: ResponseGenerator {
    var id: HelpRequestID
    var householdID: PlaceID
    var residentID: ResidentID?
    var category: RequestCategory
    var urgency: Urgency
    var description: String
    var channel: RequestChannel
    var filedBy: String
    var status: RequestStatus
    var ownerUserID: UserID?
    var ownerPlaceID: PlaceID?
    var createdAt: Date
    var acceptBy: Date
    var doneBy: Date
    var escalationLevel: Int
    var closedAt: Date?
    var closingReason: String?
    var transitions: [RequestTransitionView]?

    init(_ stored: StoredRequest, transitions: [RequestTransition]? = nil) {
        let request = stored.request
        id = request.id
        householdID = request.householdID
        residentID = request.residentID
        category = request.category
        urgency = request.urgency
        description = request.description
        channel = request.channel
        filedBy = RequestRecords.encode(request.filedBy)
        status = request.status
        ownerUserID = request.ownerUserID
        ownerPlaceID = request.ownerPlaceID
        createdAt = request.createdAt
        acceptBy = request.acceptBy
        doneBy = request.doneBy
        escalationLevel = request.escalationLevel
        closedAt = request.closedAt
        closingReason = request.closingReason
        self.transitions = transitions.map { $0.map(RequestTransitionView.init) }
    }

    var json: JSONText {
        var json = JSONText()
        json.field("id", id)
        json.field("household_id", householdID)
        json.field("resident_id", residentID)
        json.field("category", category.rawValue)
        json.field("urgency", urgency.rawValue)
        json.field("description", description)
        json.field("channel", channel.rawValue)
        json.field("filed_by", filedBy)
        json.field("status", status.rawValue)
        json.field("owner_user_id", ownerUserID)
        json.field("owner_place_id", ownerPlaceID)
        json.field("created_at", createdAt)
        json.field("accept_by", acceptBy)
        json.field("done_by", doneBy)
        json.field("escalation_level", escalationLevel)
        json.field("closed_at", closedAt)
        json.field("closing_reason", closingReason)
        json.field("transitions", transitions) { transition, object in
            object.field("kind", transition.kind)
            object.field("actor", transition.actor)
            object.field("at", transition.at)
            object.field("from", transition.from)
            object.field("to", transition.to)
            object.field("note", transition.note)
        }
        return json
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        json.response()
    }
}

/// `/api/v1/requests`: file a request, read it with its history, move it through its lifecycle.
struct RequestAPI {
    let services: AppServices
    var intake: RequestIntake { RequestIntake(services: services) }
    var actions: RequestActions { RequestActions(services: services) }
    var reads: RequestReads { RequestReads(services: services) }

    struct FileBody: Decodable {
        var householdID: PlaceID?
        var residentID: ResidentID?
        var category: RequestCategory
        var description: String
        var channel: RequestChannel?
        enum CodingKeys: String, CodingKey { case householdID = "household_id", residentID = "resident_id", category, description, channel }
    }

    struct ActionBody: Decodable {
        var action: RequestActions.Action
        var note: String?
        var urgency: Urgency?
        var ownerUserID: UserID?
        var ownerPlaceID: PlaceID?
        enum CodingKeys: String, CodingKey { case action, note, urgency, ownerUserID = "owner_user_id", ownerPlaceID = "owner_place_id" }

        var details: RequestActions.ActionDetails {
            let owner: RequestOwner? = ownerUserID.map { .user(id: $0) } ?? ownerPlaceID.map { .place(id: $0) }
            return RequestActions.ActionDetails(note: note, urgency: urgency, owner: owner)
        }
    }

    func addRoutes(to router: RouterGroup<LinliRequestContext>) {
        router.post("requests") { request, context -> EditedResponse<RequestView> in
            // Who is asking comes before what they sent.
            if case .anonymous = context.caller { throw AppError.unauthenticated }
            let body = try await request.decodeJSON(as: FileBody.self, context: context)
            let idempotencyKey = request.headers[.idempotencyKey]
            let filer = try Filer(context.caller, householdID: body.householdID)
            // Staff may name the channel (a phone call); a household always files by its code.
            let channel = filer.grants == nil ? filer.channel : body.channel ?? filer.channel
            let filing = Filing(householdID: filer.householdID, residentID: body.residentID, category: body.category, description: body.description, channel: channel)
            let filed = try await intake.file(filing, by: filer.actor, grants: filer.grants, idempotencyKey: idempotencyKey, traceID: context.traceID)
            return EditedResponse(status: filed.created ? .created : .ok, response: RequestView(filed.stored))
        }
        router.get("requests/:id") { _, context -> RequestView in
            let (stored, transitions) = try await reads.request(id: try context.parameters.id(), caller: context.caller)
            return RequestView(stored, transitions: transitions)
        }
        router.post("requests/:id/transitions") { request, context -> RequestView in
            let id: HelpRequestID = try context.parameters.id()
            // Scope first: a body aimed at someone else's request is not even read.
            _ = try await reads.visible(id: id, caller: context.caller)
            let body = try await request.decodeJSON(as: ActionBody.self, context: context)
            return RequestView(try await actions.act(body.action, on: id, caller: context.caller, details: body.details, traceID: context.traceID))
        }
    }
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
}

import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// Surveys over the JSON API: campaigns, their live coverage, visits, closing.
struct SurveyAPI {
    let services: AppServices
    var surveys: SurveyService { SurveyService(services: services) }

    struct CreateBody: Decodable {
        var placeID: PlaceID?
        var name: String?
        var startsOn: String?
        var endsOn: String?
        enum CodingKeys: String, CodingKey { case placeID = "place_id", name, startsOn = "starts_on", endsOn = "ends_on" }
    }

    struct VisitBody: Decodable {
        var householdID: PlaceID?
        var status: String?
        var note: String?
        var residentID: Int64?
        var categories: [String]?
        var needs: [String]?
        var risk: String?
        var findingNote: String?
        var idempotencyKey: String?
        enum CodingKeys: String, CodingKey {
            case householdID = "household_id", status, note, residentID = "resident_id", categories, needs, risk, findingNote = "finding_note", idempotencyKey = "idempotency_key"
        }
    }

    struct CloseBody: Decodable { var reason: String? }

    func addRoutes(to router: RouterGroup<LinliRequestContext>) {
        router.get("care/surveys") { request, context -> SurveyListView in
            let identity = try context.requireUser()
            let list = try await surveys.campaigns(identity: identity, place: try Query(request: request).placeID())
            return SurveyListView(campaigns: list.map(SurveyCampaignView.init))
        }
        router.post("care/surveys") { request, context -> EditedResponse<SurveyCampaignView> in
            let identity = try context.requireUser()
            let body = try await request.decodeJSON(as: CreateBody.self, context: context)
            let campaign = try await surveys.create(placeID: body.placeID, name: body.name, startsOn: body.startsOn, endsOn: body.endsOn, identity: identity, traceID: context.traceID)
            return EditedResponse(status: .created, response: SurveyCampaignView(campaign))
        }
        router.get("care/surveys/:id") { _, context -> SurveyCoverageView in
            let identity = try context.requireUser()
            let access = try await surveys.surveyAccess(try context.parameters.id(), identity: identity)
            return SurveyCoverageView(access.campaign, try await surveys.coverage(access))
        }
        router.get("care/surveys/:id/visits") { request, context -> SurveyVisitListView in
            let identity = try context.requireUser()
            let access = try await surveys.surveyAccess(try context.parameters.id(), identity: identity)
            let household = try Query(request: request).placeID("household")
            let visits = try await services.store.read { db in
                try await SurveyRecords.history(campaignID: access.campaign.id, householdID: household, within: access.scopes, limit: SurveyService.historyLimit, on: db)
            }
            return SurveyVisitListView(visits: visits.map(SurveyVisitView.init))
        }
        router.post("care/surveys/:id/visits") { request, context -> EditedResponse<SurveyVisitResultView> in
            let identity = try context.requireUser()
            let access = try await surveys.surveyAccess(try context.parameters.id(), identity: identity)
            let body = try await request.decodeJSON(as: VisitBody.self, context: context)
            let input = try SurveyVisitInput.parse(status: body.status, note: body.note, residentID: body.residentID.map { "\($0)" }, categories: body.categories, needs: body.needs, risk: body.risk, findingNote: body.findingNote, idempotencyKey: body.idempotencyKey)
            guard let household = body.householdID else { throw AppError.required("household_id") }
            let outcome = try await surveys.record(input, householdID: household, access: access, identity: identity, traceID: context.traceID)
            return EditedResponse(status: outcome == .recorded ? .created : .ok, response: SurveyVisitResultView(householdID: household, status: input.status.rawValue, replayed: outcome == .replayed))
        }
        router.post("care/surveys/:id/close") { request, context -> SurveyCampaignView in
            let identity = try context.requireUser()
            let campaign = try await surveys.manageAccess(try context.parameters.id(), identity: identity)
            let body = try await request.decodeJSON(as: CloseBody.self, context: context)
            try await surveys.close(campaign, reason: body.reason, identity: identity, traceID: context.traceID)
            let closed = try await services.store.read { db in try await SurveyRecords.campaign(id: campaign.id, on: db) } ?? campaign
            return SurveyCampaignView(closed)
        }
    }
}

struct SurveyCampaignView: ResponseCodable {
    var id: SurveyCampaignID
    var name: String
    var placeID: PlaceID
    var startsOn: String
    var endsOn: String
    var closed: Bool
    var closedReason: String?
    enum CodingKeys: String, CodingKey { case id, name, placeID = "place_id", startsOn = "starts_on", endsOn = "ends_on", closed, closedReason = "closed_reason" }

    init(_ campaign: SurveyCampaign) {
        id = campaign.id
        name = campaign.name
        placeID = campaign.placeID
        startsOn = SurveyService.dayText(campaign.startsAt)
        endsOn = SurveyService.dayText(campaign.endsAt.addingTimeInterval(-86_400))
        closed = campaign.closedAt != nil
        closedReason = campaign.closedReason
    }
}

struct SurveyListView: ResponseCodable {
    var campaigns: [SurveyCampaignView]
}

struct SurveyTallyView: Codable, Sendable {
    var households: Int
    var done: Int
    var notYet: Int
    var nobodyHome: Int
    var followUps: Int
    var percent: Int
    enum CodingKeys: String, CodingKey { case households, done, notYet = "not_yet", nobodyHome = "nobody_home", followUps = "follow_ups", percent }

    init(_ tally: SurveyTally) {
        households = tally.households
        done = tally.done
        notYet = tally.notYet
        nobodyHome = tally.nobodyHome
        followUps = tally.followUps
        percent = tally.percent
    }
}

struct SurveyCoverageView: ResponseCodable {
    struct Building: Codable, Sendable {
        var buildingID: PlaceID
        var name: String
        var tally: SurveyTallyView
        enum CodingKeys: String, CodingKey { case buildingID = "building_id", name, tally }
    }
    struct Surveyor: Codable, Sendable {
        var userID: UserID?
        var name: String?
        var tally: SurveyTallyView
        enum CodingKeys: String, CodingKey { case userID = "user_id", name, tally }
    }
    var campaign: SurveyCampaignView
    var total: SurveyTallyView
    var buildings: [Building]
    var surveyors: [Surveyor]

    init(_ campaign: SurveyCampaign, _ coverage: SurveyService.Coverage) {
        self.campaign = SurveyCampaignView(campaign)
        total = SurveyTallyView(coverage.total)
        buildings = coverage.buildings.map { Building(buildingID: $0.buildingID, name: $0.name, tally: SurveyTallyView($0.tally)) }
        surveyors = coverage.surveyors.map { Surveyor(userID: $0.userID, name: $0.name, tally: SurveyTallyView($0.tally)) }
    }
}

struct SurveyVisitView: Codable, Sendable {
    var id: Int64
    var householdID: PlaceID
    var status: String
    var note: String?
    var surveyorUserID: UserID?
    var at: String
    enum CodingKeys: String, CodingKey { case id, householdID = "household_id", status, note, surveyorUserID = "surveyor_user_id", at }

    init(_ record: SurveyVisitRecord) {
        id = record.id
        householdID = record.householdID
        status = record.status.rawValue
        note = record.note
        surveyorUserID = record.surveyorUserID
        at = record.at.formatted(.iso8601)
    }
}

struct SurveyVisitListView: ResponseCodable {
    var visits: [SurveyVisitView]
}

struct SurveyVisitResultView: ResponseCodable {
    var householdID: PlaceID
    var status: String
    /// True when this submission had been recorded before and nothing changed.
    var replayed: Bool
    enum CodingKeys: String, CodingKey { case householdID = "household_id", status, replayed }
}

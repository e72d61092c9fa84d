import Foundation
import LinliCore
import LinliStore
import Testing

extension AccessMatrixTests {
    /// A campaign is seen by whoever surveys at, under or above its place (a building leader walks
    /// their building in the compound's campaign): `wayDown`. Creating and closing one needs
    /// manage_care at the campaign's place itself. Bodies invalid on purpose store nothing.
    static let careSurveyMatrix: [(route: String, probes: [Probe])] = [
        ("GET /api/v1/care/surveys", [
            Probe(label: "surveys", uri: "/api/v1/care/surveys", target: .none, rule: .anyUser, allowed: .ok),
            Probe(label: "surveys at a place", uri: "/api/v1/care/surveys?place={id}", target: .place, rule: .capability(.surveyHouseholds, wayDown: true), allowed: .ok),
        ]),
        ("POST /api/v1/care/surveys", [
            Probe(label: "start a survey, dates reversed", uri: "/api/v1/care/surveys", target: .place, rule: .capability(.manageCare, wayDown: false), allowed: .badRequest,
                  body: #"{"place_id":{id},"name":"矩阵摸排","starts_on":"2022-04-05","ends_on":"2022-04-01"}"#, field: "ends_on"),
        ]),
        ("GET /api/v1/care/surveys/{id}", [
            Probe(label: "coverage", uri: "/api/v1/care/surveys/{id}", target: .surveyCampaign, rule: .capability(.surveyHouseholds, wayDown: true), allowed: .ok),
        ]),
        ("GET /api/v1/care/surveys/{id}/visits", [
            Probe(label: "visits", uri: "/api/v1/care/surveys/{id}/visits", target: .surveyCampaign, rule: .capability(.surveyHouseholds, wayDown: true), allowed: .ok),
        ]),
        ("POST /api/v1/care/surveys/{id}/visits", [
            Probe(label: "visit, unknown status", uri: "/api/v1/care/surveys/{id}/visits", target: .surveyCampaign, rule: .capability(.surveyHouseholds, wayDown: true), allowed: .badRequest,
                  body: #"{"household_id":1,"status":"matrix-probe"}"#, field: "status"),
        ]),
        ("POST /api/v1/care/surveys/{id}/close", [
            Probe(label: "close, reason too long", uri: "/api/v1/care/surveys/{id}/close", target: .surveyCampaign, rule: .capability(.manageCare, wayDown: false), allowed: .badRequest,
                  body: "{\"reason\":\"" + String(repeating: "长", count: 501) + "\"}", field: "reason"),
        ]),
    ]


    /// Gives every caller `.surveyCampaign` aims: a campaign over each place its `.place` aims
    /// name, with the same relation, and the missing id.
    static func addSurveyCampaigns(to callers: [Caller], app: TestApp) async throws -> [Caller] {
        let admin = try #require(try await app.store.read { db in try await UserRecords.user(phone: try app.account(.admin).phone, on: db) })
        var campaigns: [Int64: Int64] = [:]
        var result: [Caller] = []
        for var caller in callers {
            var aims: [Aim] = []
            for aim in caller.targets[.place] ?? [] {
                guard aim.relation != .missing else { aims.append(aim); continue }
                if campaigns[aim.id] == nil {
                    let place = try #require(try await app.store.read { db in try await DirectoryRecords.place(id: PlaceID(aim.id), on: db) })
                    let campaign = try await app.store.write { db in
                        try await SurveyRecords.insert(SurveyCampaign(id: SurveyCampaignID(0), name: "矩阵摸排 \(place.name)", placeID: place.id, path: place.path, districtID: place.districtID,
                                                                      startsAt: Date(timeIntervalSince1970: 1_648_771_200), endsAt: Date(timeIntervalSince1970: 1_649_030_400), createdBy: admin.id, createdAt: Date()), on: db)
                    }
                    campaigns[aim.id] = campaign.id.rawValue
                }
                aims.append(Aim(aim.relation, try #require(campaigns[aim.id])))
            }
            caller.targets[.surveyCampaign] = aims
            result.append(caller)
        }
        return result
    }
}

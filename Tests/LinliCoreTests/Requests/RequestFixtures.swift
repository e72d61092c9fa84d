import Foundation
@testable import LinliCore

/// One household in Pudong, 1 April 2022, and requests of it in any state.
enum RequestFixtures {
    /// 2022-04-01 08:00 Shanghai time, the first morning of the Puxi lockdown.
    static let morning = Date(timeIntervalSince1970: 1_648_771_200)

    static let district: PlaceID = 2
    static let subdistrict: PlaceID = 10
    static let committee: PlaceID = 20
    static let compound: PlaceID = 30
    static let building: PlaceID = 40
    static let household: PlaceID = 400
    static let neighbour: PlaceID = 401

    static let householdPath = PlacePath(rawValue: "1/2/10/20/30/40/400")

    /// The places above the household, as the store loads them (order does not matter).
    static let places: [PlaceOnPath] = [
        PlaceOnPath(id: district, level: .district),
        PlaceOnPath(id: subdistrict, level: .subdistrict),
        PlaceOnPath(id: committee, level: .committee),
        PlaceOnPath(id: compound, level: .compound),
        PlaceOnPath(id: building, level: .building),
    ]

    static let buildingLeader: UserID = 7
    static let runner: UserID = 8
    static let committeeStaff: UserID = 9

    static func minutes(_ count: Double) -> TimeInterval { count * 60 }
    static func hours(_ count: Double) -> TimeInterval { count * 3600 }

    /// A request filed this morning, routed to the building leader.
    static func filed(urgency: Urgency = .normal, category: RequestCategory = .medicine, at time: Date = morning) -> HelpRequest {
        HelpRequest.filed(
            id: 1, householdID: household, residentID: 4001, category: category, urgency: urgency,
            description: "张阿姨的降压药快吃完了", channel: .householdCode, filedBy: .household(id: household),
            routing: RoutingDecision(ownerUserID: buildingLeader, ownerPlaceID: building, ruleIndex: 0),
            policy: .standard, at: time
        )
    }

    /// A request in `status`, as if moved there by the building leader an hour after filing.
    static func request(in status: RequestStatus) -> HelpRequest {
        var request = filed()
        request.status = status
        if status.isClosed {
            request.closedAt = morning.addingTimeInterval(hours(1))
            request.closingReason = "送到了"
        }
        return request
    }
}

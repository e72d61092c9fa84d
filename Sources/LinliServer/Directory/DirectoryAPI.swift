import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// `/api/v1/places`, `/api/v1/households`, `/api/v1/volunteers`, `/api/v1/teams`, `/api/v1/household`.
struct DirectoryAPI {
    let services: AppServices
    var directory: DirectoryService { DirectoryService(services: services) }

    func addRoutes(to router: RouterGroup<LinliRequestContext>) {
        router.get("places") { _, context -> [PlaceView] in
            let identity = try context.requireUser()
            return try await directory.rootPlaces(identity: identity).map { PlaceView($0) }
        }
        router.get("places/:id") { _, context -> PlaceChildrenView in
            let identity = try context.requireUser()
            return try await directory.place(id: try context.parameters.id(), identity: identity)
        }
        router.get("households") { request, context -> HouseholdListView in
            let identity = try context.requireUser()
            let parameters = try DirectoryService.SearchParameters(query: Query(request: request))
            let found = try await directory.searchHouseholds(parameters, identity: identity)
            return HouseholdListView(households: found.map(HouseholdSummaryView.init), limit: parameters.limit, offset: parameters.offset)
        }
        router.get("households/:id") { _, context -> HouseholdDetailView in
            let identity = try context.requireUser()
            return try await directory.household(id: try context.parameters.id(), identity: identity, traceID: context.traceID)
        }
        router.post("households/:id/code") { _, context -> EditedResponse<HouseholdCodeView> in
            let identity = try context.requireUser()
            let id: PlaceID = try context.parameters.id()
            let code = try await directory.rotateCode(householdID: id, identity: identity, traceID: context.traceID)
            return EditedResponse(status: .created, response: HouseholdCodeView(householdID: id, code: code.description))
        }
        router.post("places/:id/household-codes") { request, context -> EditedResponse<IssuedCodesView> in
            let identity = try context.requireUser()
            let rotate = try Query(request: request).bool("rotate")
            let issued = try await directory.issueCodes(placeID: try context.parameters.id(), rotateAll: rotate, identity: identity, traceID: context.traceID)
            return EditedResponse(status: .created, response: IssuedCodesView(issued))
        }
        router.get("household") { _, context -> HouseholdDetailView in
            try await directory.ownHousehold(identity: try context.requireHousehold())
        }
        router.get("volunteers") { request, context -> VolunteerListView in
            let identity = try context.requireUser()
            let (within, limit, offset) = try Self.paging(Query(request: request))
            let volunteers = try await directory.volunteers(within: within, limit: limit, offset: offset, identity: identity)
            return VolunteerListView(volunteers: volunteers.map(VolunteerView.init), limit: limit, offset: offset)
        }
        router.get("teams") { request, context -> TeamListView in
            let identity = try context.requireUser()
            let (within, limit, offset) = try Self.paging(Query(request: request))
            let teams = try await directory.teams(within: within, limit: limit, offset: offset, identity: identity)
            return TeamListView(teams: teams.map(TeamView.init), limit: limit, offset: offset)
        }
    }

    static func paging(_ query: Query) throws -> (PlaceID?, Int, Int) {
        (try query.placeID(), try query.int("limit", range: 1...200, default: 50), try query.int("offset", range: 0...1_000_000, default: 0))
    }
}

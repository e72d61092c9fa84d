import Foundation
import Testing
@testable import LinliCore

@Suite("Routing a new request to its owner")
struct RequestRoutingTests {
    typealias F = RequestFixtures

    func route(_ candidates: [RoutingCandidate]) -> RoutingDecision? {
        route(.standard, category: .food, candidates)
    }

    func route(_ routing: RequestRouting, category: RequestCategory = .food, _ candidates: [RoutingCandidate]) -> RoutingDecision? {
        routing.route(household: F.householdPath, places: F.places, category: category, candidates: candidates)
    }

    @Test("the building leader of the household's building gets it")
    func buildingLeader() {
        let decision = route([RoutingCandidate(userID: F.buildingLeader, role: .buildingLeader, placeID: F.building)])
        #expect(decision == RoutingDecision(ownerUserID: F.buildingLeader, ownerPlaceID: F.building, ruleIndex: 0))
    }

    @Test("with no building leader, the compound's duty team gets it")
    func compoundTeam() {
        let elsewhere = RoutingCandidate(userID: 99, role: .buildingLeader, placeID: 41)
        #expect(route([elsewhere]) == RoutingDecision(ownerUserID: nil, ownerPlaceID: F.compound, ruleIndex: 1))
        #expect(route([RoutingCandidate]()) == RoutingDecision(ownerUserID: nil, ownerPlaceID: F.compound, ruleIndex: 1))
    }

    @Test("of two building leaders, the one with fewer open requests, then the lower id, gets it")
    func twoLeaders() {
        let busy = RoutingCandidate(userID: 5, role: .buildingLeader, placeID: F.building, openRequests: 4)
        let free = RoutingCandidate(userID: 6, role: .buildingLeader, placeID: F.building, openRequests: 1)
        let alsoFree = RoutingCandidate(userID: 3, role: .buildingLeader, placeID: F.building, openRequests: 1)
        #expect(route([busy, free])?.ownerUserID == 6)
        #expect(route([busy, free, alsoFree])?.ownerUserID == 3)
    }

    @Test("a district rule sends medicine to the medicine runner nearest the household, other needs still to the building leader")
    func medicineRule() {
        let routing = RequestRouting.district([RoutingRule(category: .medicine, target: .role(.medicineRunner))])
        let candidates = [
            RoutingCandidate(userID: F.buildingLeader, role: .buildingLeader, placeID: F.building),
            RoutingCandidate(userID: 31, role: .medicineRunner, placeID: F.subdistrict),
            RoutingCandidate(userID: 32, role: .medicineRunner, placeID: F.compound, openRequests: 9),
        ]
        #expect(route(routing, category: .medicine, candidates) == RoutingDecision(ownerUserID: 32, ownerPlaceID: F.compound, ruleIndex: 0))
        #expect(route(routing, category: .food, candidates)?.ownerUserID == F.buildingLeader)
        #expect(routing.roles(for: F.householdPath, category: .medicine) == [.medicineRunner, .buildingLeader])
        #expect(routing.roles(for: F.householdPath, category: .food) == [.buildingLeader])
    }

    @Test("a rule scoped to another compound does not apply here")
    func scopedRule() {
        let otherCompound = PlacePath(rawValue: "1/2/10/20/31")
        let thisCompound = PlacePath(rawValue: "1/2/10/20/30")
        let candidates = [RoutingCandidate(userID: 50, role: .committeeStaff, placeID: F.committee)]
        let elsewhere = RequestRouting.district([RoutingRule(scope: otherCompound, target: .role(.committeeStaff))])
        let here = RequestRouting.district([RoutingRule(scope: thisCompound, target: .role(.committeeStaff))])
        #expect(route(elsewhere, candidates)?.ownerPlaceID == F.compound)
        #expect(route(here, candidates)?.ownerUserID == 50)
    }

    @Test("a rule can send a category straight to a place's team")
    func placeTarget() {
        let routing = RequestRouting.district([RoutingRule(category: .emergencyMedical, target: .place(.committee))])
        #expect(route(routing, category: .emergencyMedical, [])?.ownerPlaceID == F.committee)
    }

    @Test("a household with no compound above it and no leader cannot be routed")
    func unroutable() {
        let decision = RequestRouting.standard.route(household: F.householdPath, places: F.places.filter { $0.level != .compound }, category: .food, candidates: [])
        #expect(decision == nil)
    }

    @Test("a filed request carries the routing decision as its owner")
    func filedCarriesOwner() {
        let decision = route([RoutingCandidate]())
        let request = HelpRequest.filed(id: 9, householdID: F.household, category: .food, urgency: .normal, description: "缺米",
                                    channel: .chainListImport, filedBy: .user(id: F.runner), routing: decision, policy: .standard, at: F.morning)
        #expect(request.ownerPlaceID == F.compound && request.ownerUserID == nil)
    }
}

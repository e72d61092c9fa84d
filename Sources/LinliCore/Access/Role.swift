/// A role a user holds at a place, e.g. `building_leader@6` (who holds each role: docs/GLOSSARY.md).
/// A role grants actions on records under its place and nothing else.
public enum RoleKind: String, Sendable, Codable, CaseIterable {
    case admin
    case districtStaff = "district_staff"
    case subdistrictStaff = "subdistrict_staff"
    case committeeStaff = "committee_staff"
    case compoundLead = "compound_lead"
    case buildingLeader = "building_leader"
    case groupBuyLeader = "group_buy_leader"
    case medicineRunner = "medicine_runner"
    case informationOfficer = "information_officer"
}

public struct RoleAssignment: Sendable, Hashable, Codable {
    public var role: RoleKind
    public var placeID: PlaceID
    public var path: PlacePath

    public init(role: RoleKind, placeID: PlaceID, path: PlacePath) {
        self.role = role
        self.placeID = placeID
        self.path = path
    }
}
